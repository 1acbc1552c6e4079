/**
 * `penguin project run --parallel`: tasks in git worktrees, merged back; conflicts, a killed run,
 * a shared budget, a workspace that is not a repository, --json. (Roles: cli-project-roles.)
 */
import { existsSync } from 'node:fs'
import { mkdtemp, readFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createGate } from '@penguin-ai/mock-llm'
import { useMockLlm } from '@penguin-ai/mock-llm/vitest'
import { describe, expect, test } from 'vitest'
import { jsonLines, makeRepo, runPenguin } from './cli-helpers.js'
import {
  addTask,
  branches,
  git,
  KEY,
  modelArgs,
  setup,
  taskFile,
  tasks,
  userText,
  worker,
} from './project-fixtures.js'

const startMock = useMockLlm()

describe('penguin project run --parallel', () => {
  test('runs a 4-task graph two at a time in worktrees and merges every branch back', async () => {
    const { repo, penguin } = await setup()
    // The first turns of a and b are held until both arrived: only concurrent tasks get past it.
    const both = createGate()
    const firstTurns = new Set<string>()
    const mock = await startMock({
      script: (request) => {
        const file = taskFile(request)
        const first = request.body?.messages.at(-1)?.role === 'user'
        if (first && (file === 'a.txt' || file === 'b.txt')) {
          firstTurns.add(file)
          if (firstTurns.size === 2) both.open()
          return { ...worker(request), holdUntil: both.promise }
        }
        return worker(request)
      },
    })
    const a = await addTask(penguin, 'Write a.txt', '--verify', 'test -f a.txt')
    const b = await addTask(penguin, 'Write b.txt', '--verify', 'test -f b.txt')
    const c = await addTask(
      penguin,
      'Write c.txt',
      '--depends-on',
      String(a),
      '--verify',
      'test -f a.txt && test -f c.txt',
    )
    await addTask(
      penguin,
      'Write d.txt',
      '--depends-on',
      `${b},${c}`,
      '--verify',
      'test -f b.txt && test -f c.txt && test -f d.txt',
    )

    const result = await penguin('project', 'run', 'site', '--parallel', '2', ...modelArgs(mock))
    expect(result.stderr).not.toMatch(/\n\s+at /)
    expect(result.code, result.stdout + result.stderr).toBe(0)
    expect(result.stdout).toContain('up to 2 at once in git worktrees')
    expect(result.stdout).toMatch(/started in \S+\.penguin-worktrees\/task-\d+ \(penguin\/task-\d+\)/)
    // Each start is numbered once, 1 to 4, however the finishes of tasks running at once interleave.
    const numbers = [...result.stdout.matchAll(/^\[(\d)\/4\] .* … started in /gm)].map((m) => m[1])
    expect(numbers.sort()).toEqual(['1', '2', '3', '4'])
    expect((await tasks(penguin)).map((task) => task.status)).toEqual(['done', 'done', 'done', 'done'])

    // Everything is merged into the project branch, in the workspace itself.
    for (const name of ['a', 'b', 'c', 'd'])
      expect(await readFile(join(repo, `${name}.txt`), 'utf8')).toBe(`${name}.txt\n`)
    const log = git(repo, 'log', '--format=%s', 'main')
    for (const id of [1, 2, 3, 4]) expect(log).toContain(`Merge task ${id}: Write`)
    expect(git(repo, 'status', '--porcelain')).toBe('')
    // Merged branches and their worktrees are gone.
    expect(branches(repo)).toEqual(['main'])
    expect(git(repo, 'worktree', 'list', '--porcelain').match(/^worktree /gm)).toHaveLength(1)
    // c started from a's merged work: its worktree had a.txt, so its verify passed there.
    const cPrompt = mock.requests.map(userText).find((text) => text.includes('# Task: Write c.txt'))
    expect(cPrompt).toContain('Wrote a.txt.')
  })

  test('two tasks changing the same file: one merges, the other is blocked with the conflict and keeps its branch', async () => {
    const { repo, penguin } = await setup()
    const both = createGate()
    let arrived = 0
    let mock = await startMock({
      script: (request) => {
        if (request.body?.messages.at(-1)?.role !== 'user') return worker(request)
        if (++arrived === 2) both.open()
        return { ...worker(request), holdUntil: both.promise }
      },
    })
    await addTask(penguin, 'Write shared.txt as from the left', '--verify', 'test -f shared.txt')
    await addTask(penguin, 'Write shared.txt as from the right', '--verify', 'test -f shared.txt')

    const result = await penguin('project', 'run', 'site', '--parallel', '2', ...modelArgs(mock))
    expect(result.stderr).not.toMatch(/\n\s+at /)
    expect(result.code, result.stdout + result.stderr).toBe(1)
    expect(result.stdout).toMatch(
      /… blocked \(merge conflict in shared\.txt; branch penguin\/task-\d+ kept\)/,
    )

    const list = await tasks(penguin)
    expect(list.map((task) => task.status).sort()).toEqual(['blocked', 'done'])
    const done = list.find((task) => task.status === 'done')
    const blocked = list.find((task) => task.status === 'blocked')
    expect(blocked?.failureReason).toBe('merge_conflict')
    expect(blocked?.resultSummary).toContain('merge conflict with main in shared.txt')
    expect(blocked?.resultSummary).toMatch(/<<<<<<< [\s\S]*=======[\s\S]*>>>>>>> /)

    // The winner's content is in the workspace; the loser's work is on its branch and in its worktree.
    const winner = done?.id === 1 ? 'from the left' : 'from the right'
    const loser = done?.id === 1 ? 'from the right' : 'from the left'
    expect(await readFile(join(repo, 'shared.txt'), 'utf8')).toBe(`${winner}\n`)
    expect(branches(repo)).toContain(`penguin/task-${blocked?.id}`)
    expect(git(repo, 'show', `penguin/task-${blocked?.id}:shared.txt`)).toBe(`${loser}\n`)
    const worktree = join(repo, '.penguin-worktrees', `task-${blocked?.id}`)
    expect(await readFile(join(worktree, 'shared.txt'), 'utf8')).toBe(`${loser}\n`)
    // The workspace was never left half merged, and git ignores the worktrees folder.
    expect(git(repo, 'status', '--porcelain')).toBe('')
    expect(existsSync(join(repo, '.git', 'MERGE_HEAD'))).toBe(false)

    // Reopened and run again, the task catches up with main and its agent resolves the conflict.
    expect((await penguin('task', 'reopen', String(blocked?.id))).code).toBe(0)
    await mock.close()
    mock = await startMock({
      script: (request) => {
        const text = userText(request)
        if (!text.includes('## Merge conflicts to resolve first')) return worker(request)
        if (request.body?.messages.at(-1)?.role === 'tool') return { text: 'Resolved shared.txt.' }
        const resolved = 'from the left\nfrom the right\n'
        return { toolCalls: [{ name: 'write_file', arguments: { path: 'shared.txt', content: resolved } }] }
      },
    })
    const again = await penguin('project', 'run', 'site', '--parallel', '2', ...modelArgs(mock))
    expect(again.code, again.stdout + again.stderr).toBe(0)
    expect(mock.requests.map(userText).join('\n')).toContain(
      'these files have conflict markers (<<<<<<< … >>>>>>>): shared.txt',
    )
    expect((await tasks(penguin)).map((task) => task.status)).toEqual(['done', 'done'])
    expect(await readFile(join(repo, 'shared.txt'), 'utf8')).toBe('from the left\nfrom the right\n')
    expect(branches(repo)).toEqual(['main'])
    expect(git(repo, 'status', '--porcelain')).toBe('')
  })

  test('a run killed mid-task leaves its worktree to pick up: the next run resets the task and finishes it', async () => {
    const { repo, penguin, env } = await setup()
    let crashing = true
    const mock = await startMock({
      script: (request) => {
        // While crashing, the turn after the write (the summary) never comes back.
        if (crashing && request.body?.messages.at(-1)?.role === 'tool')
          return { text: 'never', holdUntil: new Promise(() => {}) }
        return worker(request)
      },
    })
    const a = await addTask(penguin, 'Write a.txt', '--verify', 'test -f a.txt')
    const server = mock
    const killed = await runPenguin(['project', 'run', 'site', '--parallel', '2', ...modelArgs(server)], {
      env,
      cwd: repo,
      onSpawn: (child) => {
        server.waitForRequests(2).then(
          () => child.kill('SIGKILL'),
          () => {},
        )
      },
    })
    expect(killed.signal).toBe('SIGKILL')
    expect(JSON.parse((await penguin('task', 'show', String(a), '--json')).stdout).status).toBe('in_progress')
    // Recoverable: the worktree and branch are there with the agent's (uncommitted) work.
    const worktree = join(repo, '.penguin-worktrees', `task-${a}`)
    expect(await readFile(join(worktree, 'a.txt'), 'utf8')).toBe('a.txt\n')
    expect(branches(repo)).toContain(`penguin/task-${a}`)
    expect(existsSync(join(repo, 'a.txt'))).toBe(false)

    crashing = false
    const rerun = await penguin('project', 'run', 'site', '--parallel', '2', ...modelArgs(server))
    expect(rerun.code, rerun.stdout + rerun.stderr).toBe(0)
    expect(rerun.stdout).toMatch(/Reset 1 task/)
    expect(JSON.parse((await penguin('task', 'show', String(a), '--json')).stdout).status).toBe('done')
    expect(await readFile(join(repo, 'a.txt'), 'utf8')).toBe('a.txt\n')
    expect(branches(repo)).toEqual(['main'])
  })

  test("tasks running at once share the project's budget: once their spending together reaches it, both stop", async () => {
    const { penguin, repo } = await setup()
    const both = createGate()
    let arrived = 0
    const mock = await startMock({
      script: (request) => {
        const usage = { prompt_tokens: 400, completion_tokens: 100 }
        if (request.body?.messages.at(-1)?.role !== 'user') return { ...worker(request), usage }
        if (++arrived === 2) both.open()
        return { ...worker(request), usage, holdUntil: both.promise }
      },
    })
    // 700 tokens: either task alone (500 a turn) fits, the two together do not.
    expect(
      (await penguin('project', 'create', 'pool', '--workspace', repo, '--budget-tokens', '700')).code,
    ).toBe(0)
    for (const name of ['a', 'b'])
      expect(
        (await penguin('task', 'add', 'pool', `Write ${name}.txt`, '--verify', `test -f ${name}.txt`)).code,
      ).toBe(0)
    const result = await penguin('project', 'run', 'pool', '--parallel', '2', '--json', ...modelArgs(mock))
    expect(result.code, result.stdout + result.stderr).toBe(1)
    const events = jsonLines(result.stdout)
    expect(events.at(-1)).toMatchObject({ type: 'project.finished', status: 'budget_exhausted' })
    const finished = events.filter((event) => event.type === 'task.finished')
    expect(finished.map((event) => event.code)).toEqual(['budget_exceeded', 'budget_exceeded'])
    // Each task's own allowance (700) would have let it take a second turn: 4 requests. The shared
    // meter stopped them once their first turns together reached the budget.
    expect(mock.requests.length).toBeLessThan(4)
    const pool = JSON.parse((await penguin('task', 'list', 'pool', '--json')).stdout) as Array<{
      failureReason: string
    }>
    expect(pool.map((task) => task.failureReason)).toEqual(['budget_exceeded', 'budget_exceeded'])
  })

  test('a workspace that is not a git repository is refused before anything runs', async () => {
    const db = join(await mkdtemp(join(tmpdir(), 'penguin-db-')), 'penguin.db')
    const dir = await makeRepo({ 'README.md': '# not git\n' })
    const penguin = (...args: string[]) => runPenguin(args, { env: { PENGUIN_DB: db, ...KEY }, cwd: dir })
    await penguin('project', 'create', 'site', '--workspace', dir)
    await penguin('task', 'add', 'site', 'Write a.txt')
    const mock = await startMock({ script: worker })
    const result = await penguin('project', 'run', 'site', '--parallel', '2', ...modelArgs(mock))
    expect(result.code).toBe(2)
    expect(result.stderr).toMatch(
      /--parallel: .* is not in a git repository \(run git init and commit first\)/,
    )
    expect(result.stderr).not.toMatch(/\n\s+at /)
    expect(mock.requests).toHaveLength(0)
    const list = JSON.parse((await penguin('task', 'list', 'site', '--json')).stdout) as Array<{
      status: string
    }>
    expect(list[0]?.status).toBe('pending')
  })

  test('--json reports worktrees and merges', async () => {
    const { penguin } = await setup()
    const mock = await startMock({ script: worker })
    await addTask(penguin, 'Write a.txt', '--verify', 'test -f a.txt')
    const result = await penguin('project', 'run', 'site', '--parallel', '1', '--json', ...modelArgs(mock))
    expect(result.code, result.stderr).toBe(0)
    const events = jsonLines(result.stdout)
    expect(events.find((event) => event.type === 'project.started')).toMatchObject({ parallel: 1 })
    expect(events.find((event) => event.type === 'task.started')).toMatchObject({ branch: 'penguin/task-1' })
    expect(events.find((event) => event.type === 'task.merged')).toMatchObject({ branch: 'penguin/task-1' })
  })
})
