import { randomUUID } from 'node:crypto'
import { signWebhook } from './server.js'
import type { Comment, FakeRepo, Issue, ListedReviewComment } from './state.js'

/** GitHub's `issue_comment` payload (the fields a receiver reads), for a comment already in the fake. */
export function issueCommentPayload(repo: FakeRepo, issue: Issue, comment: Comment): Record<string, unknown> {
  return {
    action: 'created',
    issue: {
      number: issue.number,
      title: issue.title,
      body: issue.body,
      state: issue.state,
      user: { login: issue.user },
      ...(issue.pull
        ? { pull_request: { url: `https://api.github.com/repos/${repo.fullName}/pulls/${issue.number}` } }
        : {}),
    },
    comment: {
      id: comment.id,
      body: comment.body,
      user: { login: comment.user, type: 'User' },
      author_association: repo.collaborators.has(comment.user) ? 'COLLABORATOR' : 'NONE',
    },
    repository: {
      name: repo.name,
      full_name: repo.fullName,
      owner: { login: repo.owner },
      default_branch: repo.remote.defaultBranch,
    },
    sender: { login: comment.user, type: 'User' },
  }
}

/**
 * GitHub's `pull_request_review_comment` (created) payload — a line comment on a pull request's
 * diff — for a comment already in the fake (`repo.addReviewComment`).
 */
export function reviewCommentPayload(
  repo: FakeRepo,
  pull: Issue,
  comment: ListedReviewComment,
): Record<string, unknown> {
  if (!pull.pull) throw new Error(`#${pull.number} is not a pull request`)
  return {
    action: 'created',
    comment: {
      id: comment.id,
      pull_request_review_id: comment.reviewId,
      path: comment.path,
      line: comment.line,
      side: comment.side,
      body: comment.body,
      user: { login: comment.user, type: 'User' },
      author_association: repo.collaborators.has(comment.user) ? 'COLLABORATOR' : 'NONE',
      html_url: `https://github.com/${repo.fullName}/pull/${pull.number}#discussion_r${comment.id}`,
    },
    pull_request: {
      number: pull.number,
      title: pull.title,
      body: pull.body,
      state: pull.state,
      user: { login: pull.user },
      head: { ref: pull.pull.head },
      base: { ref: pull.pull.base },
    },
    repository: {
      name: repo.name,
      full_name: repo.fullName,
      owner: { login: repo.owner },
      default_branch: repo.remote.defaultBranch,
    },
    sender: { login: comment.user, type: 'User' },
  }
}

export interface Delivery {
  id: string
  event: string
  body: string
  headers: Record<string, string>
}

/** A signed delivery as GitHub sends it (headers `X-GitHub-Event`, `X-GitHub-Delivery`, `X-Hub-Signature-256`). */
export function webhookDelivery(
  event: string,
  payload: unknown,
  options: { secret?: string; id?: string } = {},
): Delivery {
  const body = JSON.stringify(payload)
  const id = options.id ?? randomUUID()
  return {
    id,
    event,
    body,
    headers: {
      'content-type': 'application/json',
      'user-agent': 'GitHub-Hookshot/fake',
      'x-github-event': event,
      'x-github-delivery': id,
      ...(options.secret !== undefined ? { 'x-hub-signature-256': signWebhook(options.secret, body) } : {}),
    },
  }
}
