import { describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { startTestServer } from './helpers.js'
import { closeCode, frame, rawWebSocket } from './raw-client.js'

/** A real client subscribes and is answered: the server is alive and serving WebSockets. */
async function subscribeWorks(url: string, token: string): Promise<void> {
  const ws = new WebSocket(`${url.replace('http', 'ws')}/api/v1/ws`, {
    headers: { authorization: `Bearer ${token}` },
  })
  const reply = await new Promise<string>((resolve, reject) => {
    ws.once('open', () => ws.send(JSON.stringify({ type: 'subscribe' })))
    ws.once('message', (raw) => resolve(String(raw)))
    ws.once('error', reject)
  })
  expect(JSON.parse(reply)).toEqual({ type: 'subscribed', session_id: null })
  ws.close()
}

// One malformed frame used to throw from the socket's 'error' event and kill the whole server.
const MALFORMED: Array<[string, Buffer, number]> = [
  // Six bytes: FIN + reserved opcode 3, masked, empty.
  ['a reserved opcode', frame(0x3, Buffer.alloc(0)), 1002],
  ['an unmasked client frame', frame(0x1, Buffer.from('hi'), { masked: false }), 1002],
  ['a text frame that is not UTF-8', frame(0x1, Buffer.from([0xff, 0xfe, 0xfd])), 1007],
  ['a message over the size limit', frame(0x2, Buffer.alloc(0), { declaredLength: 2 * 1024 * 1024 }), 1009],
]

describe('malformed WebSocket frames', () => {
  it.each(MALFORMED)(
    '%s closes that socket with its close code; the server goes on',
    async (_name, bytes, code) => {
      const t = await startTestServer()
      const raw = rawWebSocket(t.server.url, '/api/v1/ws', { Authorization: `Bearer ${t.token}` })
      expect(await raw.handshake).toMatch(/^HTTP\/1\.1 101/)
      raw.socket.write(bytes)
      const sent = await raw.closed
      expect(closeCode(sent)).toBe(code)
      // Other clients and the HTTP API are unaffected.
      await subscribeWorks(t.server.url, t.token)
      expect((await t.api('/api/v1/sessions')).status).toBe(200)
    },
  )

  it('a connection reset in the middle of the handshake is harmless', async () => {
    const t = await startTestServer()
    const raw = rawWebSocket(t.server.url, '/api/v1/ws', { Authorization: `Bearer ${t.token}` })
    raw.socket.resetAndDestroy()
    await raw.closed.catch(() => undefined)
    await subscribeWorks(t.server.url, t.token)
  })
})
