/**
 * `POST /api/v1/github/webhook` on a real `penguin serve`: a `/penguin` comment by a writer — on an
 * issue (`issue_comment`) or on a line of a pull request's diff (`pull_request_review_comment`) —
 * starts `penguin github run` on it, which reports by editing one progress comment. Fake GitHub,
 * bare git remote, mock model; nothing touches the network.
 */
import {
  FAKE_TOKEN,
  issueCommentPayload,
  reviewCommentPayload,
  webhookDelivery,
} from '@penguin-ai/fake-github'
import { describe, expect, test } from 'vitest'
import { deliver, serveWithWebhook, useGitHubWorld } from './github-fixtures.js'

const world = useGitHubWorld()
const SECRET = 'webhook-secret-0123456789'

/** The model fixes add(), then says so. */
const FIX = [
  {
    toolCalls: [
      { name: 'edit_file', arguments: { path: 'src/add.js', old_string: 'a - b', new_string: 'a + b' } },
    ],
  },
  { text: 'Fixed add().' },
]

describe('POST /api/v1/github/webhook on penguin serve', () => {
  test('a /penguin comment by a writer starts the run, which reports by editing one comment', async () => {
    const w = world()
    const { github, remote, repo } = w
    const issue = repo.addIssue({ title: 'add() subtracts', body: 'add(2, 3) returns -1.', user: 'carol' })
    repo.grant('alice', 'write')
    repo.grant('bob', 'read')
    const server = await w.withMock(FIX)
    const comment = (user: string, body: string) => {
      const created = repo.addComment(issue.number, { body, user })
      return webhookDelivery('issue_comment', issueCommentPayload(repo, issue, created), { secret: SECRET })
    }
    const result = await serveWithWebhook(w, server, SECRET, async (url) => {
      // Unsigned or wrongly signed: refused before anything is read.
      const unsigned = webhookDelivery('issue_comment', { action: 'created' })
      expect((await deliver(url, unsigned)).status).toBe(401)
      const forged = webhookDelivery('issue_comment', { action: 'created' }, { secret: 'not-the-secret-000' })
      expect((await deliver(url, forged)).status).toBe(401)
      // Someone with read access, and a comment that is not a command: nothing happens.
      const reader = await deliver(url, comment('bob', '/penguin fix it'))
      expect(reader.status).toBe(202)
      expect(await reader.json()).toMatchObject({
        status: 'ignored',
        reason: expect.stringMatching(/bob has read access/),
      })
      const chatter = await deliver(url, comment('alice', 'Thanks for the report'))
      expect(await chatter.json()).toMatchObject({ status: 'ignored' })
      // A writer's /penguin: started, with the progress comment's id.
      const ask = comment('alice', '/penguin please fix this')
      const response = await deliver(url, ask)
      expect(response.status).toBe(202)
      const answer = (await response.json()) as { status: string; comment_id: number }
      expect(answer.status).toBe('started')
      // GitHub redelivers: the same delivery id starts nothing more.
      const again = await deliver(url, ask)
      expect(await again.json()).toMatchObject({ status: 'duplicate' })
      await github.waitFor(
        (request) =>
          request.method === 'PATCH' &&
          request.path.endsWith(`/issues/comments/${answer.comment_id}`) &&
          String(request.body).includes('pull request'),
      )
      const progress = repo.comments.find((entry) => entry.id === answer.comment_id)!
      expect(progress.user).toBe('penguin-bot')
      expect(progress.history[0]).toMatch(/on it \(asked by @alice\)/)
      expect(progress.history.some((body) => /the agent is working/.test(body))).toBe(true)
      expect(progress.body).toMatch(/Opened pull request #\d+: https:\/\/github\.com\/acme\/calc\/pull\/\d+/)
      expect(await remote.read(`penguin/issue-${issue.number}`, 'src/add.js')).toContain('return a + b')
      expect(repo.pulls()).toHaveLength(1)
      // One comment from Penguin on the issue: the one it kept editing.
      expect(repo.commentsOn(issue.number).filter((entry) => entry.user === 'penguin-bot')).toHaveLength(1)
    })
    expect(result.code, result.stderr).toBe(0)
    expect(result.stdout).toContain('github webhook: http://')
    expect(result.stdout + result.stderr).not.toContain(FAKE_TOKEN)
    expect(result.stdout + result.stderr).not.toContain(SECRET)
  })

  test('a /penguin line comment on a pull request runs on that pull request, the comment in view', async () => {
    const w = world()
    const { github, remote, repo } = w
    await remote.commit(
      'tidy',
      { 'src/add.js': 'export function add(a, b) {\n  return a - b // tidy\n}\n' },
      'Tidy',
    )
    const pull = repo.addPull({ title: 'Tidy add', body: 'Cosmetics.', head: 'tidy', user: 'carol' })
    repo.grant('alice', 'write')
    repo.grant('bob', 'read')
    const server = await w.withMock(FIX)
    const lineComment = (user: string, body: string) => {
      const created = repo.addReviewComment(pull.number, { path: 'src/add.js', line: 2, body, user })
      return webhookDelivery('pull_request_review_comment', reviewCommentPayload(repo, pull, created), {
        secret: SECRET,
      })
    }
    const result = await serveWithWebhook(w, server, SECRET, async (url) => {
      const reader = await deliver(url, lineComment('bob', '/penguin make it add'))
      expect(await reader.json()).toMatchObject({ status: 'ignored', reason: expect.stringMatching(/bob/) })
      const response = await deliver(url, lineComment('alice', '/penguin this subtracts: make it add'))
      expect(response.status).toBe(202)
      const answer = (await response.json()) as { status: string; comment_id: number }
      expect(answer.status).toBe('started')
      await github.waitFor(
        (request) =>
          request.method === 'PATCH' &&
          request.path.endsWith(`/issues/comments/${answer.comment_id}`) &&
          String(request.body).includes('pull request'),
      )
      // The progress comment is on the pull request's conversation and says where it was asked.
      const progress = repo.comments.find((entry) => entry.id === answer.comment_id)!
      expect(progress.issue).toBe(pull.number)
      expect(progress.history[0]).toContain('asked by @alice in a comment on `src/add.js` line 2')
      expect(progress.body).toMatch(new RegExp(`Updated pull request #${pull.number}`))
      // It worked on the pull request's own branch: no new pull request.
      expect(await remote.read('tidy', 'src/add.js')).toContain('return a + b // tidy')
      expect(repo.pulls()).toHaveLength(1)
    })
    expect(result.code, result.stderr).toBe(0)
    // The model saw the line comments with the diff they are on.
    const first = JSON.stringify(server.requests[0]!.json)
    expect(first).toContain('<line_comment author=\\"alice\\" path=\\"src/add.js\\" line=\\"2\\">')
    expect(first).toContain('+  return a - b // tidy')
    expect(first).toContain('/penguin this subtracts: make it add')
  })
})
