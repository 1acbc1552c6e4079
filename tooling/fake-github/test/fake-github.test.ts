import { Octokit } from '@octokit/core'
import { paginateRest } from '@octokit/plugin-paginate-rest'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import {
  type BareRemote,
  createBareRemote,
  FAKE_TOKEN,
  type FakeGitHub,
  startFakeGitHub,
} from '../src/index.js'

const Client = Octokit.plugin(paginateRest)
let github: FakeGitHub
let remote: BareRemote

beforeAll(async () => {
  github = await startFakeGitHub()
  remote = await createBareRemote({ 'README.md': 'hello\n', 'src/a.js': 'one\ntwo\nthree\n' })
  github.addRepo('acme', 'widgets', remote)
})
afterAll(async () => {
  await github.close()
  await remote.remove()
})

const client = (token = FAKE_TOKEN) => new Client({ auth: token, baseUrl: github.url })

describe('fake GitHub REST API through Octokit', () => {
  test('refuses requests without a token or with a wrong one, in GitHub error shape', async () => {
    const anonymous = new Client({ baseUrl: github.url })
    await expect(
      anonymous.request('GET /repos/{owner}/{repo}', { owner: 'acme', repo: 'widgets' }),
    ).rejects.toMatchObject({
      status: 401,
      response: { data: { message: 'Requires authentication', status: '401' } },
    })
    await expect(
      client('nope').request('GET /repos/{owner}/{repo}', { owner: 'acme', repo: 'widgets' }),
    ).rejects.toMatchObject({
      status: 401,
      response: { data: { message: 'Bad credentials' } },
    })
    const response = await fetch(`${github.url}/repos/acme/widgets`, {
      headers: { authorization: `token ${FAKE_TOKEN}`, 'user-agent': '' },
    })
    expect(response.status).toBe(403)
  })

  test('answers 404 for unknown repositories and issues', async () => {
    await expect(
      client().request('GET /repos/{owner}/{repo}', { owner: 'acme', repo: 'nope' }),
    ).rejects.toMatchObject({
      status: 404,
      response: { data: { message: 'Not Found', documentation_url: expect.any(String) } },
    })
    await expect(
      client().request('GET /repos/{owner}/{repo}/issues/{issue_number}', {
        owner: 'acme',
        repo: 'widgets',
        issue_number: 99,
      }),
    ).rejects.toMatchObject({ status: 404 })
  })

  test('pages comments with Link headers that paginate() follows', async () => {
    const repo = github.repo('acme/widgets')
    const issue = repo.addIssue({ title: 'Many comments', body: 'body' })
    for (let i = 0; i < 7; i++) repo.addComment(issue.number, { body: `comment ${i}` })
    const first = await client().request('GET /repos/{owner}/{repo}/issues/{issue_number}/comments', {
      owner: 'acme',
      repo: 'widgets',
      issue_number: issue.number,
      per_page: 3,
    })
    expect(first.data).toHaveLength(3)
    expect(first.headers.link).toMatch(/rel="next"/)
    const all = await client().paginate('GET /repos/{owner}/{repo}/issues/{issue_number}/comments', {
      owner: 'acme',
      repo: 'widgets',
      issue_number: issue.number,
      per_page: 3,
    })
    expect(all.map((comment) => comment.body)).toEqual([0, 1, 2, 3, 4, 5, 6].map((i) => `comment ${i}`))
  })

  test('creates pull requests from pushed branches and validates them like GitHub', async () => {
    const octokit = client()
    await expect(
      octokit.request('POST /repos/{owner}/{repo}/pulls', {
        owner: 'acme',
        repo: 'widgets',
        title: 't',
        head: 'missing',
        base: 'main',
      }),
    ).rejects.toMatchObject({
      status: 422,
      response: { data: { message: 'Validation Failed', errors: [{ field: 'head', code: 'invalid' }] } },
    })
    await remote.commit('feature', { 'src/a.js': 'one\nTWO\nthree\n' }, 'Change two')
    const created = await octokit.request('POST /repos/{owner}/{repo}/pulls', {
      owner: 'acme',
      repo: 'widgets',
      title: 'Feature',
      head: 'feature',
      base: 'main',
      body: 'Closes #1',
    })
    expect(created.status).toBe(201)
    await expect(
      octokit.request('POST /repos/{owner}/{repo}/pulls', {
        owner: 'acme',
        repo: 'widgets',
        title: 'again',
        head: 'feature',
        base: 'main',
      }),
    ).rejects.toMatchObject({
      status: 422,
      response: { data: { errors: [{ message: 'A pull request already exists for acme:feature.' }] } },
    })
    const files = await octokit.request('GET /repos/{owner}/{repo}/pulls/{pull_number}/files', {
      owner: 'acme',
      repo: 'widgets',
      pull_number: created.data.number,
    })
    expect(files.data).toMatchObject([
      { filename: 'src/a.js', status: 'modified', additions: 1, deletions: 1 },
    ])
    expect(files.data[0]!.patch).toMatch(/^@@ -1,3 \+1,3 @@\n one\n-two\n\+TWO\n three$/)
    // A review comment must name a line of the diff.
    await expect(
      octokit.request('POST /repos/{owner}/{repo}/pulls/{pull_number}/reviews', {
        owner: 'acme',
        repo: 'widgets',
        pull_number: created.data.number,
        event: 'COMMENT',
        body: 'x',
        comments: [{ path: 'src/a.js', line: 40, side: 'RIGHT', body: 'far away' }],
      }),
    ).rejects.toMatchObject({ status: 422 })
    const review = await octokit.request('POST /repos/{owner}/{repo}/pulls/{pull_number}/reviews', {
      owner: 'acme',
      repo: 'widgets',
      pull_number: created.data.number,
      event: 'COMMENT',
      body: 'Looks fine',
      comments: [{ path: 'src/a.js', line: 2, side: 'RIGHT', body: 'why caps?' }],
    })
    expect(review.data.state).toBe('COMMENTED')
    expect(github.repo('acme/widgets').reviews.at(-1)!.comments).toMatchObject([
      { line: 2, body: 'why caps?' },
    ])
  })

  test('reports collaborator permissions and edits only its own comments', async () => {
    const repo = github.repo('acme/widgets')
    repo.grant('alice', 'write')
    const permission = await client().request(
      'GET /repos/{owner}/{repo}/collaborators/{username}/permission',
      {
        owner: 'acme',
        repo: 'widgets',
        username: 'alice',
      },
    )
    expect(permission.data.permission).toBe('write')
    const issue = repo.addIssue({ title: 'x' })
    const theirs = repo.addComment(issue.number, { body: 'theirs', user: 'alice' })
    await expect(
      client().request('PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}', {
        owner: 'acme',
        repo: 'widgets',
        comment_id: theirs.id,
        body: 'mine now',
      }),
    ).rejects.toMatchObject({ status: 403 })
  })
})
