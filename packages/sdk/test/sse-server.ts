import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

/** A tiny SSE server for tests: the handler decides what each connection gets. */
export interface TestServer {
  url: string
  /** Every request, in order: path and the Last-Event-ID header it sent. */
  requests: Array<{
    method: string
    path: string
    lastEventId: string | undefined
    headers: IncomingMessage['headers']
    body: string
  }>
  close(): Promise<void>
}

export type Handler = (req: IncomingMessage, res: ServerResponse, index: number, body: string) => void

export async function startServer(handler: Handler): Promise<TestServer> {
  const requests: TestServer['requests'] = []
  const server: Server = createServer((req, res) => {
    let body = ''
    req.setEncoding('utf8')
    req.on('data', (chunk: string) => {
      body += chunk
    })
    req.on('end', () => {
      const header = req.headers['last-event-id']
      requests.push({
        method: req.method ?? 'GET',
        path: req.url ?? '/',
        lastEventId: Array.isArray(header) ? header[0] : header,
        headers: req.headers,
        body,
      })
      handler(req, res, requests.length - 1, body)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

export function sseHead(res: ServerResponse): void {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' })
  res.flushHeaders()
}

export function sseEvent(id: number, data: Record<string, unknown>): string {
  return `id: ${id}\nevent: ${String(data.type)}\ndata: ${JSON.stringify(data)}\n\n`
}

export function json(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers })
  res.end(JSON.stringify(body))
}

/** An address where nothing listens: a port that was free a moment ago. */
export async function deadUrl(): Promise<string> {
  const server = await startServer(() => undefined)
  await server.close()
  return server.url
}
