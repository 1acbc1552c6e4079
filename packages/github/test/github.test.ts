import {
  type BareRemote,
  createBareRemote,
  FAKE_TOKEN,
  type FakeGitHub,
  signWebhook,
  startFakeGitHub,
} from '@penguin-ai/fake-github'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import {
  commentTrigger,
  connectGitHub,
  DeliveryLog,
  GitHubError,
  parseRepoRef,
  placeReviewComments,
  remoteNamesRepo,
  verifySignature,
} from '../src/index.js'

let github: FakeGitHub
let remote: BareRemote
const repo = { owner: 'acme', name: 'widgets' }

beforeAll(async () => {
  github = await startFakeGitHub()
  remote = await createBareRemote({ 'a.txt': '1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n' })
  github.addRepo('acme', 'widgets', remote)
})
afterAll(async () => {
  await github.close()
  await remote.remove()
})

describe('connectGitHub against the fake REST API', () => {
  test('reads the repository, an issue and every page of its comments', async () => {
    const fake = github.repo('acme/widgets')
    const issue = fake.addIssue({ title: 'Broken', body: 'It breaks', user: 'alice' })
    for (let i = 0; i < 105; i++) fake.addComment(issue.number, { body: `c${i}`, user: 'bob' })
    const client = connectGitHub({ token: FAKE_TOKEN, apiUrl: `${github.url}/` })
    expect(await client.repository(repo)).toMatchObject({
      fullName: 'acme/widgets',
      defaultBranch: 'main',
      cloneUrl: remote.url,
    })
    expect(await client.issue(repo, issue.number)).toMatchObject({
      title: 'Broken',
      body: 'It breaks',
      author: 'alice',
      isPull: false,
    })
    const comments = await client.comments(repo, issue.number)
    expect(comments).toHaveLength(105)
    expect(comments.at(-1)).toMatchObject({ body: 'c104', author: 'bob' })
    // Two pages of 100: paginate followed the Link header.
    expect(github.requests.filter((r) => r.path.includes(`/issues/${issue.number}/comments`))).toHaveLength(2)
  })

  test("reads a pull request's line comments with the diff they are on", async () => {
    await remote.commit('seven', { 'a.txt': '1\n2\n3\n4\n5\n6\nseven\n8\n9\n10\n' }, 'seven')
    const fake = github.repo('acme/widgets')
    const pull = fake.addPull({ title: 'Seven', head: 'seven', user: 'carol' })
    fake.addReviewComment(pull.number, {
      path: 'a.txt',
      line: 7,
      body: 'Spell it as a digit.',
      user: 'alice',
    })
    fake.addReviewComment(pull.number, {
      path: 'a.txt',
      line: 7,
      side: 'LEFT',
      body: 'It was 7.',
      user: 'bob',
    })
    const client = connectGitHub({ token: FAKE_TOKEN, apiUrl: github.url })
    const comments = await client.reviewComments(repo, pull.number)
    expect(comments).toMatchObject([
      { author: 'alice', path: 'a.txt', line: 7, side: 'RIGHT', body: 'Spell it as a digit.' },
      { author: 'bob', path: 'a.txt', line: 7, side: 'LEFT', body: 'It was 7.' },
    ])
    // GitHub's diff_hunk: the hunk header down to the commented line, on that line's side.
    expect(comments[0]!.diffHunk.split('\n')).toEqual(['@@ -4,7 +4,7 @@', ' 4', ' 5', ' 6', '-7', '+seven'])
    expect(comments[1]!.diffHunk.split('\n').at(-1)).toBe('-7')
    expect(comments[0]!.htmlUrl).toContain(`/pull/${pull.number}#discussion_r`)
  })

  test('turns GitHub errors into GitHubError values without the token', async () => {
    const client = connectGitHub({ token: 'ghs_wrong_secret', apiUrl: github.url })
    const error = await client.repository(repo).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(GitHubError)
    expect((error as GitHubError).status).toBe(401)
    expect((error as GitHubError).message).toMatch(/401 Bad credentials/)
    expect((error as GitHubError).message).not.toContain('ghs_wrong_secret')
    const missing = await connectGitHub({ token: FAKE_TOKEN, apiUrl: github.url })
      .issue(repo, 999)
      .catch((e: unknown) => e)
    expect((missing as GitHubError).status).toBe(404)
  })

  test('places review comments only on lines of the diff', async () => {
    await remote.commit('change', { 'a.txt': '1\n2\n3\nfour\n5\n6\n7\n8\n9\n10\n' }, 'four')
    const fake = github.repo('acme/widgets')
    const pull = fake.addPull({ title: 'four', head: 'change', user: 'alice' })
    const client = connectGitHub({ token: FAKE_TOKEN, apiUrl: github.url })
    const files = await client.pullFiles(repo, pull.number)
    const { placed, dropped } = placeReviewComments(files, [
      { path: 'a.txt', line: 4, side: 'RIGHT', body: 'spell it as a digit' },
      { path: 'a.txt', line: 10, side: 'RIGHT', body: 'outside the hunk' },
      { path: 'b.txt', line: 1, side: 'RIGHT', body: 'no such file' },
      { path: 'a.txt', line: 4, side: 'LEFT', body: 'the old line' },
    ])
    expect(placed.map((c) => c.body)).toEqual(['spell it as a digit', 'the old line'])
    expect(dropped.map((c) => c.reason)).toEqual([
      'line 10 is not part of the diff',
      'the file is not part of the pull request',
    ])
    const info = await client.pull(repo, pull.number)
    await client.createReview(repo, pull.number, {
      commitId: info.head.sha,
      body: 'Review',
      event: 'COMMENT',
      comments: placed,
    })
    expect(fake.reviews.at(-1)!.comments).toHaveLength(2)
  })
})

describe('webhooks', () => {
  test('verifies X-Hub-Signature-256 against the exact body', () => {
    const body = '{"action":"created"}'
    expect(verifySignature('s3cret', body, signWebhook('s3cret', body))).toBe(true)
    expect(verifySignature('s3cret', `${body} `, signWebhook('s3cret', body))).toBe(false)
    expect(verifySignature('other', body, signWebhook('s3cret', body))).toBe(false)
    expect(verifySignature('s3cret', body, undefined)).toBe(false)
    expect(verifySignature('s3cret', body, 'sha1=abc')).toBe(false)
  })

  test('remembers delivery ids', () => {
    const log = new DeliveryLog(2)
    expect(log.first('a')).toBe(true)
    expect(log.first('a')).toBe(false)
    log.first('b')
    log.first('c')
    expect(log.first('a')).toBe(true)
  })

  test('reads /penguin comments only', () => {
    const payload = (body: string, extra: Record<string, unknown> = {}) => ({
      action: 'created',
      issue: { number: 4 },
      comment: { id: 9, body, user: { login: 'alice', type: 'User' } },
      repository: { name: 'widgets', owner: { login: 'acme' } },
      ...extra,
    })
    expect(commentTrigger('issue_comment', payload('/penguin please add tests'))).toEqual({
      repo,
      number: 4,
      isPull: false,
      commentId: 9,
      author: 'alice',
      instructions: 'please add tests',
    })
    expect(commentTrigger('issue_comment', payload('/penguinx'))).toBeUndefined()
    expect(commentTrigger('issue_comment', payload('hello /penguin'))).toBeUndefined()
    expect(commentTrigger('issue_comment', payload('/penguin', { action: 'edited' }))).toBeUndefined()
    expect(commentTrigger('issues', payload('/penguin'))).toBeUndefined()
  })

  test('reads /penguin line comments on a pull request diff', () => {
    const payload = (body: string, extra: Record<string, unknown> = {}) => ({
      action: 'created',
      pull_request: { number: 7 },
      comment: { id: 11, body, path: 'src/a.ts', line: 3, user: { login: 'alice', type: 'User' } },
      repository: { name: 'widgets', owner: { login: 'acme' } },
      ...extra,
    })
    expect(commentTrigger('pull_request_review_comment', payload('/penguin rename this'))).toEqual({
      repo,
      number: 7,
      isPull: true,
      commentId: 11,
      author: 'alice',
      instructions: 'rename this',
      line: { path: 'src/a.ts', line: 3 },
    })
    // An outdated comment has no line any more; a bot's or an edit starts nothing.
    const outdated = payload('/penguin', {
      comment: { id: 12, body: '/penguin', path: 'src/a.ts', line: null, user: { login: 'alice' } },
    })
    expect(commentTrigger('pull_request_review_comment', outdated)?.line).toEqual({
      path: 'src/a.ts',
      line: null,
    })
    const bot = payload('/penguin', {
      comment: { id: 13, body: '/penguin', path: 'a', line: 1, user: { login: 'x[bot]', type: 'Bot' } },
    })
    expect(commentTrigger('pull_request_review_comment', bot)).toBeUndefined()
    expect(
      commentTrigger('pull_request_review_comment', payload('/penguin', { action: 'edited' })),
    ).toBeUndefined()
    expect(commentTrigger('pull_request_review_comment', payload('nice'))).toBeUndefined()
  })

  test('parses OWNER/NAME and matches remotes', () => {
    expect(parseRepoRef('acme/widgets')).toEqual(repo)
    expect(parseRepoRef('acme/widgets.git')).toEqual(repo)
    expect(parseRepoRef('https://github.com/acme/widgets')).toBeUndefined()
    expect(parseRepoRef('acme')).toBeUndefined()
    expect(remoteNamesRepo('git@github.com:acme/widgets.git', repo)).toBe(true)
    expect(remoteNamesRepo('https://github.com/Acme/Widgets', repo)).toBe(true)
    expect(remoteNamesRepo('https://github.com/acme/gadgets', repo)).toBe(false)
  })
})
