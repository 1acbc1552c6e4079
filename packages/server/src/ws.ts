/**
 * `GET /api/v1/ws`: the SSE events and the prompt / cancel / permission actions over one WebSocket.
 * Upgrades are taken on the node server before Hono (it cannot hand over a socket), with the same
 * token check as HTTP: `Authorization: Bearer` or, for browsers, `?token=`.
 */
import type { IncomingMessage, Server } from 'node:http'
import type { Duplex } from 'node:stream'
import { PostMessageBody } from '@penguin-ai/protocol/api'
import { type WebSocket, WebSocketServer } from 'ws'
import { z } from 'zod'
import { siteOptions, WS_PATH } from './app.js'
import type { ServerDeps, StreamedEvent } from './deps.js'
import { eventJson } from './events/hub.js'
import { toHttpError } from './http/errors.js'
import { zodIssues } from './http/validate.js'
import { bearerToken } from './middleware/auth.js'
import { checkSite } from './middleware/site-guard.js'
import type { ServerRuntime } from './runtime/server-runtime.js'
import { visibleSession } from './runtime/visibility.js'

const ClientMessage = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('subscribe'),
    session_id: z.string().min(1).optional(),
    last_event_id: z.number().int().nonnegative().optional(),
  }),
  z.object({
    type: z.literal('prompt'),
    session_id: z.string().min(1),
    content: z.string().min(1),
    agent: PostMessageBody.shape.agent,
    delivery: PostMessageBody.shape.delivery,
  }),
  z.object({ type: z.literal('cancel'), run_id: z.string().min(1) }),
  z.object({
    type: z.literal('permission'),
    id: z.string().min(1),
    reply: z.enum(['once', 'always', 'reject']),
  }),
])

/** A client this far behind is disconnected (it can resubscribe with last_event_id). */
const MAX_BUFFERED_BYTES = 8 * 1024 * 1024
const KEEPALIVE_MS = 30_000

export interface WebSocketEndpoint {
  /** Closes every connection (code 1001, going away). */
  close(): void
  readonly clientCount: number
}

export function attachWebSocket(server: Server, deps: ServerDeps, runtime: ServerRuntime): WebSocketEndpoint {
  const wss = new WebSocketServer({ noServer: true, maxPayload: deps.config.bodyLimit ?? 1024 * 1024 })
  server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    // Node stops watching the socket once it is handed over: a reset before or during the
    // handshake must not become an uncaught 'error' that takes the process down.
    socket.on('error', () => socket.destroy())
    const url = new URL(request.url ?? '/', 'http://localhost')
    if (url.pathname !== WS_PATH) return refuse(socket, 404, 'Not Found')
    if (runtime.lifecycle !== 'ready') return refuse(socket, 503, 'Service Unavailable')
    if (deps.config.auth) {
      const presented =
        bearerToken(request.headers.authorization) ?? url.searchParams.get('token') ?? undefined
      if (!presented) return refuse(socket, 401, 'Unauthorized')
      // The handshake waits for the store; the socket may be gone by then (destroyed above).
      deps.store.verifyToken(presented).then(
        (token) => {
          if (!token) return refuse(socket, 401, 'Unauthorized')
          upgrade(request, socket, head)
        },
        () => refuse(socket, 503, 'Service Unavailable'),
      )
      return
    }
    upgrade(request, socket, head)
  })
  const upgrade = (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(request.url ?? '/', 'http://localhost')
    const refusal = checkSite(
      { method: 'GET', path: url.pathname, header: (name) => headerValue(request, name) },
      siteOptions(deps),
    )
    if (refusal) return refuse(socket, 403, 'Forbidden')
    wss.handleUpgrade(request, socket, head, (ws) => connection(ws, deps, runtime))
  }
  return {
    close() {
      for (const client of wss.clients) client.close(1001, 'server shutting down')
      wss.close()
    },
    get clientCount() {
      return wss.clients.size
    },
  }
}

function connection(ws: WebSocket, deps: ServerDeps, runtime: ServerRuntime): void {
  // A malformed frame (bad opcode, unmasked, invalid UTF-8, over maxPayload) makes `ws` send a
  // close frame with the matching code (1002, 1007, 1009), end the socket and emit 'error'.
  // Without a listener that 'error' was thrown, and one 6-byte frame killed the whole server.
  ws.on('error', () => {})
  const subscriptions: (() => void)[] = []
  /** One text message; a client too far behind is closed (it resumes with last_event_id). */
  const sendText = (text: string | Buffer) => {
    if (ws.readyState !== ws.OPEN) return
    if (ws.bufferedAmount > MAX_BUFFERED_BYTES)
      return ws.close(1013, 'too far behind; resubscribe with last_event_id')
    ws.send(text, { binary: false })
  }
  const send = (message: unknown) => sendText(JSON.stringify(message))
  const fail = (error: unknown) => {
    const http = toHttpError(error)
    send({ type: 'error', error: { code: http.code, message: http.message } })
  }
  const alive = setInterval(() => ws.ping(), KEEPALIVE_MS)
  alive.unref?.()
  ws.on('close', () => {
    clearInterval(alive)
    for (const unsubscribe of subscriptions.splice(0)) unsubscribe()
  })
  let handling: Promise<void> = Promise.resolve()
  ws.on('message', async (raw) => {
    let parsed: z.infer<typeof ClientMessage>
    try {
      const result = ClientMessage.safeParse(JSON.parse(String(raw)))
      if (!result.success) {
        send({
          type: 'error',
          error: {
            code: 'invalid_request',
            message: 'invalid message',
            details: { issues: zodIssues(result.error) },
          },
        })
        return
      }
      parsed = result.data
    } catch {
      send({ type: 'error', error: { code: 'invalid_request', message: 'messages must be JSON' } })
      return
    }
    // One message after another, in order: a `subscribe` is in place before the next `prompt` runs.
    const message = parsed
    handling = handling.then(() => handle(message)).catch(fail)
  })

  async function handle(message: z.infer<typeof ClientMessage>): Promise<void> {
    switch (message.type) {
      case 'subscribe': {
        const sessionId = message.session_id ? (await visibleSession(deps, message.session_id)).id : undefined
        // Closed while the session was looked up: nothing to subscribe (close already cleaned up).
        if (ws.readyState !== ws.OPEN) return
        const filter = (event: StreamedEvent) =>
          sessionId === undefined || event.data.session_id === sessionId
        subscriptions.push(
          deps.events.subscribe(
            filter,
            (event) => sendText(eventFrame(event)),
            message.last_event_id,
            sessionId,
          ),
        )
        send({ type: 'subscribed', session_id: sessionId ?? null })
        return
      }
      case 'prompt': {
        const options = message.agent ? { agent: message.agent } : {}
        const { delivery } = message
        const taken = delivery
          ? runtime.runs.deliver(message.session_id, message.content, delivery, options)
          : runtime.runs.start(message.session_id, message.content, options).then((run) => ({
              run,
              delivery: 'prompt' as const,
            }))
        taken.then(
          (accepted) => send({ type: 'accepted', run_id: accepted.run.id, delivery: accepted.delivery }),
          (error: unknown) => fail(error),
        )
        return
      }
      case 'cancel':
        await runtime.runs.cancelRun(message.run_id)
        send({ type: 'cancelled', run_id: message.run_id })
        return
      case 'permission':
        send({ type: 'answered', ...(await runtime.runs.answerPermission(message.id, message.reply)) })
        return
    }
  }
}

function refuse(socket: Duplex, status: number, text: string): void {
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`)
}

function headerValue(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name]
  return Array.isArray(value) ? value[0] : value
}

/**
 * The event being fanned out as one text message (`{"id","event","data"}`, the data's JSON made
 * once by the hub): the hub hands one event to every subscriber in one pass, so every client is
 * sent the same bytes. Only the latest is kept.
 */
let latest: { event: StreamedEvent; frame: Buffer } | undefined

function eventFrame(event: StreamedEvent): Buffer {
  if (latest?.event !== event) {
    const json = `{"id":${event.id},"event":${JSON.stringify(event.event)},"data":${eventJson(event)}}`
    latest = { event, frame: Buffer.from(json) }
  }
  return latest.frame
}
