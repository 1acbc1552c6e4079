/** The HTTP server: records each request, routes it, and hands chat requests the next scripted turn. */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import { handleAnthropic } from './anthropic/handle.js'
import { usageOf } from './completion.js'
import { errorBody } from './error-body.js'
import { parseChatRequest, parseJson } from './parse.js'
import { PromptCache } from './prompt-cache.js'
import { sendJson, sendTurn } from './respond.js'
import { handleResponses } from './responses/handle.js'
import type { MockState, NextTurn } from './state.js'
import type {
  ChatCompletionRequest,
  MockServer,
  MockServerOptions,
  MockTurn,
  RecordedRequest,
  Wire,
} from './types.js'

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
  const waiters = new Set<{ count: number; resolve(): void; reject(error: Error): void }>()
  const notify = () => {
    for (const waiter of waiters) {
      if (requests.length < waiter.count) continue
      waiters.delete(waiter)
      waiter.resolve()
    }
  }

  function nextTurn(request: RecordedRequest): MockTurn | undefined {
    const index = turnsTaken
    const turn = queue.shift() ?? scriptFn?.(request, index)
    if (turn) turnsTaken++
    return turn
  }

  const state: MockState = {
    options,
    requests,
    cache: new PromptCache(),
    next(record): NextTurn {
      let turn: MockTurn | undefined
      try {
        turn = nextTurn(record)
      } catch (error) {
        const message = `mock-llm: the script function threw: ${error instanceof Error ? error.message : String(error)}`
        return { ok: false, code: 'mock_script_error', message }
      }
      if (!turn) {
        const message = `mock-llm: the mock script is exhausted: no turn left for request #${requests.length} (${record.method} ${record.path}). Push more turns or lengthen the script.`
        return { ok: false, code: 'mock_script_exhausted', message }
      }
      return { ok: true, turn, index: turnsTaken - 1 }
    },
  }

  /** OpenAI caches Chat Completions prompts too: tool schemas, then each message, as prefix blocks. */
  function withCachedUsage(turn: MockTurn, body: ChatCompletionRequest): MockTurn {
    const blocks = [...(body.tools ?? []), ...body.messages].map((item) => ({ text: JSON.stringify(item) }))
    const cached = state.cache.automatic(body.model ?? 'mock-model', blocks)
    const completion = usageOf(turn, body).completion_tokens
    return {
      ...turn,
      usage: { prompt_tokens: cached.input, completion_tokens: completion, cached_tokens: cached.read },
    }
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
    const next = state.next(record)
    if (!next.ok) return sendJson(res, 500, errorBody(500, { message: next.message, code: next.code }))
    const { index } = next
    const turn =
      options.promptCache === true && !next.turn.usage ? withCachedUsage(next.turn, body) : next.turn
    const wire = usageOf(turn, body)
    record.usage = {
      input: wire.prompt_tokens,
      output: wire.completion_tokens,
      cacheRead: wire.prompt_tokens_details?.cached_tokens ?? 0,
      cacheWrite: 0,
    }
    const ctx = {
      id: `chatcmpl-mock-${index}`,
      created: Math.floor(Date.now() / 1000),
      model: body.model ?? 'mock-model',
      turnIndex: index,
    }
    await sendTurn(res, turn, body, ctx, options.sleep)
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const rawBody = await readBody(req)
    const method = req.method ?? 'GET'
    const path = new URL(req.url ?? '/', 'http://mock.invalid').pathname
    // Accept paths with and without the `/v1` prefix: clients disagree on where the base URL ends.
    // Anthropic's API lives at /v1/messages only (its SDK appends /v1 to the host root itself).
    const route = path.replace(/^\/v1(?=\/)/, '').replace(/\/+$/, '')
    const wire: Wire | undefined =
      method !== 'POST'
        ? undefined
        : route === '/chat/completions'
          ? 'chat'
          : path === '/v1/messages'
            ? 'anthropic'
            : route === '/responses'
              ? 'responses'
              : undefined
    const json = parseJson(rawBody)
    const record: RecordedRequest = {
      ...(wire ? { wire } : {}),
      ...(json === undefined ? {} : { json }),
      method,
      path,
      headers: flattenHeaders(req.headers),
      body: wire === 'chat' || wire === undefined ? parseChatRequest(rawBody) : undefined,
      rawBody,
    }
    requests.push(record)
    notify()
    if (method === 'GET' && route === '/models') {
      const data = (models ?? ['mock-model']).map((id) => ({
        id,
        object: 'model',
        created: 0,
        owned_by: 'mock-llm',
      }))
      return sendJson(res, 200, { object: 'list', data })
    }
    if (wire === 'chat') return handleChat(record, res)
    if (wire === 'anthropic') return handleAnthropic(state, record, res)
    if (wire === 'responses') return handleResponses(state, record, res)
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
    root: `http://${urlHost(host)}:${port}`,
    port,
    requests,
    push(...turns) {
      queue.push(...turns)
    },
    remaining() {
      return scriptFn ? Number.POSITIVE_INFINITY : queue.length
    },
    waitForRequests(count) {
      return new Promise<RecordedRequest[]>((resolve, reject) => {
        const waiter = { count, resolve: () => resolve(requests), reject }
        waiters.add(waiter)
        notify()
      })
    },
    close() {
      for (const waiter of waiters) {
        waiter.reject(
          new Error(`mock-llm closed after ${requests.length} of ${waiter.count} awaited requests`),
        )
      }
      waiters.clear()
      return new Promise<void>((resolve) => {
        // Streams in flight (slow turns, clients that never read) must not keep the server open.
        server.closeAllConnections()
        server.close(() => resolve())
      })
    },
  }
}
