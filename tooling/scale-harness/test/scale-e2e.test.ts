/**
 * Issue 18's proof, with the real processes a team runs: PostgreSQL, two `penguin serve
 * --database` API servers and two `penguin worker`s, the mock model over HTTP. 20 sessions are
 * created round-robin on both servers and prompted; while both workers hold runs (each held run has
 * a completed turn, and its next model answer is held), worker A is SIGKILLed. Then: every run
 * completes; an SSE client of each server saw every event of every run prompted on the OTHER one,
 * in order (ids increasing, nothing missing against the stored stream, one run.finished last); and
 * no tool call of a completed turn ran again (the commands count their executions in files; the
 * mock records which execution's result the model was sent).
 */
import { mkdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { createGate, type MockServer, startMockServer } from '@penguin-ai/mock-llm'
import { within } from '@penguin-ai/testkit'
import { afterAll, beforeAll, expect, test } from 'vitest'
import {
  type ApiServer,
  type Deployment,
  type EventRecorder,
  type PenguinProcess,
  type ReceivedEvent,
  recordEvents,
  startDeployment,
} from '../src/index.js'
import { answer, callId, nextTurn, parseRequest, prompt, type SeenResult } from './model.js'

const SESSIONS = 20
const CONCURRENCY = 3
/** Short, so a dead worker's runs move on quickly; the CLI's default is 30 s. */
const HEARTBEAT_SECONDS = 3

let mock: MockServer
let deployment: Deployment
const streams: EventRecorder[] = []

/** Held second-turn requests, by the worker whose command ran the first turn. */
const holding = new Map<string, Set<number>>()
let bothHold: () => void
const bothWorkersHoldRuns = new Promise<void>((resolve) => {
  bothHold = resolve
})
const seen: SeenResult[] = []
const gate = createGate()

beforeAll(async () => {
  mock = await startMockServer({
    script: (request) => {
      const parsed = parseRequest((request.body?.messages ?? []) as never)
      seen.push(...parsed.seen)
      const first = parsed.seen.find((result) => result.step === 1)
      if (parsed.results === 1 && first) {
        const tasks = holding.get(first.worker) ?? new Set<number>()
        tasks.add(parsed.task)
        holding.set(first.worker, tasks)
        if (holding.has('a') && holding.has('b')) bothHold()
      }
      return nextTurn(parsed, gate.promise)
    },
  })
  deployment = await startDeployment({
    model: 'openai/gpt-4o',
    baseUrl: mock.url,
    env: { OPENAI_API_KEY: 'sk-e2e' },
  })
}, 180_000)

afterAll(async () => {
  gate.open()
  await Promise.all(streams.map((stream) => stream.close()))
  await deployment?.stop()
  await mock?.close()
}, 180_000)

/** The events of one run, in the order the stream delivered them. */
function ofRun(events: readonly ReceivedEvent[], runId: string): ReceivedEvent[] {
  return events.filter((event) => event.data.run_id === runId)
}

function finishedRuns(events: readonly ReceivedEvent[]): Set<string> {
  return new Set(events.filter((e) => e.event === 'run.finished').map((e) => String(e.data.run_id)))
}

async function lines(file: string): Promise<string[]> {
  const text = await readFile(file, 'utf8').catch(() => '')
  return text.split('\n').filter((line) => line !== '')
}

test('two servers, two workers, one SIGKILLed mid-run: every run completes, every event reaches the other server in order, no completed tool call runs twice', async () => {
  const servers: ApiServer[] = [
    await deployment.startServer('server-1'),
    await deployment.startServer('server-2'),
  ]
  const workers: PenguinProcess[] = []
  for (const name of ['a', 'b'])
    workers.push(
      await deployment.startWorker(`worker-${name}`, {
        concurrency: CONCURRENCY,
        heartbeatSeconds: HEARTBEAT_SECONDS,
        env: { E2E_WORKER: name },
      }),
    )
  // One client on each server, subscribed before anything runs.
  for (const server of servers) streams.push(await recordEvents(`${server.url}/api/v1/events`))

  const sessions: { task: number; id: string; runId: string; server: number; workspace: string }[] = []
  for (let task = 0; task < SESSIONS; task++) {
    const server = task % 2
    const workspace = join(deployment.root, `session-${task}`)
    await mkdir(workspace)
    const created = await servers[server]!.request<{ id: string }>('POST', '/sessions', {
      workspace,
      auto_approve: true,
    })
    expect(created.status, JSON.stringify(created.body)).toBe(201)
    const posted = await servers[server]!.request<{ run_id: string }>(
      'POST',
      `/sessions/${created.body.id}/messages`,
      { content: prompt(task) },
    )
    expect(posted.status, JSON.stringify(posted.body)).toBe(202)
    sessions.push({ task, id: created.body.id, runId: posted.body.run_id, server, workspace })
  }

  // Both workers hold runs: a run whose first turn's command ran on the worker, and whose model
  // request for the second turn has arrived (held). Kill A now.
  await within(bothWorkersHoldRuns, 'both workers holding a run with a completed turn', 180_000)
  const killedTasks = [...(holding.get('a') ?? [])]
  expect(killedTasks.length).toBeGreaterThan(0)
  const killed = await workers[0]!.stop('SIGKILL')
  expect(killed.signal).toBe('SIGKILL')
  gate.open()

  const runIds = sessions.map((session) => session.runId)
  for (const stream of streams)
    await stream.until(
      (events) => runIds.every((id) => finishedRuns(events).has(id)),
      `run.finished of all ${SESSIONS} runs`,
      240_000,
    )

  for (const [index, stream] of streams.entries()) {
    const events = stream.events
    // Ids increase strictly, and nothing told the client it missed events.
    for (let i = 1; i < events.length; i++) expect(events[i]!.id).toBeGreaterThan(events[i - 1]!.id)
    expect(events.filter((event) => event.event === 'resync')).toEqual([])
    // Every run prompted on the OTHER server: complete, in order, its run.finished once and last.
    for (const session of sessions.filter((s) => s.server !== index)) {
      const run = ofRun(events, session.runId)
      const finished = run.filter((event) => event.event === 'run.finished')
      expect(finished, `run.finished of task ${session.task}`).toHaveLength(1)
      expect(run.at(-1)?.event).toBe('run.finished')
      expect(finished[0]!.data.status, JSON.stringify(finished[0]!.data)).toBe('completed')
      expect(finished[0]!.data.text).toBe(answer(session.task))
      expect(run[0]?.event, `first event of task ${session.task}`).toBe('run.started')
      // Each call of the run started before it finished, and the second call's result is there.
      for (const step of [1, 2]) {
        const id = callId(session.task, step)
        const started = run.findIndex((e) => e.event === 'tool.started' && e.data.callId === id)
        const done = run.findIndex((e) => e.event === 'tool.finished' && e.data.callId === id)
        if (step === 2) expect(done, `tool.finished of call 2, task ${session.task}`).toBeGreaterThan(-1)
        if (done !== -1) expect(started).toBeGreaterThan(-1)
        if (done !== -1) expect(started).toBeLessThan(done)
      }
      // Nothing missing: the session's events as this server stores them, replayed from the
      // start (Last-Event-ID: 0), are exactly those the live client saw, up to the run's end.
      const live = events.filter((e) => e.data.session_id === session.id)
      const upToEnd = live.slice(0, live.findIndex((e) => e.event === 'run.finished') + 1)
      const replay = await recordEvents(`${servers[index]!.url}/api/v1/sessions/${session.id}/events`, {
        lastEventId: 0,
      })
      try {
        await replay.until(
          (replayed) => replayed.some((e) => e.event === 'run.finished' && e.data.run_id === session.runId),
          `the replay of task ${session.task}`,
        )
        const replayed = replay.events.slice(
          0,
          replay.events.findIndex((e) => e.event === 'run.finished' && e.data.run_id === session.runId) + 1,
        )
        expect(upToEnd.map((e) => `${e.id} ${e.event}`)).toEqual(replayed.map((e) => `${e.id} ${e.event}`))
      } finally {
        await replay.close()
      }
    }
  }

  // No tool call of a completed turn ran again: once the model was sent the result of a call's
  // n-th execution, the call's log has n lines, no more. Every second call ran on B (A was dead).
  for (const session of sessions) {
    for (const step of [1, 2]) {
      const results = seen.filter((result) => result.task === session.task && result.step === step)
      const executions = await lines(join(session.workspace, `calls-${step}.log`))
      if (step === 2)
        expect(results.length, `call 2 of task ${session.task} reached the model`).toBeGreaterThan(0)
      if (results.length === 0) continue
      const last = Math.max(...results.map((result) => result.execution))
      expect(executions, `executions of call ${step}, task ${session.task}`).toHaveLength(last)
    }
    expect(await lines(join(session.workspace, 'calls-2.log'))).toEqual(['b'])
  }
  // The runs A held went on from their completed first turn on B: A's command ran once, not again.
  for (const task of killedTasks) {
    const workspace = sessions[task]!.workspace
    expect(await lines(join(workspace, 'calls-1.log')), `task ${task}`).toEqual(['a'])
    expect(await lines(join(workspace, 'calls-2.log')), `task ${task}`).toEqual(['b'])
  }
  // And what every server stores is the whole conversation.
  for (const session of sessions) {
    const messages = await servers[1 - session.server]!.request<{
      items: { role: string; parts: { type: string; text?: string }[] }[]
    }>('GET', `/sessions/${session.id}/messages`)
    const last = messages.body.items.at(-1)
    expect(last?.role).toBe('assistant')
    expect(last?.parts.map((part) => part.text ?? '').join('')).toContain(answer(session.task))
  }
})
