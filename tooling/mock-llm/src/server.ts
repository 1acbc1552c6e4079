/** The HTTP server: records each request, routes it, and hands chat requests the next scripted turn. */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import { errorBody } from './error-body.js'
import { parseChatRequest } from './parse.js'
import { sendJson, sendTurn } from './respond.js'
import type { MockServer, MockServerOptions, MockTurn, RecordedRequest } from './types.js'

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')))
    req.on('error', reject)
  })
}

function flattenHeaders(headers: IncomingMessage['headers']): Record<string, string> {
  const flat: Record<string, string> = {}
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) flat[name] = Array.isArray(value) ? value.join(', ') : value
  }
  return flat
}

/** A host a client can connect to: wildcard binds are reached through loopback. */
function urlHost(host: string): string {
  if (host === '0.0.0.0' || host === '::') return '127.0.0.1'
  return host.includes(':') ? `[${host}]` : host
}

export async function startMockServer(options: MockServerOptions = {}): Promise<MockServer> {
  const queue: MockTurn[] = Array.isArray(options.script) ? [...options.script] : []
  const scriptFn = typeof options.script === 'function' ? options.script : undefined
  const models = options.models
  const requests: RecordedRequest[] = []
  let turnsTaken = 0

  function nextTurn(request: RecordedRequest): MockTurn | undefined {
    const index = turnsTaken
    const turn = queue.shift() ?? scriptFn?.(request, index)
    if (turn) turnsTaken++
    return turn
  }

  async function handleChat(record: RecordedRequest, res: ServerResponse): Promise<void> {
    const expected = options.requireApiKey
    // Rejections by the server itself (auth, body, model) are not scripted turns and consume none.
    if (expected !== undefined && record.headers.authorization !== `Bearer ${expected}`) {
      return sendJson(res, 401, errorBody(401, { message: 'Incorrect API key provided.' }))
    }
    const body = record.body
    if (!body) {
      const message = 'mock-llm: the body is not a JSON chat completion request with a messages array.'
      return sendJson(res, 400, errorBody(400, { message }))
    }
    if (models && !models.includes(body.model ?? '')) {
      const message = `The model \`${body.model ?? ''}\` does not exist or you do not have access to it.`
      return sendJson(res, 404, errorBody(404, { message, code: 'model_not_found' }))
    }
    let turn: MockTurn | undefined
    try {
      turn = nextTurn(record)
    } catch (error) {
      const message = `mock-llm: the script function threw: ${error instanceof Error ? error.message : String(error)}`
      return sendJson(res, 500, errorBody(500, { message, code: 'mock_script_error' }))
    }
    if (!turn) {
      const message = `mock-llm: the mock script is exhausted: no turn left for request #${requests.length} (${record.method} ${record.path}). Push more turns or lengthen the script.`
      return sendJson(res, 500, errorBody(500, { message, code: 'mock_script_exhausted' }))
    }
    const index = turnsTaken - 1
    const ctx = {
      id: `chatcmpl-mock-${index}`,
      created: Math.floor(Date.now() / 1000),
      model: body.model ?? 'mock-model',
      turnIndex: index,
    }
    await sendTurn(res, turn, body, ctx)
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const rawBody = await readBody(req)
    const method = req.method ?? 'GET'
    const path = new URL(req.url ?? '/', 'http://mock.invalid').pathname
    const record: RecordedRequest = {
      method,
      path,
      headers: flattenHeaders(req.headers),
      body: parseChatRequest(rawBody),
      rawBody,
    }
    requests.push(record)
    // Accept paths with and without the `/v1` prefix: clients disagree on where the base URL ends.
    const route = path.replace(/^\/v1(?=\/)/, '').replace(/\/+$/, '')
    if (method === 'GET' && route === '/models') {
      const data = (models ?? ['mock-model']).map((id) => ({
        id,
        object: 'model',
        created: 0,
        owned_by: 'mock-llm',
      }))
      return sendJson(res, 200, { object: 'list', data })
    }
    if (method === 'POST' && route === '/chat/completions') return handleChat(record, res)
    sendJson(
      res,
      404,
      errorBody(404, { message: `mock-llm has no route for ${method} ${path}`, code: 'not_found' }),
    )
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (res.headersSent) return void res.destroy()
      sendJson(res, 500, errorBody(500, { message: `mock-llm internal error: ${String(error)}` }))
    })
  })

  const host = options.host ?? '127.0.0.1'
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject)
      resolve()
    })
  })
  const address = server.address()
  if (typeof address !== 'object' || address === null)
    throw new Error('mock-llm: the server has no TCP address')
  const port = address.port

  return {
    url: `http://${urlHost(host)}:${port}/v1`,
    port,
    requests,
    push(...turns) {
      queue.push(...turns)
    },
    remaining() {
      return scriptFn ? Number.POSITIVE_INFINITY : queue.length
    },
    close() {
      return new Promise<void>((resolve) => {
        // Streams in flight (slow turns, clients that never read) must not keep the server open.
        server.closeAllConnections()
        server.close(() => resolve())
      })
    },
  }
}
