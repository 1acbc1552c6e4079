/**
 * What a client of one API server sees and does about work a `penguin worker` process executes,
 * when the work was started through ANOTHER server (real processes: PostgreSQL, servers A and B
 * with no workers of their own, one worker; the mock model over HTTP):
 * - a project run started on A streams on B to an SSE client and a WebSocket client alike — the
 *   same events with the same ids, in the same order;
 * - a session run held mid-turn on the worker shows its usage so far on B (`GET /runs/{id}`), and
 *   a cancel sent to B stops it on the worker; the next prompt, sent through B the moment its
 *   run.finished arrives, is accepted and runs with the auto_approve the session got on A;
 * - a permission ask of a run on the worker is answered over B's WebSocket.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { createGate, type MockServer, type MockTurn, startMockServer } from '@penguin-ai/mock-llm'
import { whenChanged, within } from '@penguin-ai/testkit'
import { afterAll, beforeAll, expect, test } from 'vitest'
import WebSocket from 'ws'
import {
  type ApiServer,
  type Deployment,
  type EventRecorder,
  type ReceivedEvent,
  recordEvents,
  startDeployment,
} from '../src/index.js'

let mock: MockServer
let deployment: Deployment
let a: ApiServer
let b: ApiServer
const closers: (() => Promise<void> | void)[] = []

/** The held run's second model request arrived (its first turn, with usage, is done). */
const heldArrived = createGate()
const heldAnswer = createGate()

interface ChatMessage {
  role: string
  content?: unknown
}

function textOf(content: unknown): string {
  if (typeof content === 'string') return content
  if (Array.isArray(content))
    return content.map((part) => (typeof part?.text === 'string' ? part.text : '')).join('')
  return ''
}

/** The model: what it answers depends on the prompt (the last user message) and the turn since. */
function turnFor(messages: readonly ChatMessage[]): MockTurn {
  const last = messages.findLastIndex((message) => message.role === 'user')
  const prompt = textOf(messages[last]?.content)
  const results = messages.slice(last).filter((message) => message.role === 'tool').length
  if (prompt.includes('HOLD')) {
    if (results === 0)
      return {
        text: 'Reading.',
        toolCalls: [{ name: 'read_file', arguments: { path: 'README.md' } }],
        usage: { prompt_tokens: 1000, completion_tokens: 200 },
      }
    heldArrived.open()
    return { text: 'never sent', holdUntil: heldAnswer.promise }
  }
  if (prompt.includes('ASK')) {
    if (results === 0)
      return { toolCalls: [{ name: 'write_file', arguments: { path: 'notes.txt', content: 'hi\n' } }] }
    return { text: 'Wrote it.' }
  }
  // A project's task.
  return { text: 'Greeted.' }
}

beforeAll(async () => {
  mock = await startMockServer({
    script: (request) => turnFor((request.body?.messages ?? []) as ChatMessage[]),
  })
  deployment = await startDeployment({
    model: 'openai/gpt-4o',
    baseUrl: mock.url,
    env: { OPENAI_API_KEY: 'sk-cross' },
  })
  ;[a, b] = [await deployment.startServer('server-a'), await deployment.startServer('server-b')]
  await deployment.startWorker('worker')
}, 180_000)

afterAll(async () => {
  heldAnswer.open()
  for (const close of closers.splice(0)) await close()
  await deployment?.stop()
  await mock?.close()
}, 180_000)

/** A workspace under the deployment's root, with a README. */
async function workspace(name: string): Promise<string> {
  const dir = join(deployment.root, name)
  await mkdir(dir)
  await writeFile(join(dir, 'README.md'), '# sample\n')
  return dir
}

async function sse(path: string): Promise<EventRecorder> {
  const stream = await recordEvents(`${b.url}/api/v1${path}`)
  closers.push(() => stream.close())
  return stream
}

interface WsClient {
  readonly events: readonly ReceivedEvent[]
  /** The server's replies (`subscribed`, `answered`, …). */
  readonly replies: readonly Record<string, unknown>[]
  send(message: Record<string, unknown>): void
  until(matches: () => boolean, what: string): Promise<void>
}

/** A WebSocket client of server B, subscribed (to one session, or to everything) once this resolves. */
async function webSocket(sessionId?: string): Promise<WsClient> {
  const socket = new WebSocket(`${b.url.replace(/^http/, 'ws')}/api/v1/ws`)
  closers.push(() => socket.close())
  const events: ReceivedEvent[] = []
  const replies: Record<string, unknown>[] = []
  const listeners = new Set<() => void>()
  socket.on('message', (raw) => {
    const message = JSON.parse(String(raw)) as Record<string, unknown>
    if (typeof message.event === 'string') events.push(message as unknown as ReceivedEvent)
    else replies.push(message)
    for (const listener of [...listeners]) listener()
  })
  const client: WsClient = {
    events,
    replies,
    send: (message) => socket.send(JSON.stringify(message)),
    until: (matches, what) =>
      whenChanged(
        (listener) => {
          listeners.add(listener)
          return () => listeners.delete(listener)
        },
        matches,
        what,
      ),
  }
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve())
    socket.once('error', reject)
  })
  client.send({ type: 'subscribe', ...(sessionId ? { session_id: sessionId } : {}) })
  await client.until(() => replies.some((reply) => reply.type === 'subscribed'), 'the subscription on B')
  return client
}

test('a project run started on A and run by the worker streams on B to SSE and WebSocket clients alike', async () => {
  const overSse = await sse('/events')
  const overWs = await webSocket()
  const dir = await workspace('project')
  const project = await a.request<{ id: number }>('POST', '/projects', { name: 'greet', workspace: dir })
  expect(
    (await a.request('POST', `/projects/${project.body.id}/tasks`, { title: 'Greet the world' })).status,
  ).toBe(201)
  const started = await a.request<{ project_run_id: string }>('POST', `/projects/${project.body.id}/run`, {
    auto_approve: true,
  })
  expect(started.status).toBe(202)
  const runId = started.body.project_run_id
  const ended = (events: readonly ReceivedEvent[]) =>
    events.some((event) => event.event === 'project.finished' && event.data.project_run_id === runId)
  await overSse.until(ended, "the project run's end on B over SSE")
  await overWs.until(() => ended(overWs.events), "the project run's end on B over the WebSocket")

  const ofRun = (events: readonly ReceivedEvent[]) =>
    events.filter((event) => event.data.project_run_id === runId).map((event) => `${event.id} ${event.event}`)
  expect(ofRun(overWs.events)).toEqual(ofRun(overSse.events))
  const types = ofRun(overSse.events).map((line) => line.split(' ')[1])
  for (const type of ['project.started', 'task.started', 'run.started', 'run.finished', 'task.finished'])
    expect(types).toContain(type)
  expect(types[0]).toBe('project.started')
  expect(types.at(-1)).toBe('project.finished')
  expect(overSse.events.find((event) => event.event === 'project.finished')?.data).toMatchObject({
    status: 'completed',
  })
  const tasks = await b.request<{ items: { status: string }[] }>('GET', `/projects/${project.body.id}/tasks`)
  expect(tasks.body.items.map((task) => task.status)).toEqual(['done'])
}, 180_000)

test('a run held mid-turn on the worker shows its usage on B, and a cancel sent to B stops it', async () => {
  const dir = await workspace('held')
  const session = await a.request<{ id: string }>('POST', '/sessions', { workspace: dir, auto_approve: true })
  const stream = await sse(`/sessions/${session.body.id}/events`)
  const posted = await a.request<{ run_id: string }>('POST', `/sessions/${session.body.id}/messages`, {
    content: 'HOLD: read the readme',
  })
  expect(posted.status).toBe(202)
  const runId = posted.body.run_id
  await stream.until(
    (events) => events.some((event) => event.event === 'usage'),
    "the run's first usage on B",
  )
  await within(heldArrived.promise, 'the held second turn to reach the model')

  const running = await b.request<Record<string, unknown>>('GET', `/runs/${runId}`)
  expect(running.body).toMatchObject({ id: runId, status: 'running', text: '', finished_at: null })
  expect(running.body.usage).toMatchObject({ input_tokens: 1000, output_tokens: 200, total_tokens: 1200 })
  expect(running.body.cost_usd).toBeGreaterThan(0)

  expect((await b.request('POST', `/runs/${runId}/cancel`)).status).toBe(202)
  await stream.until(
    (events) => events.some((event) => event.event === 'run.finished'),
    "the cancelled run's end on B",
  )
  expect(stream.events.find((event) => event.event === 'run.finished')?.data).toMatchObject({
    run_id: runId,
    status: 'aborted',
  })
  expect((await a.request('GET', `/runs/${runId}`)).body).toMatchObject({ status: 'aborted' })
  // The worker let the session go before its run.finished went out: the prompt a client sends the
  // moment it sees it is taken, here through B — and its write goes without an ask: the session's
  // auto_approve (set when A created it) is stored with the session, not kept by A.
  expect(
    (await b.request<{ auto_approve: boolean }>('GET', `/sessions/${session.body.id}`)).body,
  ).toMatchObject({
    auto_approve: true,
  })
  const next = await b.request<{ run_id: string }>('POST', `/sessions/${session.body.id}/messages`, {
    content: 'ASK: write notes',
  })
  expect(next.status).toBe(202)
  const ofNext = (events: readonly ReceivedEvent[]) =>
    events.filter((event) => event.data.run_id === next.body.run_id)
  await stream.until(
    (events) => ofNext(events).some((event) => event.event === 'run.finished'),
    'the next run to finish',
  )
  expect(ofNext(stream.events).map((event) => event.event)).not.toContain('permission.asked')
  expect(ofNext(stream.events).find((event) => event.event === 'run.finished')?.data).toMatchObject({
    status: 'completed',
  })
  expect(await readFile(join(dir, 'notes.txt'), 'utf8')).toBe('hi\n')
}, 180_000)

test("a permission ask of a run on the worker is answered over B's WebSocket", async () => {
  const dir = await workspace('ask')
  const session = await a.request<{ id: string }>('POST', '/sessions', { workspace: dir })
  const client = await webSocket(session.body.id)
  const posted = await a.request<{ run_id: string }>('POST', `/sessions/${session.body.id}/messages`, {
    content: 'ASK: write notes',
  })
  expect(posted.status).toBe(202)
  const asked = () => client.events.find((event) => event.event === 'permission.asked')
  await client.until(() => asked() !== undefined, 'the ask on B')
  const id = String(asked()?.data.id)
  client.send({ type: 'permission', id, reply: 'once' })
  const finished = () => client.events.find((event) => event.event === 'run.finished')
  await client.until(() => finished() !== undefined, 'the answered run to finish')
  expect(client.replies).toContainEqual(expect.objectContaining({ type: 'answered', id, reply: 'once' }))
  expect(finished()?.data).toMatchObject({ run_id: posted.body.run_id, status: 'completed' })
  expect(await readFile(join(dir, 'notes.txt'), 'utf8')).toBe('hi\n')
}, 180_000)
