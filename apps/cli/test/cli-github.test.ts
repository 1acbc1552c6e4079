import { readFile } from 'node:fs/promises'
import { type AddressInfo, createServer } from 'node:net'
import { join } from 'node:path'
import { FAKE_TOKEN } from '@penguin-ai/fake-github'
import { describe, expect, test } from 'vitest'
import { runPenguin } from './cli-helpers.js'
import { ENV, everythingSent, useGitHubWorld } from './github-fixtures.js'

const world = useGitHubWorld()

/**
 * `penguin github run` on acme/calc's issue or pull request `number` with `--verify 'node --test'
 * --yes`, cloned into `work`/clone.
 */
function runVerified(
  ghArgs: ReturnType<typeof world>['ghArgs'],
  server: Parameters<ReturnType<typeof world>['ghArgs']>[0],
  number: number,
  work: string,
) {
  const args = ['--issue', String(number), '--verify', 'node --test', '--yes', '--dir', join(work, 'clone')]
  return runPenguin(ghArgs(server, 'run', '--repo', 'acme/calc', ...args), { env: ENV })
}

describe('penguin github run', () => {
  test('turns an issue into a pushed branch, a pull request "Closes #N" and a comment with its link', async () => {
    const { github, remote, repo, work, withMock, ghArgs } = world()
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
    const result = await runVerified(ghArgs, server, issue.number, work)
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
    const { remote, repo, work, withMock, ghArgs } = world()
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
    const { ghArgs } = world()
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

  test('an API nobody answers at is "could not be reached", with the reason, not "GitHub answered 500" (exit 3)', async () => {
    // A port that was just free: nothing listens there.
    const closed = createServer()
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve))
    const { port } = closed.address() as AddressInfo
    await new Promise((resolve) => closed.close(resolve))
    const result = await runPenguin(
      [
        'github',
        'run',
        '--repo',
        'acme/calc',
        '--issue',
        '1',
        '--verify',
        'true',
        '--api-url',
        `http://127.0.0.1:${port}`,
      ],
      { env: ENV },
    )
    expect(result.code).toBe(3)
    expect(result.stderr).toMatch(
      /reading acme\/calc: GitHub could not be reached \(connect ECONNREFUSED 127\.0\.0\.1:\d+\)/,
    )
    expect(result.stderr).not.toMatch(/answered 500/)
  })
})

describe('penguin github run on a pull request, and in a checkout', () => {
  test('on a pull request number it works on the pull request branch and pushes there', async () => {
    const { remote, repo, work, withMock, ghArgs } = world()
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
    const result = await runVerified(ghArgs, server, pull.number, work)
    expect(result.code, result.stderr).toBe(0)
    expect(repo.pulls()).toHaveLength(1)
    expect(await remote.read('feature', 'src/add.js')).toContain('a + b')
    expect(await remote.read('feature', 'README.md')).toBe('Adds docs\n')
    expect(repo.commentsOn(pull.number).at(-1)!.body).toMatch(
      new RegExp(`Updated pull request #${pull.number}`),
    )
  })

  test('refuses a checkout of the repository with uncommitted changes (exit 2), touching nothing', async () => {
    const { remote, repo, work, ghArgs } = world()
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
    const { repo, work, ghArgs } = world()
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
