/** GitHub's webhook deliveries (public: the HMAC signature authenticates them). */
import { z } from 'zod'
import { route } from '../route.js'

const AnswerSchema = z.object({
  status: z.enum(['started', 'ignored', 'duplicate', 'busy', 'pong']),
  reason: z.string().optional(),
  comment_id: z.number().optional(),
})

export const githubWebhook = route({
  method: 'post',
  path: '/github/webhook',
  summary:
    'GitHub webhook deliveries (issue, pull request and pull request line comments starting with /penguin start a run)',
  notes:
    'GitHub\'s delivery (`X-Hub-Signature-256`, `X-GitHub-Delivery`, `X-GitHub-Event`), no bearer token. 202 `{status: "started", comment_id}` for a new `issue_comment` or `pull_request_review_comment` (a line of a pull request’s diff) starting with `/penguin` by a user with write access (runs `penguin github run`, which edits that comment as it goes); 202 `ignored`/`busy` with `reason`; 200 `duplicate` (delivery id seen) / `pong`; 401 bad signature; 503 when webhooks are off (no secret); 502 `upstream_error` when GitHub fails. See docs/github.md',
  tags: ['github'],
  response: { status: 202, description: 'what the delivery did', schema: AnswerSchema },
  errors: [400, 401, 502, 503],
})
