import { mkdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { createGate } from '@penguin-ai/mock-llm'
import { describe, expect, it } from 'vitest'
import type { StreamedEvent } from '../src/deps.js'
import { harness, until } from './resources-helpers.js'

const finished = (events: StreamedEvent[]) => events.some((event) => event.event === 'project.finished')

describe('POST /projects/{id}/run', () => {
  it('works through the graph in the background, as sessions, with every event on the hub', async () => {
    // The first answer is held until the checks made while the run is in progress are done.
    const firstAnswer = createGate()
    const h = await harness({
      script: [
        {
          holdUntil: firstAnswer.promise,
          toolCalls: [{ name: 'write_file', arguments: { path: 'hello.txt', content: 'hi\n' } }],
          usage: { prompt_tokens: 500, completion_tokens: 50 },
        },
        { text: 'wrote hello.txt', usage: { prompt_tokens: 600, completion_tokens: 10 } },
        { text: 'checked it', usage: { prompt_tokens: 400, completion_tokens: 5 } },
      ],
    })
    const events = h.events()
    const project = (await h.request('POST', '/projects', { name: 'shop', workspace: h.workspace })).body
    const write = (
      await h.request('POST', `/projects/${project.id}/tasks`, {
        title: 'Write hello',
        verify_command: 'test -f hello.txt',
      })
    ).body
    const check = (
      await h.request('POST', `/projects/${project.id}/tasks`, {
        title: 'Check hello',
        depends_on: [write.id],
        verify_command: 'grep -q hi hello.txt',
      })
    ).body

    const started = await h.request('POST', `/projects/${project.id}/run`, { max_tasks: 5 })
    expect(started.status).toBe(202)
    const runId = started.body.project_run_id as string
    expect(runId).toMatch(/^prun_/)

    // One run at a time; the project cannot be deleted under it, nor its task in progress.
    const again = await h.request('POST', `/projects/${project.id}/run`, {})
    expect(again.status).toBe(409)
    expect(again.body.error.details.project_run_id).toBe(runId)
    expect((await h.request('GET', `/projects/${project.id}`)).body).toMatchObject({
      running: true,
      active_project_run_id: runId,
    })
    await until(() => h.store.requireTask(write.id).status === 'in_progress')
    expect((await h.request('DELETE', `/tasks/${write.id}`)).status).toBe(409)
    expect((await h.request('DELETE', `/projects/${project.id}`)).status).toBe(409)
    firstAnswer.open()

    await until(() => finished(events))
    expect(readFileSync(join(h.workspace, 'hello.txt'), 'utf8')).toBe('hi\n')
    expect(h.store.requireTask(write.id).status).toBe('done')
    expect(h.store.requireTask(check.id).status).toBe('done')

    const projectEvents = events.filter((event) => event.data.project_run_id === runId && !event.data.run_id)
    expect(projectEvents.map((event) => event.event)).toEqual([
      'project.started',
      'task.started',
      'task.verifying',
      'task.finished',
      'task.started',
      'task.verifying',
      'task.finished',
      'project.finished',
    ])
    for (const event of projectEvents) expect(event.data.project_id).toBe(project.id)
    const [firstDone, secondDone] = projectEvents.filter((event) => event.event === 'task.finished')
    expect(firstDone?.data).toMatchObject({ status: 'done', index: 1, total: 2, tokens: 1160 })
    expect(firstDone?.data.task).toMatchObject({
      id: write.id,
      status: 'done',
      verify_command: 'test -f hello.txt',
    })
    expect(firstDone?.data.verify).toMatchObject({ passed: true, exit_code: 0, timed_out: false })
    expect(secondDone?.data).toMatchObject({ status: 'done', index: 2 })
    const end = projectEvents.at(-1)?.data
    expect(end).toMatchObject({ status: 'completed', counts: { done: 2, pending: 0 } })
    expect(end?.cost_usd).toBeGreaterThan(0)

    // Each task ran as a stored session of the project; its engine events carry the session id.
    const sessions = h.store.listSessions({ projectId: project.id })
    expect(sessions.map((session) => session.title).sort()).toEqual([
      `task ${write.id}: Write hello`,
      `task ${check.id}: Check hello`,
    ])
    const writeSession = sessions.find((session) => session.title?.startsWith(`task ${write.id}:`))
    expect(firstDone?.data.session_id).toBe(writeSession?.id)
    expect(h.store.listMessages(writeSession?.id ?? '').length).toBeGreaterThanOrEqual(4)
    const engine = events.filter((event) => event.data.session_id === writeSession?.id && event.data.run_id)
    const types = engine.map((event) => event.event)
    expect(types[0]).toBe('run.started')
    expect(types).toContain('tool.finished')
    expect(types.at(-1)).toBe('run.finished')
    const tool = engine.find((event) => event.event === 'tool.finished')
    // Engine events pass through as the engine emits them (camelCase), plus the ids.
    expect(tool?.data).toMatchObject({
      tool: 'write_file',
      isError: false,
      project_id: project.id,
      task_id: write.id,
    })

    await until(() => !h.store.listRuns({ projectId: project.id }).some((run) => run.status === 'running'))
    expect((await h.request('GET', `/projects/${project.id}`)).body).toMatchObject({
      running: false,
      active_project_run_id: null,
      tokens_used: 1565,
    })
    const usage = await h.request('GET', '/usage')
    expect(usage.body.by_project).toEqual([
      expect.objectContaining({
        project_id: project.id,
        name: 'shop',
        input_tokens: 1500,
        output_tokens: 65,
        runs: 2,
      }),
    ])
    expect(usage.body.total).toMatchObject({ input_tokens: 1500, output_tokens: 65, runs: 2 })
    expect(h.unexpected).toEqual([])
  })

  it('stops on cancel: the task in progress goes back to pending', async () => {
    const h = await harness({ script: [{ holdUntil: new Promise(() => {}), text: 'too late' }] })
    const events = h.events()
    const project = (await h.request('POST', '/projects', { name: 'shop', workspace: h.workspace })).body
    const task = (await h.request('POST', `/projects/${project.id}/tasks`, { title: 'slow' })).body
    expect((await h.request('POST', `/projects/${project.id}/run/cancel`)).status).toBe(404)

    const started = await h.request('POST', `/projects/${project.id}/run`, { auto_approve: true })
    await until(() => events.some((event) => event.event === 'run.started'))
    const cancelled = await h.request('POST', `/projects/${project.id}/run/cancel`)
    expect(cancelled.status).toBe(202)
    expect(cancelled.body.project_run_id).toBe(started.body.project_run_id)
    await until(() => finished(events))
    expect(events.find((event) => event.event === 'project.finished')?.data.status).toBe('aborted')
    expect(h.store.requireTask(task.id).status).toBe('pending')
    await until(async () => (await h.request('GET', `/projects/${project.id}`)).body.running === false)
  })

  it('needs a usable workspace under the root and a known model', async () => {
    const h = await harness()
    const bare = (await h.request('POST', '/projects', { name: 'bare' })).body
    const noWorkspace = await h.request('POST', `/projects/${bare.id}/run`, {})
    expect(noWorkspace.status).toBe(422)
    expect(noWorkspace.body.error.details.reason).toBe('no_workspace')

    // A project made elsewhere (the CLI) may point anywhere: outside its root the server does not
    // even show it.
    const outside = join(h.root, '..', 'outside')
    mkdirSync(outside)
    const elsewhere = h.store.createProject({ name: 'elsewhere', workspace: outside })
    expect((await h.request('POST', `/projects/${elsewhere.id}/run`, {})).status).toBe(404)

    const project = (await h.request('POST', '/projects', { name: 'shop', workspace: h.workspace })).body
    const badModel = await h.request('POST', `/projects/${project.id}/run`, { model: 'nope/x' })
    expect(badModel.status).toBe(422)
    const badBody = await h.request('POST', `/projects/${project.id}/run`, {
      max_tasks: 0,
      auto_approve: 'yes',
    })
    expect(badBody.status).toBe(400)
    expect(badBody.body.error.details.issues.map((issue: { path: string }) => issue.path).sort()).toEqual([
      'auto_approve',
      'max_tasks',
    ])
    expect((await h.request('POST', '/projects/999/run', {})).status).toBe(404)
    expect(h.mock.requests).toHaveLength(0)
  })
})
