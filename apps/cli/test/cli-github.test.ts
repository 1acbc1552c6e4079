import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  type BareRemote,
  createBareRemote,
  FAKE_TOKEN,
  type FakeGitHub,
  type FakeRepo,
  startFakeGitHub,
} from '@penguin-ai/fake-github'
import { type MockServer, type MockTurn, startMockServer } from '@penguin-ai/mock-llm'
import { afterEach, beforeEach, describe, expect, test } from 'vitest'
import { runPenguin } from './cli-helpers.js'

const BUGGY = {
  'package.json': JSON.stringify({ name: 'buggy', type: 'module', scripts: { test: 'node --test' } }),
  'src/add.js': 'export function add(a, b) {\n  return a - b\n}\n',
  'test/add.test.js':
    "import { test } from 'node:test'\nimport assert from 'node:assert/strict'\nimport { add } from '../src/add.js'\n\ntest('adds', () => assert.equal(add(2, 3), 5))\n",
}

let github: FakeGitHub
let remote: BareRemote
let repo: FakeRepo
let mock: MockServer | undefined
let work: string

beforeEach(async () => {
  github = await startFakeGitHub()
  remote = await createBareRemote(BUGGY)
  repo = github.addRepo('acme', 'calc', remote)
  work = await mkdtemp(join(tmpdir(), 'penguin-github-test-'))
})
afterEach(async () => {
  await mock?.close()
  mock = undefined
  await github.close()
  await remote.remove()
  await rm(work, { recursive: true, force: true })
})

async function withMock(script: MockTurn[]): Promise<MockServer> {
  mock = await startMockServer({ script })
  return mock
}

function ghArgs(server: MockServer | undefined, ...rest: string[]): string[] {
  return [
    'github',
    ...rest,
    '--api-url',
    github.url,
    ...(server ? ['--model', 'openai/gpt-4o', '--base-url', server.url] : []),
    '--db',
    join(work, 'penguin.db'),
  ]
}

const ENV = { OPENAI_API_KEY: 'sk-test-123', GITHUB_TOKEN: FAKE_TOKEN }

function everythingSent(server: MockServer): string {
  return server.requests.map((request) => request.rawBody).join('\n')
}

describe('penguin github run', () => {
  test('turns an issue into a pushed branch, a pull request "Closes #N" and a comment with its link', async () => {
    const issue = repo.addIssue({ title: 'add() subtracts', body: 'add(2, 3) returns -1.', user: 'alice' })
    repo.addComment(issue.number, { body: 'The test in test/add.test.js shows it.', user: 'bob' })
    const server = await withMock([
      {
        text: 'Checking the environment.',
        toolCalls: [{ name: 'run_command', arguments: { command: 'env' } }],
      },
      {
        toolCalls: [
          { name: 'edit_file', arguments: { path: 'src/add.js', old_string: 'a - b', new_string: 'a + b' } },
        ],
      },
      { text: 'Fixed add(): it subtracted instead of adding.' },
    ])
    const result = await runPenguin(
      ghArgs(
        server,
        'run',
        '--repo',
        'acme/calc',
        '--issue',
        String(issue.number),
        '--verify',
        'node --test',
        '--yes',
        '--dir',
        join(work, 'clone'),
      ),
      { env: ENV },
    )
    expect(result.stderr).not.toMatch(/\n\s+at /)
    expect(result.code).toBe(0)
    const pull = repo.pulls()[0]!
    expect(result.stdout.trim()).toBe(`https://github.com/acme/calc/pull/${pull.number}`)
    // The branch on the remote holds the fix, committed with a message naming the issue.
    expect(await remote.read(`penguin/issue-${issue.number}`, 'src/add.js')).toContain('return a + b')
    expect((await remote.log(`penguin/issue-${issue.number}`))[0]).toMatch(new RegExp(`#${issue.number}\\b`))
    expect(await remote.read('main', 'src/add.js')).toContain('return a - b')
    // The pull request: closes the issue, says what changed and shows the passing verify output.
    expect(pull.pull).toMatchObject({ head: `penguin/issue-${issue.number}`, base: 'main' })
    expect(pull.body).toMatch(new RegExp(`^Closes #${issue.number}\\b`))
    expect(pull.body).toContain('Fixed add(): it subtracted instead of adding.')
    expect(pull.body).toMatch(/`node --test` passed/)
    expect(pull.body).toMatch(/pass 1/)
    // The issue is told where the pull request is.
    const comments = repo.commentsOn(issue.number)
    expect(comments.at(-1)).toMatchObject({ user: 'penguin-bot' })
    expect(comments.at(-1)!.body).toContain(`https://github.com/acme/calc/pull/${pull.number}`)
    // The model saw the issue and its discussion.
    const first = JSON.stringify(server.requests[0]!.json)
    expect(first).toContain('add(2, 3) returns -1.')
    expect(first).toContain('The test in test/add.test.js shows it.')
    // The token: not in the agent's environment, the model's requests, the output or the database.
    expect(everythingSent(server)).not.toContain(FAKE_TOKEN)
    expect(everythingSent(server)).not.toContain('GITHUB_TOKEN')
    expect(result.stdout + result.stderr).not.toContain(FAKE_TOKEN)
    expect((await readFile(join(work, 'penguin.db'))).includes(FAKE_TOKEN)).toBe(false)
    // Every API request carried the token, as GitHub requires.
    expect(github.requests.every((request) => request.status < 400)).toBe(true)
  })

  test('on failure comments what went wrong, keeps (and pushes) the branch and exits 1', async () => {
    const issue = repo.addIssue({ title: 'add() subtracts', body: 'Fix it.' })
    const server = await withMock([
      {
        toolCalls: [
          { name: 'edit_file', arguments: { path: 'src/add.js', old_string: 'a - b', new_string: 'a * b' } },
        ],
      },
      { text: 'Changed it to multiply.' },
      { text: 'I cannot find another cause.' },
    ])
    const result = await runPenguin(
      ghArgs(
        server,
        'run',
        '--repo',
        'acme/calc',
        '--issue',
        String(issue.number),
        '--verify',
        'node --test',
        '--attempts',
        '2',
        '--yes',
        '--dir',
        join(work, 'clone'),
      ),
      { env: ENV },
    )
    expect(result.code).toBe(1)
    expect(repo.pulls()).toHaveLength(0)
    const comment = repo.commentsOn(issue.number).at(-1)!
    expect(comment.body).toMatch(/could not resolve this: `node --test` still fails after 2 rounds/)
    expect(comment.body).toMatch(/exit code 1/)
    expect(comment.body).toContain(`penguin/issue-${issue.number}`)
    // The second round was told why the first one was not done.
    expect(JSON.stringify(server.requests[2]!.json)).toMatch(/still fails \(exit code 1\)/)
    expect(await remote.read(`penguin/issue-${issue.number}`, 'src/add.js')).toContain('a * b')
    expect((await remote.log(`penguin/issue-${issue.number}`))[0]).toMatch(/^WIP: /)
  })

  test('usage and GitHub errors: exit 2 without a token or with a bad repo, 3 when GitHub refuses', async () => {
    const noToken = await runPenguin(ghArgs(undefined, 'run', '--repo', 'acme/calc', '--issue', '1'), {
      env: { GITHUB_TOKEN: undefined },
    })
    expect(noToken.code).toBe(2)
    expect(noToken.stderr).toMatch(/needs a GitHub token: set GITHUB_TOKEN or pass --token/)
    const badRepo = await runPenguin(
      ghArgs(undefined, 'run', '--repo', 'https://github.com/acme/calc', '--issue', '1'),
      {
        env: ENV,
      },
    )
    expect(badRepo.code).toBe(2)
    expect(badRepo.stderr).toMatch(/--repo must be OWNER\/NAME/)
    const wrong = await runPenguin(
      ghArgs(undefined, 'run', '--repo', 'acme/calc', '--issue', '1', '--token', 'ghp_not_the_right_one'),
      { env: {} },
    )
    expect(wrong.code).toBe(3)
    expect(wrong.stderr).toMatch(/401 Bad credentials/)
    expect(wrong.stderr).not.toContain('ghp_not_the_right_one')
    const missing = await runPenguin(ghArgs(undefined, 'run', '--repo', 'acme/calc', '--issue', '42'), {
      env: ENV,
    })
    expect(missing.code).toBe(3)
    expect(missing.stderr).toMatch(/issue #42 .*404 Not Found/)
  })
})

describe('penguin github review', () => {
  test("posts the review agent's review with its comments on diff lines, the others in the body", async () => {
    await remote.commit(
      'fast-add',
      { 'src/add.js': 'export function add(a, b) {\n  return a + b + 0\n}\n' },
      'Fix add',
    )
    const pull = repo.addPull({ title: 'Fix add', body: 'Makes add add.', head: 'fast-add', user: 'alice' })
    const answer = {
      summary: 'The fix works; one nit.',
      comments: [
        { path: 'src/add.js', line: 2, side: 'RIGHT', body: '`+ 0` does nothing.' },
        { path: 'src/add.js', line: 90, side: 'RIGHT', body: 'Not in the diff.' },
      ],
    }
    const server = await withMock([
      { toolCalls: [{ name: 'read_file', arguments: { path: 'src/add.js' } }] },
      { text: `Reviewed.\n\n\`\`\`json\n${JSON.stringify(answer)}\n\`\`\`` },
    ])
    const result = await runPenguin(
      ghArgs(
        server,
        'review',
        '--repo',
        'acme/calc',
        '--pr',
        String(pull.number),
        '--dir',
        join(work, 'clone'),
      ),
      { env: ENV },
    )
    expect(result.stderr).not.toMatch(/\n\s+at /)
    expect(result.code).toBe(0)
    const review = repo.reviews.at(-1)!
    expect(review).toMatchObject({ event: 'COMMENT', user: 'penguin-bot' })
    expect(review.comments).toMatchObject([
      { path: 'src/add.js', line: 2, side: 'RIGHT', body: '`+ 0` does nothing.' },
    ])
    expect(review.body).toContain('The fix works; one nit.')
    expect(review.body).toContain('Not in the diff.')
    expect(result.stdout).toContain(`/pull/${pull.number}#pullrequestreview-${review.id}`)
    // The agent read the checked-out head and got numbered diff lines.
    const first = JSON.stringify(server.requests[0]!.json)
    expect(first).toContain('R2 +  return a + b + 0')
    expect(JSON.stringify(server.requests[1]!.json)).toContain('a + b + 0')
  })
})

describe('POST /api/v1/github/webhook on penguin serve', () => {
  const SECRET = 'webhook-secret-0123456789'

  test('a /penguin comment by a writer starts the run, which reports by editing one comment', async () => {
    const { issueCommentPayload, webhookDelivery } = await import('@penguin-ai/fake-github')
    const issue = repo.addIssue({ title: 'add() subtracts', body: 'add(2, 3) returns -1.', user: 'carol' })
    repo.grant('alice', 'write')
    repo.grant('bob', 'read')
    const server = await withMock([
      {
        toolCalls: [
          { name: 'edit_file', arguments: { path: 'src/add.js', old_string: 'a - b', new_string: 'a + b' } },
        ],
      },
      { text: 'Fixed add().' },
    ])
    const deliver = (url: string, delivery: ReturnType<typeof webhookDelivery>) =>
      fetch(`${url}/api/v1/github/webhook`, {
        method: 'POST',
        headers: delivery.headers,
        body: delivery.body,
      })
    const comment = (user: string, body: string) => {
      const created = repo.addComment(issue.number, { body, user })
      return webhookDelivery('issue_comment', issueCommentPayload(repo, issue, created), { secret: SECRET })
    }
    let failure: unknown
    let started = false
    const result = await runPenguin(
      [
        'serve',
        '--port',
        '0',
        '--db',
        join(work, 'serve.db'),
        '--model',
        'openai/gpt-4o',
        '--base-url',
        server.url,
      ],
      {
        env: {
          OPENAI_API_KEY: 'sk-test-123',
          GITHUB_TOKEN: FAKE_TOKEN,
          GITHUB_API_URL: github.url,
          PENGUIN_GITHUB_WEBHOOK_SECRET: SECRET,
        },
        onStdout: (chunk, child) => {
          const url = chunk.match(/listening on (http:\/\/\S+)/)?.[1]
          if (!url || started) return
          started = true
          const drive = async () => {
            // Unsigned or wrongly signed: refused before anything is read.
            const unsigned = webhookDelivery('issue_comment', { action: 'created' })
            expect((await deliver(url, unsigned)).status).toBe(401)
            const forged = webhookDelivery(
              'issue_comment',
              { action: 'created' },
              { secret: 'not-the-secret-000' },
            )
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
            expect(progress.body).toMatch(
              /Opened pull request #\d+: https:\/\/github\.com\/acme\/calc\/pull\/\d+/,
            )
            expect(await remote.read(`penguin/issue-${issue.number}`, 'src/add.js')).toContain('return a + b')
            expect(repo.pulls()).toHaveLength(1)
            // One comment from Penguin on the issue: the one it kept editing.
            expect(
              repo.commentsOn(issue.number).filter((entry) => entry.user === 'penguin-bot'),
            ).toHaveLength(1)
          }
          drive().then(
            () => child.kill('SIGTERM'),
            (error: unknown) => {
              failure = error
              child.kill('SIGKILL')
            },
          )
        },
      },
    )
    if (failure) throw failure
    expect(result.code, result.stderr).toBe(0)
    expect(result.stdout).toContain('github webhook: http://')
    expect(result.stdout + result.stderr).not.toContain(FAKE_TOKEN)
    expect(result.stdout + result.stderr).not.toContain(SECRET)
  })
})

describe('penguin github run on a pull request, and in a checkout', () => {
  test('on a pull request number it works on the pull request branch and pushes there', async () => {
    await remote.commit('feature', { 'README.md': 'Adds docs\n' }, 'Docs')
    const pull = repo.addPull({
      title: 'Docs',
      body: 'Docs, and please fix add() too.',
      head: 'feature',
      user: 'alice',
    })
    const server = await withMock([
      {
        toolCalls: [
          { name: 'edit_file', arguments: { path: 'src/add.js', old_string: 'a - b', new_string: 'a + b' } },
        ],
      },
      { text: 'Fixed add() on this branch.' },
    ])
    const result = await runPenguin(
      ghArgs(
        server,
        'run',
        '--repo',
        'acme/calc',
        '--issue',
        String(pull.number),
        '--verify',
        'node --test',
        '--yes',
        '--dir',
        join(work, 'clone'),
      ),
      { env: ENV },
    )
    expect(result.code, result.stderr).toBe(0)
    expect(repo.pulls()).toHaveLength(1)
    expect(await remote.read('feature', 'src/add.js')).toContain('a + b')
    expect(await remote.read('feature', 'README.md')).toBe('Adds docs\n')
    expect(repo.commentsOn(pull.number).at(-1)!.body).toMatch(
      new RegExp(`Updated pull request #${pull.number}`),
    )
  })

  test('refuses a checkout of the repository with uncommitted changes (exit 2), touching nothing', async () => {
    const { execFileSync } = await import('node:child_process')
    const { writeFile } = await import('node:fs/promises')
    const { GIT_ENV } = await import('@penguin-ai/fake-github')
    const issue = repo.addIssue({ title: 'x' })
    const checkout = join(work, 'mine')
    execFileSync('git', ['clone', '--quiet', remote.url, checkout], { env: GIT_ENV })
    await writeFile(join(checkout, 'src/add.js'), 'work in progress\n')
    const result = await runPenguin(
      ghArgs(undefined, 'run', '--repo', 'acme/calc', '--issue', String(issue.number)),
      {
        env: ENV,
        cwd: checkout,
      },
    )
    expect(result.code).toBe(2)
    expect(result.stderr).toMatch(/has uncommitted changes/)
    expect(await readFile(join(checkout, 'src/add.js'), 'utf8')).toBe('work in progress\n')
    expect(repo.commentsOn(issue.number)).toHaveLength(0)
  })
})

describe('penguin github run --comment-id', () => {
  test('a run that cannot start says why in the progress comment it was given', async () => {
    const issue = repo.addIssue({ title: 'x', body: 'y' })
    const progress = repo.addComment(issue.number, { body: '🐧 Penguin is on it', user: 'penguin-bot' })
    // No model anywhere: a configuration error, exit 2 — and the waiting comment is not left hanging.
    const result = await runPenguin(
      ghArgs(
        undefined,
        'run',
        '--repo',
        'acme/calc',
        '--issue',
        String(issue.number),
        '--comment-id',
        String(progress.id),
        '--verify',
        'true',
        '--dir',
        join(work, 'clone'),
      ),
      { env: ENV },
    )
    expect(result.code).toBe(2)
    expect(progress.body).toMatch(/^🐧 Penguin could not resolve this: /)
    expect(progress.body).not.toMatch(/branch/)
    expect(repo.commentsOn(issue.number)).toHaveLength(1)
  })
})
