import { createHmac, timingSafeEqual } from 'node:crypto'
import type { RepoRef } from './repo-ref.js'

/**
 * Whether `X-Hub-Signature-256` is GitHub's HMAC-SHA256 of the exact body bytes under `secret`.
 * Constant-time; a missing or malformed header is simply false.
 */
export function verifySignature(
  secret: string,
  body: Uint8Array | string,
  header: string | undefined,
): boolean {
  const match = /^sha256=([0-9a-f]{64})$/i.exec(header?.trim() ?? '')
  if (!match || !secret) return false
  const expected = createHmac('sha256', secret).update(body).digest()
  const presented = Buffer.from(match[1]!, 'hex')
  return presented.length === expected.length && timingSafeEqual(presented, expected)
}

/**
 * Delivery ids already seen (GitHub redelivers on timeouts and on request): the newest `limit`
 * are remembered, so a redelivery of a recent one is recognised.
 */
export class DeliveryLog {
  private readonly seen = new Set<string>()
  constructor(private readonly limit = 10_000) {}

  /** True the first time an id is offered, false after. */
  first(id: string): boolean {
    if (this.seen.has(id)) return false
    this.seen.add(id)
    if (this.seen.size > this.limit) {
      const oldest = this.seen.values().next().value
      if (oldest !== undefined) this.seen.delete(oldest)
    }
    return true
  }
}

/** What a `/penguin` comment asks for. */
export interface CommentTrigger {
  repo: RepoRef
  /** The issue or pull request the comment is on. */
  number: number
  isPull: boolean
  commentId: number
  author: string
  /** What follows `/penguin` on its line and below it (may be empty). */
  instructions: string
  /** A line comment on a pull request's diff (`pull_request_review_comment`): where it is. */
  line?: { path: string; line: number | null }
}

const COMMAND = /^\/penguin(?:\s+|$)/

interface CommentPayload {
  action?: unknown
  issue?: { number?: unknown; pull_request?: unknown }
  pull_request?: { number?: unknown }
  comment?: {
    id?: unknown
    body?: unknown
    path?: unknown
    line?: unknown
    user?: { login?: unknown; type?: unknown }
  }
  repository?: { name?: unknown; owner?: { login?: unknown } }
}

/**
 * A new comment starting with `/penguin` → the trigger: an `issue_comment` (on an issue or a pull
 * request's conversation) or a `pull_request_review_comment` (a line comment on a pull request's
 * diff; the run is then on that pull request). Anything else (other events, edits, deletions,
 * bots' comments, other text) → undefined.
 */
export function commentTrigger(event: string | undefined, payload: unknown): CommentTrigger | undefined {
  if (event !== 'issue_comment' && event !== 'pull_request_review_comment') return undefined
  const data = payload as CommentPayload
  if (data?.action !== 'created') return undefined
  const body = typeof data.comment?.body === 'string' ? data.comment.body.trimStart() : ''
  if (!COMMAND.test(body)) return undefined
  const onDiff = event === 'pull_request_review_comment'
  const number = onDiff ? data.pull_request?.number : data.issue?.number
  const commentId = data.comment?.id
  const author = data.comment?.user?.login
  const owner = data.repository?.owner?.login
  const name = data.repository?.name
  const path = data.comment?.path
  if (typeof number !== 'number' || typeof commentId !== 'number') return undefined
  if (typeof author !== 'string' || typeof owner !== 'string' || typeof name !== 'string') return undefined
  if (onDiff && typeof path !== 'string') return undefined
  // A bot (Penguin itself among them) cannot start a run: no loops.
  if (data.comment?.user?.type === 'Bot') return undefined
  const line = data.comment?.line
  return {
    repo: { owner, name },
    number,
    isPull: onDiff || Boolean(data.issue?.pull_request),
    commentId,
    author,
    instructions: body.replace(COMMAND, '').trim(),
    ...(onDiff ? { line: { path: path as string, line: typeof line === 'number' ? line : null } } : {}),
  }
}
