import { createHmac } from 'node:crypto'
import { createServer, type IncomingMessage } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { BareRemote } from './git.js'
import { ApiError, errorBody, notFound, send } from './responses.js'
import { dispatch } from './routes.js'
import { FakeRepo } from './state.js'

export interface FakeGitHubOptions {
  /** Accepted tokens and the login each belongs to. Default `{ 'ghs_fake_token': 'penguin-bot' }`. */
  tokens?: Record<string, string>
}

export interface RecordedApiRequest {
  method: string
  path: string
  status: number
  headers: Record<string, string | string[] | undefined>
  body: unknown
}

export interface FakeGitHub {
  /** The API base URL (what `GITHUB_API_URL` / `--api-url` take), without a trailing slash. */
  url: string
  /** Every request, in arrival order, with the status it got. */
  requests: RecordedApiRequest[]
  /**
   * The first recorded request (past or future) that `check` accepts: wait for what a client did
   * instead of sleeping. Rejects when the fake closes first.
   */
  waitFor(check: (request: RecordedApiRequest) => boolean): Promise<RecordedApiRequest>
  addRepo(owner: string, name: string, remote: BareRemote): FakeRepo
  repo(fullName: string): FakeRepo
  close(): Promise<void>
}

export const FAKE_TOKEN = 'ghs_fake_token'

/**
 * A strict local fake of the part of GitHub's REST API Penguin uses: tokens are required
 * (`Authorization: token …` or `Bearer …`; 401 otherwise), a User-Agent is required (403), bodies
 * must be JSON (400), unknown routes and records are GitHub's 404 body, validation errors its 422
 * body, and lists are paged with `Link` headers.
 */
export async function startFakeGitHub(options: FakeGitHubOptions = {}): Promise<FakeGitHub> {
  const tokens = options.tokens ?? { [FAKE_TOKEN]: 'penguin-bot' }
  const repos = new Map<string, FakeRepo>()
  const requests: RecordedApiRequest[] = []
  let ids = 1000
  const nextId = () => ids++
  const waiters = new Set<{
    check: (r: RecordedApiRequest) => boolean
    resolve: (r: RecordedApiRequest) => void
    reject: (e: Error) => void
  }>()
  const record = (request: RecordedApiRequest) => {
    requests.push(request)
    for (const waiter of waiters) {
      if (!waiter.check(request)) continue
      waiters.delete(waiter)
      waiter.resolve(request)
    }
  }

  const server = createServer((request, response) => {
    void handle(request).then(
      (reply) => {
        record({ ...reply.record, status: reply.status })
        send(response, reply)
      },
      (error: unknown) => {
        const status = error instanceof ApiError ? error.status : 500
        send(response, {
          status,
          body: errorBody(error instanceof ApiError ? error : new ApiError(500, String(error))),
        })
      },
    )
  })

  async function handle(request: IncomingMessage) {
    const url = new URL(request.url ?? '/', `http://127.0.0.1:${port()}`)
    const raw = await readBody(request)
    const record = {
      method: request.method ?? 'GET',
      path: url.pathname + url.search,
      headers: request.headers,
      body: raw,
    }
    const reply = await answer(request, url, raw).catch((error: unknown) => {
      if (!(error instanceof ApiError)) throw error
      return { status: error.status, body: errorBody(error) }
    })
    return { ...reply, record }
  }

  async function answer(request: IncomingMessage, url: URL, raw: string) {
    if (!request.headers['user-agent']) {
      throw new ApiError(
        403,
        'Request forbidden by administrative rules. Please make sure your request has a User-Agent header (https://docs.github.com/en/rest/overview/resources-in-the-rest-api#user-agent-required).',
      )
    }
    const presented = /^(?:token|bearer)\s+(\S+)$/i.exec(request.headers.authorization ?? '')?.[1]
    if (!presented) throw new ApiError(401, 'Requires authentication')
    const user = tokens[presented]
    if (!user) throw new ApiError(401, 'Bad credentials')
    let body: Record<string, unknown> | undefined
    if (raw) {
      try {
        body = JSON.parse(raw) as Record<string, unknown>
      } catch {
        throw new ApiError(400, 'Problems parsing JSON')
      }
    }
    return dispatch({
      method: request.method ?? 'GET',
      url,
      body,
      user,
      reviewId: nextId,
      repo: (owner, name) => {
        const repo = repos.get(`${owner}/${name}`.toLowerCase())
        if (!repo) throw notFound()
        return repo
      },
    })
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = () => (server.address() as AddressInfo).port
  return {
    url: `http://127.0.0.1:${port()}`,
    requests,
    waitFor(check) {
      const found = requests.find(check)
      if (found) return Promise.resolve(found)
      return new Promise((resolve, reject) => waiters.add({ check, resolve, reject }))
    },
    addRepo(owner, name, remote) {
      const repo = new FakeRepo(owner, name, remote, nextId)
      repos.set(`${owner}/${name}`.toLowerCase(), repo)
      return repo
    },
    repo(fullName) {
      const repo = repos.get(fullName.toLowerCase())
      if (!repo) throw new Error(`no repository ${fullName} in the fake`)
      return repo
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const waiter of waiters) waiter.reject(new Error('the fake GitHub closed'))
        waiters.clear()
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    request.on('data', (chunk: Buffer) => chunks.push(chunk))
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')))
    request.on('error', reject)
  })
}

/** `X-Hub-Signature-256` for a webhook body, as GitHub computes it. */
export function signWebhook(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`
}
