/**
 * `penguin worker` through the real CLI, on a private PostgreSQL cluster: a prompt a server
 * (`penguin serve --database`, no workers of its own) queues runs on a worker process; a worker
 * SIGKILLed mid-run stops refreshing its lease, and another worker resumes the run from what is
 * stored — the tool call that completed (it appends a line to a file) does not run again.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { createGate, type MockServer, startMockServer } from '@penguin-ai/mock-llm'
import { openPostgresStore, type PostgresStore } from '@penguin-ai/store'
import { usePostgresCluster } from '@penguin-ai/test-postgres/vitest'
import { until, within } from '@penguin-ai/testkit'
import { afterEach, describe, expect, it } from 'vitest'
import { makeRepo } from './cli-helpers.js'
import { serveArgs, sseFrames, startPenguin, startServing, stopBackground } from './serve-helpers.js'

const postgres = usePostgresCluster()
let mock: MockServer | undefined
let store: PostgresStore | undefined

afterEach(async () => {
  stopBackground()
  await store?.close()
  store = undefined
  await mock?.close()
  mock = undefined
})

const database = (): Promise<string> => postgres.database('worker')

async function startServer(url: string, repo: string, mockUrl: string) {
  const { served, api, post } = await startServing(serveArgs(repo, mockUrl), {
    OPENAI_API_KEY: 'sk-test',
    PENGUIN_DATABASE_URL: url,
  })
  return { server: served, api, post }
}

function startWorker(url: string, repo: string, mockUrl: string, extra: string[] = []) {
  return startPenguin(
    ['worker', '--database', url, '--root', repo, '--base-url', mockUrl, '--sandbox', 'off', ...extra],
    { OPENAI_API_KEY: 'sk-test' },
  )
}

describe('penguin worker', () => {
  it('executes a run a server queued, recorded as a server would record it', async () => {
    mock = await startMockServer({ script: [{ text: 'Hello from a worker.' }] })
    const url = await database()
    const repo = await makeRepo({ 'README.md': '# x\n' })
    const { server, api, post } = await startServer(url, repo, mock.url)
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
    let run: { status: string; text: string } = { status: 'running', text: '' }
    await until(
      async () => {
        run = (await (await api(`/runs/${runId}`)).json()) as typeof run
        return run.status !== 'running'
      },
      { what: 'the queued run to finish', intervalMs: 100 },
    )
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

  it('a worker killed mid-run: its lease expires and another worker resumes without running a completed tool call again', async () => {
    const held = createGate()
    mock = await startMockServer({
      script: [
        {
          toolCalls: [{ id: 'append', name: 'run_command', arguments: { command: 'echo ran >> side.txt' } }],
        },
        // The first worker's second request: held until it is dead.
        { text: 'never sent', holdUntil: held.promise },
        { text: 'Finished after the resume.' },
      ],
    })
    const url = await database()
    const repo = await makeRepo({ 'README.md': '# x\n' })
    const { server, api, post } = await startServer(url, repo, mock.url)
    const session = (await (await post('/sessions', { workspace: repo, auto_approve: true })).json()) as {
      id: string
    }
    const { run_id: runId } = (await (
      await post(`/sessions/${session.id}/messages`, { content: 'append a line' })
    ).json()) as { run_id: string }

    const first = await startWorker(url, repo, mock.url)
    // The tool call ran and the model was asked again: the first worker is mid-run.
    await within(mock.waitForRequests(2), 'the first worker to ask the model again')
    expect(readFileSync(join(repo, 'side.txt'), 'utf8')).toBe('ran\n')
    // Its turn is stored (the next turn's start writes it) before the worker dies.
    store = await openPostgresStore(url, { maxConnections: 1 })
    const opened = store
    await until(async () => (await opened.listMessages(session.id)).some((m) => m.role === 'tool'), {
      what: 'the completed tool call to be stored',
      intervalMs: 50,
    })
    first.child.kill('SIGKILL')
    await first.exited

    // A second worker with a short lease timeout sees the dead worker's lease expire and resumes.
    const second = await startWorker(url, repo, mock.url, ['--heartbeat', '2'])
    let run: { status: string; text: string } = { status: 'running', text: '' }
    await until(
      async () => {
        run = (await (await api(`/runs/${runId}`)).json()) as typeof run
        return run.status !== 'running'
      },
      { what: 'the resumed run to finish', intervalMs: 100 },
    )
    held.open()
    expect(run, second.output()).toMatchObject({ status: 'completed', text: 'Finished after the resume.' })
    // The completed call did not run again; the model was told what happened and saw its result.
    expect(readFileSync(join(repo, 'side.txt'), 'utf8')).toBe('ran\n')
    const requests = mock.requests.filter((r) => r.body)
    expect(requests).toHaveLength(3)
    const resumed = JSON.stringify(requests[2]?.body?.messages)
    expect(resumed).toContain('ran')
    expect(resumed).toContain('continues now on another worker')
    // Nothing stored was lost or duplicated: one prompt, one call, one result, the note, the answer.
    const stored = await opened.listMessages(session.id)
    expect(stored.map((m) => m.role)).toEqual(['user', 'assistant', 'tool', 'user', 'assistant'])

    second.child.kill('SIGTERM')
    server.child.kill('SIGTERM')
    expect((await second.exited).code, second.output()).toBe(0)
    expect((await server.exited).code, server.output()).toBe(0)
  }, 240_000)

  it('SIGTERM past the grace period hands the run back; another worker finishes it under the same id', async () => {
    const held = createGate()
    mock = await startMockServer({
      script: [{ text: 'never sent', holdUntil: held.promise }, { text: 'Finished on the second worker.' }],
    })
    const url = await database()
    const repo = await makeRepo({ 'README.md': '# x\n' })
    const { server, api, post } = await startServer(url, repo, mock.url)
    const session = (await (await post('/sessions', { workspace: repo })).json()) as { id: string }
    const { run_id: runId } = (await (
      await post(`/sessions/${session.id}/messages`, { content: 'take your time' })
    ).json()) as { run_id: string }
    const first = await startWorker(url, repo, mock.url, ['--grace', '0'])
    await within(mock.waitForRequests(1), 'the first worker to ask the model')
    first.child.kill('SIGTERM')
    expect((await first.exited).code, first.output()).toBe(0)
    expect(first.output()).toMatch(new RegExp(`handing run ${runId} back to the queue`))

    const second = await startWorker(url, repo, mock.url)
    let run: { status: string; text: string } = { status: 'running', text: '' }
    await until(
      async () => {
        run = (await (await api(`/runs/${runId}`)).json()) as typeof run
        return run.status !== 'running'
      },
      { what: 'the handed-back run to finish', intervalMs: 100 },
    )
    held.open()
    expect(run, second.output()).toMatchObject({
      status: 'completed',
      text: 'Finished on the second worker.',
    })
    expect(JSON.stringify(mock.requests.filter((r) => r.body)[1]?.body?.messages)).toContain(
      'continues now on another worker',
    )
    const messages = (await (await api(`/sessions/${session.id}/messages`)).json()) as {
      items: { role: string }[]
    }
    expect(messages.items.map((m) => m.role)).toEqual(['user', 'user', 'assistant'])

    second.child.kill('SIGTERM')
    server.child.kill('SIGTERM')
    expect((await second.exited).code, second.output()).toBe(0)
    expect((await server.exited).code, server.output()).toBe(0)
  }, 240_000)

  it('a project run a server queued runs on a worker: the ready tasks, done', async () => {
    mock = await startMockServer({ script: [{ text: 'Task done.' }] })
    const url = await database()
    const repo = await makeRepo({ 'README.md': '# x\n' })
    const { server, api, post } = await startServer(url, repo, mock.url)
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

  it("a plan is made by a worker and answered by the server that was asked; a killed worker's plan is made again, stored once", async () => {
    const plan = {
      tasks: [
        { key: 'schema', title: 'Add the users table', description: 'Create it.' },
        { key: 'api', title: 'Serve GET /users', description: 'Serve them.', depends_on: ['schema'] },
      ],
    }
    const submit = { toolCalls: [{ name: 'submit_plan', arguments: plan }] }
    const held = createGate()
    mock = await startMockServer({ script: [{ ...submit, holdUntil: held.promise }, submit, submit] })
    const url = await database()
    const repo = await makeRepo({ 'README.md': '# x\n' })
    // The server's own model endpoint is dead: only a worker can have asked the model.
    const { server, api, post } = await startServer(url, repo, 'http://127.0.0.1:9')
    const project = (await (await post('/projects', { name: 'users', workspace: repo })).json()) as {
      id: number
    }
    const asked = post(`/projects/${project.id}/plan`, { spec: 'a users API' })
    const first = await startWorker(url, repo, mock.url)
    await within(mock.waitForRequests(1), 'the first worker to ask the model for the plan')
    first.child.kill('SIGKILL')
    await first.exited
    // Its lease expires; the second worker plans again and the asked server stores the plan once.
    const second = await startWorker(url, repo, mock.url, ['--heartbeat', '2'])
    const planned = await asked
    held.open()
    expect(planned.status, second.output()).toBe(200)
    const body = (await planned.json()) as { dry_run: boolean; plan: unknown[]; tasks: { title: string }[] }
    expect(body).toMatchObject({ dry_run: false, plan: [{ key: 'schema' }, { key: 'api' }] })
    const tasks = (await (await api(`/projects/${project.id}/tasks`)).json()) as {
      items: { title: string }[]
    }
    expect(tasks.items.map((task) => task.title)).toEqual(['Add the users table', 'Serve GET /users'])
    expect(body.tasks.map((task) => task.title)).toEqual(tasks.items.map((task) => task.title))

    // A dry run is planned the same way and stores nothing.
    const preview = await post(`/projects/${project.id}/plan`, { spec: 'a users API', dry_run: true })
    expect(preview.status).toBe(200)
    expect(await preview.json()).toMatchObject({
      dry_run: true,
      tasks: [],
      plan: [{ key: 'schema' }, { key: 'api' }],
    })
    expect(((await (await api(`/projects/${project.id}/tasks`)).json()) as { items: [] }).items).toHaveLength(
      2,
    )
    expect(mock.requests.filter((r) => r.body)).toHaveLength(3)

    second.child.kill('SIGTERM')
    server.child.kill('SIGTERM')
    expect((await second.exited).code, second.output()).toBe(0)
    expect((await server.exited).code, server.output()).toBe(0)
  }, 240_000)
})

interface WireMessage {
  role: string
  content?: unknown
}

const wireText = (message: WireMessage | undefined) =>
  typeof message?.content === 'string' ? message.content : JSON.stringify(message?.content ?? '')

// Steering across processes: the server takes the message, the run executes on a worker, the
// message reaches it through the database. The mock holds the worker's first request until both
// messages are accepted, so they land mid-run deterministically: the steer must be in the worker's
// next request (right after the tool results), the follow-up in the request after the answer.
describe('steering a run on a worker', () => {
  it("a steer and a follow-up sent to the server reach the worker's next model requests", async () => {
    const held = createGate()
    mock = await startMockServer({
      script: [
        { toolCalls: [{ name: 'read_file', arguments: { path: 'README.md' } }], holdUntil: held.promise },
        { text: 'Read it, and steered.' },
        { text: 'Followed up.' },
      ],
    })
    const url = await database()
    const repo = await makeRepo({ 'README.md': '# steer me\n' })
    const { server, api, post } = await startServer(url, repo, mock.url)
    await server.line(/runs: queued for workers/)
    const worker = await startWorker(url, repo, mock.url)
    await worker.line(/taking runs under/)
    const session = (await (await post('/sessions', { workspace: repo })).json()) as { id: string }
    const stream = sseFrames(await api(`/sessions/${session.id}/events`))
    const accepted = await post(`/sessions/${session.id}/messages`, { content: 'read the readme' })
    expect(await accepted.json()).toEqual({ run_id: expect.any(String), delivery: 'prompt' })
    // The worker's first request is in, and held: the user types meanwhile, on the server.
    await within(mock.waitForRequests(1), 'the worker to ask the model')
    const steer = await post(`/sessions/${session.id}/messages`, {
      content: 'STEER: count its lines too',
      delivery: 'steer',
    })
    expect(steer.status).toBe(202)
    const steered = (await steer.json()) as { run_id: string; delivery: string }
    expect(steered.delivery).toBe('steer')
    const follow = await post(`/sessions/${session.id}/messages`, {
      content: 'FOLLOW: then say bye',
      delivery: 'follow_up',
    })
    expect(await follow.json()).toEqual({ run_id: steered.run_id, delivery: 'follow_up' })
    // A plain prompt is still refused while the run is active.
    expect((await post(`/sessions/${session.id}/messages`, { content: 'again' })).status).toBe(409)
    held.open()

    let run: { status: string; text: string } = { status: 'running', text: '' }
    await until(
      async () => {
        run = (await (await api(`/runs/${steered.run_id}`)).json()) as typeof run
        return run.status !== 'running'
      },
      { what: 'the run on the worker to finish', intervalMs: 100 },
    )
    expect(run, worker.output()).toMatchObject({ status: 'completed', text: 'Followed up.' })
    // The server's stream shows when the worker's run read each message.
    const seen = await stream.until('run.finished')
    await stream.close()
    expect(
      seen.filter((frame) => frame.event === 'message.delivered').map((frame) => frame.data),
    ).toMatchObject([
      { delivery: 'steer', text: 'STEER: count its lines too', run_id: steered.run_id },
      { delivery: 'follow_up', text: 'FOLLOW: then say bye', run_id: steered.run_id },
    ])
    const requests = mock.requests.filter((request) => request.body)
    expect(requests).toHaveLength(3)
    const second = (requests[1]?.body?.messages ?? []) as WireMessage[]
    expect(second.map((message) => message.role)).toEqual(['system', 'user', 'assistant', 'tool', 'user'])
    expect(wireText(second.at(-1))).toContain('STEER: count its lines too')
    expect(JSON.stringify(second)).not.toContain('FOLLOW')
    const third = (requests[2]?.body?.messages ?? []) as WireMessage[]
    expect(third.slice(-2).map((message) => message.role)).toEqual(['assistant', 'user'])
    expect(wireText(third.at(-1))).toContain('FOLLOW: then say bye')
    // Stored by the worker as the user turns they were.
    const messages = (await (await api(`/sessions/${session.id}/messages`)).json()) as {
      items: { role: string; parts: { text?: string }[] }[]
    }
    // The conversation a steered run stores, spelled out as the server's steering.test.ts does (there
    // in-process, here through a worker): each states the contract it checks.
    expect(messages.items.map((message) => message.role)).toEqual([
      'user',
      'assistant',
      'tool',
      'user',
      'assistant',
      'user',
      'assistant',
    ])
    expect(messages.items[3]?.parts[0]?.text).toBe('STEER: count its lines too')

    worker.child.kill('SIGTERM')
    server.child.kill('SIGTERM')
    expect((await worker.exited).code, worker.output()).toBe(0)
    expect((await server.exited).code, server.output()).toBe(0)
  }, 180_000)
})
