import { describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { createSession, startTestServer } from './helpers.js'

interface Message {
  type?: string
  id?: number
  event?: string
  data?: Record<string, unknown>
  run_id?: string
  error?: { code: string; message: string }
}

function connect(
  url: string,
  headers: Record<string, string> = {},
): Promise<{ ws: WebSocket; next: (match: (m: Message) => boolean) => Promise<Message> }> {
  const ws = new WebSocket(url, { headers })
  const received: Message[] = []
  const waiters: { match: (m: Message) => boolean; resolve: (m: Message) => void }[] = []
  ws.on('message', (raw) => {
    const message = JSON.parse(String(raw)) as Message
    const waiter = waiters.find((w) => w.match(message))
    if (waiter) {
      waiters.splice(waiters.indexOf(waiter), 1)
      waiter.resolve(message)
    } else received.push(message)
  })
  const next = (match: (m: Message) => boolean) =>
    new Promise<Message>((resolve, reject) => {
      const found = received.find(match)
      if (found) {
        received.splice(received.indexOf(found), 1)
        return resolve(found)
      }
      const timer = setTimeout(() => reject(new Error('timed out waiting for a WebSocket message')), 10_000)
      waiters.push({
        match,
        resolve: (m) => {
          clearTimeout(timer)
          resolve(m)
        },
      })
    })
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve({ ws, next }))
    ws.once('error', reject)
  })
}

describe('the WebSocket endpoint', () => {
  it('streams events and takes prompts and permission answers', async () => {
    const t = await startTestServer({
      script: [
        { text: 'Writing.', toolCalls: [{ name: 'write_file', arguments: { path: 'a.txt', content: 'a' } }] },
        { text: 'Done.' },
      ],
    })
    const session = await createSession(t)
    const wsUrl = `${t.server.url.replace('http', 'ws')}/api/v1/ws`
    const { ws, next } = await connect(`${wsUrl}?token=${t.token}`)
    ws.send(JSON.stringify({ type: 'subscribe', session_id: session.id }))
    await next((m) => m.type === 'subscribed')
    ws.send(JSON.stringify({ type: 'prompt', session_id: session.id, content: 'write a' }))
    const accepted = await next((m) => m.type === 'accepted')
    expect(accepted.run_id).toEqual(expect.any(String))
    const asked = await next((m) => m.event === 'permission.asked')
    expect(asked).toMatchObject({
      id: expect.any(Number),
      data: { session_id: session.id, tool: 'write_file' },
    })
    ws.send(JSON.stringify({ type: 'prompt', session_id: session.id, content: 'again' }))
    expect(await next((m) => m.type === 'error')).toMatchObject({ error: { code: 'conflict' } })
    ws.send(JSON.stringify({ type: 'permission', id: asked.data?.id, reply: 'once' }))
    const done = await next((m) => m.event === 'run.finished')
    expect(done.data).toMatchObject({ status: 'completed', run_id: accepted.run_id })
    ws.send('not json')
    expect(await next((m) => m.type === 'error')).toMatchObject({ error: { code: 'invalid_request' } })
    ws.close()
  })

  it('needs a token (header or query) when auth is on', async () => {
    const t = await startTestServer()
    const wsUrl = `${t.server.url.replace('http', 'ws')}/api/v1/ws`
    await expect(connect(wsUrl)).rejects.toThrow(/401/)
    await expect(connect(`${wsUrl}?token=pgn_wrong`)).rejects.toThrow(/401/)
    const { ws } = await connect(wsUrl, { authorization: `Bearer ${t.token}` })
    ws.close()
    // A plain GET is told to upgrade.
    expect((await t.api('/api/v1/ws')).status).toBe(426)
  })
})
