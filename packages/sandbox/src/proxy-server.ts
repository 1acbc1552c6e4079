/**
 * The filtering proxy's server (see proxy.ts): loaded only when a sandbox with a `sandbox.network`
 * list runs its first command, so that node:http stays off the path to `penguin run`'s first request.
 */
import { createServer, type IncomingMessage, request, type Server, type ServerResponse } from 'node:http'
import { connect, type Socket } from 'node:net'
import { type Blocked, domainAllowed } from './proxy.js'

export class FilteringProxy {
  private readonly server: Server
  private readonly blocked: Blocked[] = []
  private readonly sockets = new Set<Socket>()

  private constructor(
    private readonly allowed: readonly string[],
    readonly socketPath: string,
  ) {
    this.server = createServer((req, res) => this.forward(req, res))
    this.server.on('connect', (req: IncomingMessage, socket: Socket, head: Buffer) =>
      this.tunnel(req, socket, head),
    )
    this.server.on('connection', (socket: Socket) => {
      this.sockets.add(socket)
      socket.on('close', () => this.sockets.delete(socket))
    })
    // The proxy never keeps Penguin alive on its own.
    this.server.unref()
  }

  static async listen(allowed: readonly string[], socketPath: string): Promise<FilteringProxy> {
    const proxy = new FilteringProxy(allowed, socketPath)
    await new Promise<void>((resolve, reject) => {
      proxy.server.once('error', reject)
      proxy.server.listen(socketPath, () => {
        proxy.server.off('error', reject)
        resolve()
      })
    })
    return proxy
  }

  /** Hosts refused since `since` (ms since the epoch), each once. */
  blockedSince(since: number): string[] {
    return [...new Set(this.blocked.filter((entry) => entry.time >= since).map((entry) => entry.host))]
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy()
    await new Promise<void>((resolve) => this.server.close(() => resolve()))
  }

  private refuse(host: string): string {
    this.blocked.push({ host, time: Date.now() })
    if (this.blocked.length > 1000) this.blocked.splice(0, this.blocked.length - 1000)
    return `Penguin's sandbox blocked ${host}: it is not in sandbox.network\n`
  }

  private tunnel(req: IncomingMessage, client: Socket, head: Buffer): void {
    const { host, port } = splitHostPort(req.url ?? '', 443)
    client.on('error', () => client.destroy())
    if (!host || !domainAllowed(host, this.allowed)) {
      const body = this.refuse(host || String(req.url))
      client.end(
        `HTTP/1.1 403 Forbidden\r\ncontent-type: text/plain\r\ncontent-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
      )
      return
    }
    const upstream = connect(port, host, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n')
      if (head.length) upstream.write(head)
      upstream.pipe(client)
      client.pipe(upstream)
    })
    upstream.on('error', (error) => {
      if (client.writable && !upstream.readable)
        client.end(`HTTP/1.1 502 Bad Gateway\r\ncontent-type: text/plain\r\n\r\n${error.message}\n`)
      else client.destroy()
    })
    client.on('close', () => upstream.destroy())
  }

  private forward(req: IncomingMessage, res: ServerResponse): void {
    let target: URL
    try {
      target = new URL(req.url ?? '')
    } catch {
      res.writeHead(400, { 'content-type': 'text/plain' }).end('A proxy request needs an absolute URL.\n')
      return
    }
    if (target.protocol !== 'http:' || !domainAllowed(target.hostname, this.allowed)) {
      res.writeHead(403, { 'content-type': 'text/plain' }).end(this.refuse(target.hostname || target.href))
      return
    }
    const upstream = request(
      target,
      { method: req.method, headers: withoutHopByHop(req.headers) },
      (response) => {
        res.writeHead(response.statusCode ?? 502, response.headers)
        response.pipe(res)
      },
    )
    upstream.on('error', (error) => {
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' })
      res.end(`${error.message}\n`)
    })
    req.pipe(upstream)
  }
}

function splitHostPort(authority: string, fallback: number): { host: string; port: number } {
  const match = /^\[([^\]]+)\]:(\d+)$/.exec(authority) ?? /^([^:]+):(\d+)$/.exec(authority)
  if (match) return { host: match[1]!, port: Number(match[2]) }
  return { host: authority, port: fallback }
}

function withoutHopByHop(headers: IncomingMessage['headers']): IncomingMessage['headers'] {
  const { 'proxy-connection': _a, 'proxy-authorization': _b, ...rest } = headers
  return rest
}
