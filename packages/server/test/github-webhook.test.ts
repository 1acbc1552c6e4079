import {
  createBareRemote,
  FAKE_TOKEN,
  issueCommentPayload,
  startFakeGitHub,
  webhookDelivery,
} from '@penguin-ai/fake-github'
import { connectGitHub } from '@penguin-ai/github'
import { createGate } from '@penguin-ai/mock-llm'
import { afterEach, describe, expect, it } from 'vitest'
import type { GitHubRunRequest } from '../src/index.js'
import { startTestServer } from './helpers.js'

const SECRET = 'a-webhook-secret-of-some-length'
const cleanups: Array<() => Promise<void>> = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

async function fakeRepo() {
  const github = await startFakeGitHub()
  const remote = await createBareRemote({ 'README.md': 'hi\n' })
  cleanups.push(
    () => remote.remove(),
    () => github.close(),
  )
  const repo = github.addRepo('acme', 'calc', remote)
  repo.grant('alice', 'admin')
  return { github, repo }
}

const post = (url: string, delivery: ReturnType<typeof webhookDelivery>) =>
  fetch(`${url}/api/v1/github/webhook`, { method: 'POST', headers: delivery.headers, body: delivery.body })

describe('POST /api/v1/github/webhook', () => {
  it('answers 503 with what to set when webhooks are off, without asking for a bearer token', async () => {
    const t = await startTestServer()
    const response = await post(t.server.url, webhookDelivery('ping', {}, { secret: SECRET }))
    expect(response.status).toBe(503)
    expect(await response.json()).toMatchObject({
      error: { code: 'unavailable', message: expect.stringMatching(/PENGUIN_GITHUB_WEBHOOK_SECRET/) },
    })
  })

  it('verifies the signature, de-duplicates deliveries and runs one /penguin at a time per issue', async () => {
    const { github, repo } = await fakeRepo()
    const issue = repo.addIssue({ title: 'x' })
    const runs: GitHubRunRequest[] = []
    const gate = createGate()
    const t = await startTestServer({
      github: {
        secret: SECRET,
        github: connectGitHub({ token: FAKE_TOKEN, apiUrl: github.url }),
        start: async (run) => {
          runs.push(run)
          await gate.promise
        },
      },
    })
    const url = t.server.url
    expect((await post(url, webhookDelivery('ping', { zen: 'hi' }, { secret: SECRET }))).status).toBe(200)
    const tampered = webhookDelivery('ping', {}, { secret: SECRET })
    expect(
      (
        await fetch(`${url}/api/v1/github/webhook`, {
          method: 'POST',
          headers: tampered.headers,
          body: '{"x":1}',
        })
      ).status,
    ).toBe(401)
    const ask = (body: string) =>
      webhookDelivery(
        'issue_comment',
        issueCommentPayload(repo, issue, repo.addComment(issue.number, { body, user: 'alice' })),
        { secret: SECRET },
      )
    const go = ask('/penguin go')
    const first = await post(url, go)
    const answer = (await first.json()) as { status: string; comment_id: number }
    expect(answer.status).toBe('started')
    expect(runs).toEqual([
      {
        repo: { owner: 'acme', name: 'calc' },
        number: issue.number,
        commentId: answer.comment_id,
        author: 'alice',
      },
    ])
    expect(repo.comments.find((c) => c.id === answer.comment_id)?.body).toMatch(/asked by @alice/)
    // GitHub redelivers: the same delivery id is recognised.
    expect(await (await post(url, go)).json()).toMatchObject({ status: 'duplicate' })
    // While it runs, another /penguin on the same issue is turned away.
    expect(await (await post(url, ask('/penguin again'))).json()).toMatchObject({ status: 'busy' })
    gate.open()
    // A bot's comment never starts anything (no loops).
    const bot = webhookDelivery(
      'issue_comment',
      {
        ...issueCommentPayload(
          repo,
          issue,
          repo.addComment(issue.number, { body: '/penguin', user: 'penguin-bot' }),
        ),
        comment: { id: 1, body: '/penguin', user: { login: 'penguin-bot', type: 'Bot' } },
      },
      { secret: SECRET },
    )
    expect(await (await post(url, bot)).json()).toMatchObject({ status: 'ignored' })
    expect(runs).toHaveLength(1)
  })
})
