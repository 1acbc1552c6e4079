/**
 * Clients below fetch: raw HTTP requests with any Host header (fetch cannot set it) and raw
 * WebSocket frames over a TCP socket (no client library would send a malformed one).
 */
import { randomBytes } from 'node:crypto'
import { request } from 'node:http'
import { connect, type Socket } from 'node:net'

export interface RawReply {
  status: number
  // biome-ignore lint/suspicious/noExplicitAny: test assertions read arbitrary JSON bodies
  body: any
}

/** One HTTP request with exactly these headers (Host included). */
export function rawRequest(
  url: string,
  options: { method?: string; path: string; headers?: Record<string, string>; body?: string },
): Promise<RawReply> {
  const target = new URL(url)
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: target.hostname,
        port: target.port,
        method: options.method ?? 'GET',
        path: options.path,
        headers: options.headers ?? {},
        setHost: !Object.keys(options.headers ?? {}).some((name) => name.toLowerCase() === 'host'),
      },
      (res) => {
        let text = ''
        res.setEncoding('utf8')
        res.on('data', (chunk) => {
          text += chunk
        })
        res.on('end', () => {
          let body: unknown = text
          try {
            body = JSON.parse(text)
          } catch {}
          resolve({ status: res.statusCode ?? 0, body })
        })
      },
    )
    req.on('error', reject)
    req.end(options.body)
  })
}

export interface RawSocket {
  socket: Socket
  /** Resolves with the status line of the upgrade answer. */
  handshake: Promise<string>
  /** Resolves when the server closes the connection, with everything it sent after the handshake. */
  closed: Promise<Buffer>
}

/** Opens a TCP connection and asks for a WebSocket upgrade on `path`. */
export function rawWebSocket(url: string, path: string, headers: Record<string, string> = {}): RawSocket {
  const target = new URL(url)
  const socket = connect(Number(target.port), target.hostname)
  const lines = [
    `GET ${path} HTTP/1.1`,
    `Host: ${headers.Host ?? target.host}`,
    'Upgrade: websocket',
    'Connection: Upgrade',
    `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}`,
    'Sec-WebSocket-Version: 13',
    ...Object.entries(headers)
      .filter(([name]) => name !== 'Host')
      .map(([name, value]) => `${name}: ${value}`),
  ]
  socket.write(`${lines.join('\r\n')}\r\n\r\n`)
  let received = Buffer.alloc(0)
  let headerEnd = -1
  let resolveHandshake: (line: string) => void = () => {}
  const handshake = new Promise<string>((resolve) => {
    resolveHandshake = resolve
  })
  const closed = new Promise<Buffer>((resolve, reject) => {
    socket.on('data', (chunk) => {
      received = Buffer.concat([received, chunk])
      if (headerEnd === -1) {
        headerEnd = received.indexOf('\r\n\r\n')
        if (headerEnd !== -1) resolveHandshake(received.subarray(0, received.indexOf('\r\n')).toString())
      }
    })
    socket.on('close', () => {
      if (headerEnd === -1) resolveHandshake(received.toString().split('\r\n')[0] ?? '')
      resolve(headerEnd === -1 ? Buffer.alloc(0) : received.subarray(headerEnd + 4))
    })
    socket.on('error', reject)
  })
  return { socket, handshake, closed }
}

/** A client frame: FIN set, the opcode, masked unless told otherwise, the payload length as given. */
export function frame(
  opcode: number,
  payload: Buffer,
  options: { masked?: boolean; declaredLength?: number } = {},
): Buffer {
  const masked = options.masked ?? true
  const length = options.declaredLength ?? payload.length
  const head: number[] = [0x80 | opcode]
  const maskBit = masked ? 0x80 : 0
  if (length < 126) head.push(maskBit | length)
  else if (length < 65_536) head.push(maskBit | 126, length >> 8, length & 0xff)
  else {
    head.push(maskBit | 127)
    const big = Buffer.alloc(8)
    big.writeBigUInt64BE(BigInt(length))
    head.push(...big)
  }
  if (!masked) return Buffer.concat([Buffer.from(head), payload])
  const mask = randomBytes(4)
  const body = Buffer.from(payload.map((byte, i) => byte ^ mask[i % 4]!))
  return Buffer.concat([Buffer.from(head), mask, body])
}

/** The status code of the first close frame the server sent (opcode 8), if any. */
export function closeCode(sent: Buffer): number | undefined {
  let offset = 0
  while (offset + 2 <= sent.length) {
    const opcode = sent[offset]! & 0x0f
    let length = sent[offset + 1]! & 0x7f
    let start = offset + 2
    if (length === 126) {
      length = sent.readUInt16BE(start)
      start += 2
    } else if (length === 127) {
      length = Number(sent.readBigUInt64BE(start))
      start += 8
    }
    if (opcode === 8) return length >= 2 ? sent.readUInt16BE(start) : undefined
    offset = start + length
  }
  return undefined
}
