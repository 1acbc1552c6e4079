import { OpenAPIHono } from '@hono/zod-openapi'
import {
  type CommentTrigger,
  commentTrigger,
  DeliveryLog,
  type GitHub,
  GitHubError,
  type RepoRef,
  verifySignature,
} from '@penguin-ai/github'
import { githubWebhook } from '@penguin-ai/protocol/api'
import { HttpError } from '../deps.js'
import { sendError } from '../http/errors.js'
import { serve } from '../http/route.js'

/** The path GitHub posts to (under /api/v1); public: the HMAC signature is its authentication. */
export const GITHUB_WEBHOOK_PATH = githubWebhook.path

/** A run the webhook asks for: `penguin github run` on the issue or pull request, editing `commentId`. */
export interface GitHubRunRequest {
  repo: RepoRef
  number: number
  /** The progress comment the run edits as it goes (posted by the webhook). */
  commentId: number
  /** Who asked (a user with write access). */
  author: string
}

export interface GitHubWebhookOptions {
  /** Verifies `X-Hub-Signature-256`. Without it the route answers 503 (webhooks are off). */
  secret?: string
  /** GitHub as the server's token sees it: the permission check and the progress comment. */
  github?: GitHub
  /** Starts the run; the returned promise settles when it has ended (one run per issue at a time). */
  start?: (run: GitHubRunRequest) => Promise<unknown>
  /** Where the route notes what it did (deliveries ignored, runs started, failures). */
  log?: (message: string) => void
}

/**
 * `POST /api/v1/github/webhook`: GitHub's deliveries. Verified (HMAC-SHA256 of the exact body,
 * constant time), de-duplicated by `X-GitHub-Delivery`, and only a new comment starting with
 * `/penguin` — on an issue or a pull request (`issue_comment`) or on a line of a pull request's
 * diff (`pull_request_review_comment`) — by a user with write access to the repository starts a
 * run on that issue or pull request, which reports progress by editing one comment. Everything else is answered 2xx with what was done, so GitHub's delivery log
 * says it.
 */
export function githubWebhookRoutes(options: GitHubWebhookOptions = {}): OpenAPIHono {
  const app = new OpenAPIHono()
  const deliveries = new DeliveryLog()
  const running = new Set<string>()
  const log = options.log ?? (() => {})

  serve(app, githubWebhook, async (_, c) => {
    const { secret, github, start } = options
    if (!secret || !github || !start) {
      return sendError(
        c,
        new HttpError(
          503,
          'unavailable',
          'GitHub webhooks are off: start penguin serve with PENGUIN_GITHUB_WEBHOOK_SECRET (or "github": {"webhookSecret": …} in your config) and GITHUB_TOKEN',
        ),
      )
    }
    const body = Buffer.from(await c.req.arrayBuffer())
    if (!verifySignature(secret, body, c.req.header('x-hub-signature-256'))) {
      return sendError(
        c,
        new HttpError(401, 'unauthorized', 'X-Hub-Signature-256 is missing or does not match the body'),
      )
    }
    const delivery = c.req.header('x-github-delivery')
    const event = c.req.header('x-github-event')
    if (!delivery || !event) {
      return sendError(
        c,
        new HttpError(400, 'invalid_request', 'X-GitHub-Delivery and X-GitHub-Event are required'),
      )
    }
    if (!deliveries.first(delivery)) return c.json({ status: 'duplicate' as const }, 200)
    if (event === 'ping') return c.json({ status: 'pong' as const }, 200)
    let payload: unknown
    try {
      payload = JSON.parse(body.toString('utf8'))
    } catch {
      return sendError(
        c,
        new HttpError(
          400,
          'invalid_request',
          'the body is not JSON (set the webhook content type to application/json)',
        ),
      )
    }
    const trigger = commentTrigger(event, payload)
    if (!trigger) return c.json({ status: 'ignored' as const, reason: 'not a new /penguin comment' }, 202)
    const where = `${trigger.repo.owner}/${trigger.repo.name}#${trigger.number}`
    try {
      const permission = await github.permission(trigger.repo, trigger.author)
      if (permission !== 'admin' && permission !== 'write') {
        log(`github: ignored /penguin on ${where} by ${trigger.author} (${permission} access)`)
        return c.json(
          {
            status: 'ignored' as const,
            reason: `${trigger.author} has ${permission} access; /penguin needs write`,
          },
          202,
        )
      }
      const key = where.toLowerCase()
      if (running.has(key))
        return c.json({ status: 'busy' as const, reason: `a run on ${where} is under way` }, 202)
      running.add(key)
      let progress: { id: number }
      try {
        progress = await github.comment(trigger.repo, trigger.number, startedText(trigger))
      } catch (error) {
        running.delete(key)
        throw error
      }
      log(`github: /penguin on ${where} by ${trigger.author}: starting a run`)
      void start({
        repo: trigger.repo,
        number: trigger.number,
        commentId: progress.id,
        author: trigger.author,
      })
        .catch((error: unknown) =>
          log(`github: the run on ${where} failed to start: ${(error as Error).message}`),
        )
        .finally(() => running.delete(key))
      return c.json({ status: 'started' as const, comment_id: progress.id }, 202)
    } catch (error) {
      if (error instanceof GitHubError)
        return sendError(c, new HttpError(502, 'upstream_error', error.message))
      throw error
    }
  })
  return app
}

function startedText(trigger: CommentTrigger): string {
  const where = trigger.line
    ? ` in a comment on \`${trigger.line.path}\`${trigger.line.line ? ` line ${trigger.line.line}` : ''}`
    : ''
  return `🐧 Penguin is on it (asked by @${trigger.author}${where}). This comment shows how it goes.`
}
