/**
 * `penguin worker` through the real CLI, on a private PostgreSQL cluster: a prompt a server
 * (`penguin serve --database`, no workers of its own) queues runs on a worker process; a worker
 * SIGKILLed mid-run stops refreshing its lease, and another worker resumes the run from what is
 * stored — the tool call that completed (it appends a line to a file) does not run again.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createGate, type MockServer, startMockServer } from '@penguin-ai/mock-llm'
import { openPostgresStore, type PostgresStore } from '@penguin-ai/store'
import { createTestDatabase, type PostgresCluster, startPostgresCluster } from '@penguin-ai/test-postgres'
import { until, within } from '@penguin-ai/testkit'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { baseEnv, makeRepo, PENGUIN_BIN } from './cli-helpers.js'

let cluster: PostgresCluster
const drops: (() => Promise<void>)[] = []
const children: ChildProcess[] = []
let mock: MockServer | undefined
let store: PostgresStore | undefined

beforeAll(async () => {
  cluster = await startPostgresCluster()
}, 120_000)

afterEach(async () => {
  for (const child of children.splice(0))
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
  await store?.close()
  store = undefined
  await mock?.close()
  mock = undefined
})

afterAll(async () => {
  for (const drop of drops) await drop()
  await cluster?.stop()
}, 60_000)

interface Started {
  child: ChildProcess
  output(): string
  /** Resolves with the first match of `pattern` in stdout (bounded). */
  line(pattern: RegExp): Promise<RegExpMatchArray>
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>
}

/** Starts a long-running `penguin` (serve, worker) in the background. */
async function start(args: string[], env: Record<string, string>): Promise<Started> {
  const home = await mkdtemp(join(tmpdir(), 'penguin-worker-home-'))
  const child = spawn(process.execPath, [PENGUIN_BIN, ...args], {
    cwd: home,
    env: { ...baseEnv(home), PENGUIN_HOME: home, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  children.push(child)
  let stdout = ''
  let stderr = ''
  const waiters: (() => void)[] = []
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk
    for (const wake of waiters.splice(0)) wake()
  })
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk
  })
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.on('close', (code, signal) => {
      for (const wake of waiters.splice(0)) wake()
      resolve({ code, signal })
    })
  })
  return {
    child,
    output: () => `stdout: ${stdout}\nstderr: ${stderr}`,
    exited,
    line: (pattern) =>
      within(
        (async () => {
          for (;;) {
            const match = stdout.match(pattern)
            if (match) return match
            if (child.exitCode !== null || child.signalCode !== null)
              throw new Error(
                `penguin ${args[0]} exited before ${pattern}\nstdout: ${stdout}\nstderr: ${stderr}`,
              )
            await new Promise<void>((wake) => waiters.push(wake))
          }
        })(),
        `penguin ${args[0]} to print ${pattern}`,
      ),
  }
}

async function database(): Promise<string> {
  const created = await createTestDatabase(cluster.url('postgres'), 'worker')
  drops.push(created.drop)
  return created.url
}

const json = { 'content-type': 'application/json' }

async function startServer(url: string, repo: string, mockUrl: string) {
  const server = await start(
    [
      'serve',
      '--port',
      '0',
      '--no-auth',
      '--root',
      repo,
      '--model',
      'openai/gpt-4o',
      '--base-url',
      mockUrl,
      '--sandbox',
      'off',
    ],
    { OPENAI_API_KEY: 'sk-test', PENGUIN_DATABASE_URL: url },
  )
  const base = (await server.line(/listening on (http:\/\/\S+)/))[1] as string
  const api = (path: string, init: RequestInit = {}) => fetch(`${base}/api/v1${path}`, init)
  const post = (path: string, body: unknown) =>
    api(path, { method: 'POST', headers: json, body: JSON.stringify(body) })
  return { server, api, post }
}

function startWorker(url: string, repo: string, mockUrl: string, extra: string[] = []) {
  return start(
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
})
