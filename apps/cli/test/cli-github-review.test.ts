/**
 * `penguin github review --repo OWNER/NAME --pr N [--verdict]` against the fake GitHub and a bare
 * remote: the review agent's review with line comments, posted as a COMMENT — or, with --verdict,
 * as the agent's verdict (APPROVE / REQUEST_CHANGES), a COMMENT when GitHub refuses that on the
 * account's own pull request. Exit codes stay: 0 posted, 2 usage.
 */
import { join } from 'node:path'
import type { MockTurn } from '@penguin-ai/mock-llm'
import { describe, expect, test } from 'vitest'
import { runPenguin } from './cli-helpers.js'
import { ENV, type GitHubWorld, useGitHubWorld } from './github-fixtures.js'

const world = useGitHubWorld()

/** The agent reads the file, then answers with this review block. */
function reviewing(answer: Record<string, unknown>): MockTurn[] {
  return [
    { toolCalls: [{ name: 'read_file', arguments: { path: 'src/add.js' } }] },
    { text: `Reviewed.\n\n\`\`\`json\n${JSON.stringify(answer)}\n\`\`\`` },
  ]
}

/** A pull request that makes add() add (by `user`). */
async function fixPull({ remote, repo }: GitHubWorld, user = 'alice') {
  await remote.commit(
    'fast-add',
    { 'src/add.js': 'export function add(a, b) {\n  return a + b + 0\n}\n' },
    'Fix add',
  )
  return repo.addPull({ title: 'Fix add', body: 'Makes add add.', head: 'fast-add', user })
}

let clones = 0

/** `penguin github review` of pull request `pr`, in a clone of its own. */
function review(w: GitHubWorld, server: Parameters<GitHubWorld['ghArgs']>[0], pr: number, ...more: string[]) {
  const dir = join(w.work, `clone-${++clones}`)
  return runPenguin(
    w.ghArgs(server, 'review', '--repo', 'acme/calc', '--pr', String(pr), '--dir', dir, ...more),
    {
      env: ENV,
    },
  )
}

describe('penguin github review', () => {
  test("posts the review agent's review with its comments on diff lines, the others in the body", async () => {
    const w = world()
    const pull = await fixPull(w)
    const server = await w.withMock(
      reviewing({
        summary: 'The fix works; one nit.',
        verdict: 'request_changes',
        comments: [
          { path: 'src/add.js', line: 2, side: 'RIGHT', body: '`+ 0` does nothing.' },
          { path: 'src/add.js', line: 90, side: 'RIGHT', body: 'Not in the diff.' },
        ],
      }),
    )
    const result = await review(w, server, pull.number)
    expect(result.stderr).not.toMatch(/\n\s+at /)
    expect(result.code).toBe(0)
    const posted = w.repo.reviews.at(-1)!
    // Without --verdict the verdict is only said, the review is a COMMENT.
    expect(posted).toMatchObject({ event: 'COMMENT', user: 'penguin-bot' })
    expect(result.stderr).toContain('verdict request_changes; posted as a COMMENT (--verdict posts')
    expect(posted.comments).toMatchObject([
      { path: 'src/add.js', line: 2, side: 'RIGHT', body: '`+ 0` does nothing.' },
    ])
    expect(posted.body).toContain('The fix works; one nit.')
    expect(posted.body).toContain('Not in the diff.')
    expect(result.stdout).toContain(`/pull/${pull.number}#pullrequestreview-${posted.id}`)
    // The agent read the checked-out head and got numbered diff lines, and was asked for a verdict.
    const first = JSON.stringify(server.requests[0]!.json)
    expect(first).toContain('R2 +  return a + b + 0')
    expect(first).toContain('\\"verdict\\": \\"approve\\"')
    expect(JSON.stringify(server.requests[1]!.json)).toContain('a + b + 0')
  })

  test('--verdict posts APPROVE or REQUEST_CHANGES as the agent says; no verdict stays a COMMENT', async () => {
    const w = world()
    const pull = await fixPull(w)
    const server = await w.withMock([
      ...reviewing({ summary: 'Good to go.', verdict: 'approve' }),
      ...reviewing({ summary: 'add() is still wrong.', verdict: 'Request Changes' }),
      ...reviewing({ summary: 'Cannot tell.' }),
    ])
    const approved = await review(w, server, pull.number, '--verdict')
    expect(approved.code, approved.stderr).toBe(0)
    expect(w.repo.reviews.at(-1)).toMatchObject({
      event: 'APPROVE',
      body: expect.stringContaining('Good to go.'),
    })
    expect(approved.stderr).toContain('verdict approve; posted as APPROVE')

    const changes = await review(w, server, pull.number, '--verdict')
    expect(changes.code, changes.stderr).toBe(0)
    expect(w.repo.reviews.at(-1)).toMatchObject({ event: 'REQUEST_CHANGES' })
    expect(changes.stderr).toContain('verdict request_changes; posted as REQUEST_CHANGES')

    const none = await review(w, server, pull.number, '--verdict')
    expect(none.code, none.stderr).toBe(0)
    expect(w.repo.reviews.at(-1)).toMatchObject({ event: 'COMMENT' })
    expect(none.stderr).toContain('no verdict; posted as a COMMENT')
    expect(w.repo.reviews).toHaveLength(3)
  })

  test("on the account's own pull request the verdict goes up as a COMMENT that says it", async () => {
    const w = world()
    const pull = await fixPull(w, 'penguin-bot')
    const server = await w.withMock(reviewing({ summary: 'Looks right.', verdict: 'approve' }))
    const result = await review(w, server, pull.number, '--verdict')
    expect(result.code, result.stderr).toBe(0)
    // GitHub refused APPROVE (422, own pull request); the review was not lost.
    expect(
      w.github.requests
        .filter((request) => request.method === 'POST' && request.path.endsWith('/reviews'))
        .map((request) => request.status),
    ).toEqual([422, 200])
    const posted = w.repo.reviews.at(-1)!
    expect(posted.event).toBe('COMMENT')
    expect(posted.body).toContain('Looks right.')
    expect(posted.body).toMatch(/Verdict: approve — posted as a comment/)
    expect(result.stderr).toContain('verdict approve; posted as a COMMENT')
  })

  test('--verdict belongs to review (exit 2 on run)', async () => {
    const { ghArgs } = world()
    const result = await runPenguin(
      ghArgs(undefined, 'run', '--repo', 'acme/calc', '--issue', '1', '--verdict'),
      {
        env: ENV,
      },
    )
    expect(result.code).toBe(2)
    expect(result.stderr).toContain('--verdict is an option of penguin github review.')
  })
})
