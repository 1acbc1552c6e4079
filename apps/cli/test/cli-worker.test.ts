import { until } from '@penguin-ai/testkit'
import { describe, expect, it } from 'vitest'
import { runFinished, startQueueingServer, startWorker, useWorkerTests } from './worker-helpers.js'

const { setUp } = useWorkerTests()

describe('penguin worker', () => {
  it('executes a run a server queued, recorded as a server would record it', async () => {
    const { mock, url, repo } = await setUp('worker', { script: [{ text: 'Hello from a worker.' }] })
    const { server, api, post } = await startQueueingServer(url, repo, mock.url)
    await server.line(/runs: queued for workers/)
    const session = (await (await post('/sessions', { workspace: repo })).json()) as { id: string }
    const accepted = await post(`/sessions/${session.id}/messages`, { content: 'say hello' })
    expect(accepted.status).toBe(202)
    const { run_id: runId } = (await accepted.json()) as { run_id: string }
    // Queued, not run: the server has no worker of its own.
    const queued = (await (await api(`/runs/${runId}`)).json()) as { status: string }
    expect(queued.status).toBe('running')
    // A second prompt while the first is queued: the session is busy.
    expect((await post(`/sessions/${session.id}/messages`, { content: 'again' })).status).toBe(409)

    const worker = await startWorker(url, repo, mock.url, ['--concurrency', '2'])
    await worker.line(/taking runs under/)
    const run = await runFinished(api, runId, 'the queued run to finish')
    expect(run).toMatchObject({ status: 'completed', text: 'Hello from a worker.' })
    const messages = (await (await api(`/sessions/${session.id}/messages`)).json()) as {
      items: { role: string }[]
    }
    expect(messages.items.map((m) => m.role)).toEqual(['user', 'assistant'])
    expect(mock.requests.filter((r) => r.body)).toHaveLength(1)

    worker.child.kill('SIGTERM')
    server.child.kill('SIGTERM')
    expect((await worker.exited).code, worker.output()).toBe(0)
    expect((await server.exited).code, server.output()).toBe(0)
  }, 180_000)

  it('a project run a server queued runs on a worker: the ready tasks, done', async () => {
    const { mock, url, repo } = await setUp('worker', { script: [{ text: 'Task done.' }] })
    const { server, api, post } = await startQueueingServer(url, repo, mock.url)
    const project = (await (await post('/projects', { name: 'queued', workspace: repo })).json()) as {
      id: number
    }
    expect((await post(`/projects/${project.id}/tasks`, { title: 'Do it' })).status).toBe(201)
    const accepted = await post(`/projects/${project.id}/run`, { auto_approve: true })
    expect(accepted.status).toBe(202)
    const { project_run_id: runId } = (await accepted.json()) as { project_run_id: string }
    expect(runId).toMatch(/^prun_/)
    // Queued: a second run of the same project is refused until this one ends.
    expect((await post(`/projects/${project.id}/run`, { auto_approve: true })).status).toBe(409)

    const worker = await startWorker(url, repo, mock.url)
    let statuses: string[] = []
    await until(
      async () => {
        const tasks = (await (await api(`/projects/${project.id}/tasks`)).json()) as {
          items: { status: string }[]
        }
        statuses = tasks.items.map((task) => task.status)
        return statuses.every((status) => status === 'done')
      },
      { what: 'the queued project run to finish its task', intervalMs: 100 },
    )
    expect(statuses).toEqual(['done'])
    expect(mock.requests.filter((r) => r.body)).toHaveLength(1)
    // Finished: the project can run again (nothing left to do, so it ends at once).
    await until(
      async () => (await post(`/projects/${project.id}/run`, { auto_approve: true })).status === 202,
      {
        what: 'the finished run to release the project',
        intervalMs: 100,
      },
    )

    worker.child.kill('SIGTERM')
    server.child.kill('SIGTERM')
    expect((await worker.exited).code, worker.output()).toBe(0)
    expect((await server.exited).code, server.output()).toBe(0)
  }, 240_000)
})
