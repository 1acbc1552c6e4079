import type { ServerResponse } from 'node:http'
import { afterEach, describe, expect, test } from 'vitest'
import { PenguinClient, type SessionEvent } from '../src/index.js'
import { json, sseEvent, sseHead, startServer, type TestServer } from './sse-server.js'

let server: TestServer | undefined
afterEach(async () => {
  await server?.close()
  server = undefined
})

const usage = { inputTokens: 10, outputTokens: 5, cachedInputTokens: 0, totalTokens: 15 }
const finished = (runId: string, status: string) => ({
  type: 'run.finished',
  runId,
  time: 3,
  session_id: 'ses_1',
  status,
  text: 'Hello',
  usage,
  cost: 0.001,
  iterations: 1,
  durationMs: 42,
})

/** A fake server: a session's event stream, a message route that starts "run_2", and cancel. */
async function fakeServer(onMessage: (stream: ServerResponse) => void): Promise<TestServer> {
  let stream: ServerResponse | undefined
  let id = 0
  const send = (data: Record<string, unknown>) => stream?.write(sseEvent(++id, data))
  return startServer((req, res) => {
    if (req.url === '/api/v1/sessions/ses_1/events') {
      sseHead(res)
      stream = res
      // Another run's leftovers must be ignored.
      send({ type: 'text.delta', runId: 'run_1', time: 0, session_id: 'ses_1', delta: 'old' })
      return
    }
    if (req.url === '/api/v1/sessions/ses_1/messages') {
      json(res, 202, { run_id: 'run_2' })
      if (stream) onMessage(stream)
      return
    }
    if (req.url === '/api/v1/runs/run_2/cancel') {
      json(res, 202, { id: 'run_2', status: 'running' })
      send(finished('run_2', 'aborted'))
      return
    }
    json(res, 404, { error: { code: 'not_found', message: 'no' } })
  })
}

describe('client.sessions.run()', () => {
  test('subscribes, posts, forwards only its run, returns the run.finished payload', async () => {
    server = await fakeServer((stream) => {
      let id = 10
      const send = (data: Record<string, unknown>) => stream.write(sseEvent(++id, data))
      send({
        type: 'run.started',
        runId: 'run_2',
        time: 1,
        session_id: 'ses_1',
        model: 'm',
        workspace: '/w',
        prompt: 'hi',
      })
      send({ type: 'text.delta', runId: 'run_1', time: 1, session_id: 'ses_1', delta: 'other' })
      send({ type: 'text.delta', runId: 'run_2', time: 2, session_id: 'ses_1', delta: 'Hello' })
      send(finished('run_2', 'completed'))
    })
    const client = new PenguinClient({ baseUrl: server.url })
    const events: SessionEvent[] = []
    let accepted: string | undefined
    const result = await client.sessions.run('ses_1', 'hi', {
      onEvent: (event) => events.push(event),
      onAccepted: (runId) => {
        accepted = runId
      },
    })
    expect(accepted).toBe('run_2')
    expect(events.map((e) => e.type)).toEqual(['run.started', 'text.delta', 'run.finished'])
    expect(result).toEqual({
      status: 'completed',
      text: 'Hello',
      usage,
      cost: 0.001,
      iterations: 1,
      durationMs: 42,
    })
    // The stream was opened before the message was posted.
    expect(server.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      'GET /api/v1/sessions/ses_1/events',
      'POST /api/v1/sessions/ses_1/messages',
    ])
    expect(JSON.parse(server.requests[1]!.body)).toEqual({ content: 'hi' })
  })

  test('aborting cancels the run on the server and resolves with the aborted result', async () => {
    const controller = new AbortController()
    server = await fakeServer((stream) => {
      stream.write(
        sseEvent(20, {
          type: 'run.started',
          runId: 'run_2',
          time: 1,
          session_id: 'ses_1',
          model: 'm',
          workspace: '/w',
          prompt: 'hi',
        }),
      )
    })
    const client = new PenguinClient({ baseUrl: server.url })
    const result = await client.sessions.run('ses_1', 'hi', {
      signal: controller.signal,
      onEvent: (event) => {
        if (event.type === 'run.started') controller.abort()
      },
    })
    expect(result.status).toBe('aborted')
    expect(server.requests.map((r) => `${r.method} ${r.path}`)).toContain('POST /api/v1/runs/run_2/cancel')
  })

  test('a refused message (409) rejects and closes the stream', async () => {
    server = await startServer((req, res) => {
      if (req.url?.endsWith('/events')) {
        sseHead(res)
        return
      }
      json(res, 409, { error: { code: 'conflict', message: 'A run is already active on this session' } })
    })
    const client = new PenguinClient({ baseUrl: server.url })
    await expect(client.sessions.run('ses_1', 'hi')).rejects.toMatchObject({ status: 409, code: 'conflict' })
  })
})
