// What parallel runs do ahead of time and together: worktrees made for the next tasks while the
// running agents wait for the model (prefetch.ts, bringUpToDate), and the task branches waiting
// for the merge lock merged in one batch (merge-queue.ts, mergeTaskBranches).
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'
import { mergeQueue } from '../src/executor/merge-queue.js'
import { createMutex } from '../src/executor/mutex.js'
import { worktreePrefetch } from '../src/executor/prefetch.js'
import { mergeTaskBranches } from '../src/worktrees/merge.js'
import { openProjectRepo } from '../src/worktrees/repo.js'
import {
  bringUpToDate,
  commitWorktree,
  openTaskWorktree,
  type TaskWorktree,
} from '../src/worktrees/task-worktree.js'
import { git, repo } from './git-repo.js'

/** A task's worktree with `file` written and committed. */
async function taskWith(
  project: Awaited<ReturnType<typeof openProjectRepo>>,
  id: number,
  file: string,
  text: string,
): Promise<TaskWorktree> {
  const tree = await openTaskWorktree(project, id)
  writeFileSync(join(tree.dir, file), text)
  expect(await commitWorktree(project, tree, `task ${id}`)).toBe(true)
  return tree
}

/** The project branch's reflog: one line per move of the branch. */
function moves(dir: string): string[] {
  return git(dir, 'reflog', '--format=%gs', 'main').trim().split('\n')
}

describe('merging task branches together', () => {
  test('each branch becomes its own merge commit in order; a conflicting one is skipped; the workspace moves once', async () => {
    const dir = repo('penguin-batch-')
    const project = await openProjectRepo(dir)
    const a = await taskWith(project, 1, 'notes.txt', 'from a\n')
    const b = await taskWith(project, 2, 'notes.txt', 'from b\n')
    const c = await taskWith(project, 3, 'c.txt', 'c\n')
    const before = moves(dir)

    const outcomes = await mergeTaskBranches(project, [
      { branch: a.branch, message: 'Merge task 1', changed: true },
      { branch: b.branch, message: 'Merge task 2', changed: true },
      { branch: c.branch, message: 'Merge task 3', changed: true },
    ])
    expect(outcomes[0]).toMatchObject({ merged: true })
    expect(outcomes[1]).toMatchObject({ merged: false, files: ['notes.txt'] })
    const second = outcomes[1]
    if (second && !(second instanceof Error) && !second.merged)
      expect(second.conflict).toMatch(/<<<<<<< [^\n]*\nfrom a\n=======\nfrom b\n>>>>>>> /)
    expect(outcomes[2]).toMatchObject({ merged: true })

    // Two merge commits, a's then c's, each with the task's commit as second parent.
    const log = git(dir, 'log', '--first-parent', '--format=%s', '-3').trim().split('\n')
    expect(log).toEqual(['Merge task 3', 'Merge task 1', 'initial'])
    const third = outcomes[2]
    if (third && !(third instanceof Error) && third.merged)
      expect(git(dir, 'rev-parse', 'HEAD').trim()).toBe(third.commit)
    expect(git(dir, 'rev-parse', 'HEAD^2').trim()).toBe(git(dir, 'rev-parse', c.branch).trim())
    // The workspace holds both, is clean, and moved once for the two merges.
    expect(readFileSync(join(dir, 'notes.txt'), 'utf8')).toBe('from a\n')
    expect(readFileSync(join(dir, 'c.txt'), 'utf8')).toBe('c\n')
    expect(git(dir, 'status', '--porcelain')).toBe('')
    expect(moves(dir)).toHaveLength(before.length + 1)
    // The conflicting task's branch is as it was.
    expect(git(dir, 'log', '-1', '--format=%s', b.branch).trim()).toBe('task 2')
  })

  test('an unchanged branch already in the project branch counts as merged, with no commit', async () => {
    const dir = repo('penguin-batch-')
    const project = await openProjectRepo(dir)
    const tree = await openTaskWorktree(project, 1)
    const before = moves(dir)
    expect(await mergeTaskBranches(project, [{ branch: tree.branch, message: 'Merge task 1' }])).toEqual([
      { merged: true, commit: null },
    ])
    expect(moves(dir)).toEqual(before)
  })

  test('a branch that is gone fails alone: the others in the batch still merge', async () => {
    const dir = repo('penguin-batch-')
    const project = await openProjectRepo(dir)
    const a = await taskWith(project, 1, 'a.txt', 'a\n')
    const c = await taskWith(project, 3, 'c.txt', 'c\n')
    const outcomes = await mergeTaskBranches(project, [
      { branch: a.branch, message: 'Merge task 1', changed: true },
      { branch: 'penguin/task-2', message: 'Merge task 2', changed: true },
      { branch: c.branch, message: 'Merge task 3', changed: true },
    ])
    expect(outcomes[0]).toMatchObject({ merged: true })
    expect(String(outcomes[1])).toMatch(/branch penguin\/task-2 not found/)
    expect(outcomes[2]).toMatchObject({ merged: true })
    expect(git(dir, 'log', '--first-parent', '--format=%s', '-2').trim().split('\n')).toEqual([
      'Merge task 3',
      'Merge task 1',
    ])
  })

  test('tasks asking while the lock is held are merged in one batch, in the order they asked', async () => {
    const dir = repo('penguin-batch-')
    const project = await openProjectRepo(dir)
    const trees = [
      await taskWith(project, 1, 'a.txt', 'a\n'),
      await taskWith(project, 2, 'b.txt', 'b\n'),
      await taskWith(project, 3, 'c.txt', 'c\n'),
    ]
    const exclusive = createMutex()
    let release: () => void = () => undefined
    let holding: Promise<void> = Promise.resolve()
    await new Promise<void>((entered) => {
      holding = exclusive(
        () =>
          new Promise<void>((resolve) => {
            release = resolve
            entered()
          }),
      )
    })
    const merge = mergeQueue(project, exclusive)
    const before = moves(dir)
    const merged = trees.map((tree) =>
      merge({ branch: tree.branch, message: `Merge task ${tree.taskId}`, changed: true }),
    )
    release()
    await holding
    const outcomes = await Promise.all(merged)
    expect(outcomes.every((outcome) => outcome.merged)).toBe(true)
    expect(git(dir, 'log', '--first-parent', '--format=%s', '-3').trim().split('\n')).toEqual([
      'Merge task 3',
      'Merge task 2',
      'Merge task 1',
    ])
    // One fast-forward of the workspace for the three.
    expect(moves(dir)).toHaveLength(before.length + 1)
    // The next one, asked with the lock free, is merged on its own at once.
    const fourth = await taskWith(project, 4, 'd.txt', 'd\n')
    expect(await merge({ branch: fourth.branch, message: 'Merge task 4', changed: true })).toMatchObject({
      merged: true,
    })
    expect(moves(dir)).toHaveLength(before.length + 2)
  })

  test('a workspace that left the project branch merges nothing: every task waiting is told', async () => {
    const dir = repo('penguin-batch-')
    const project = await openProjectRepo(dir)
    const a = await taskWith(project, 1, 'a.txt', 'a\n')
    const b = await taskWith(project, 2, 'b.txt', 'b\n')
    git(dir, 'checkout', '-q', '-b', 'elsewhere')
    const merge = mergeQueue(project, createMutex())
    const results = await Promise.allSettled([
      merge({ branch: a.branch, message: 'Merge task 1', changed: true }),
      merge({ branch: b.branch, message: 'Merge task 2', changed: true }),
    ])
    expect(results.map((result) => result.status)).toEqual(['rejected', 'rejected'])
    expect(String((results[1] as PromiseRejectedResult).reason)).toMatch(/no longer on main/)
    expect(git(dir, 'log', '-1', '--format=%s', 'main').trim()).toBe('initial')
  })
})

describe('worktrees made ahead', () => {
  test('as many as asked are made; a task takes its own; those left are removed with their branches', async () => {
    const dir = repo('penguin-ahead-')
    const project = await openProjectRepo(dir)
    const prefetch = worktreePrefetch(project, 2)
    prefetch.prepare([5, 6, 7])
    expect(prefetch.full).toBe(true)
    expect(prefetch.take(7)).toBeUndefined()
    const taken = await prefetch.take(5)
    expect(taken).toMatchObject({ taskId: 5, branch: 'penguin/task-5', resumed: false })
    expect(readFileSync(join(taken?.dir ?? '', 'notes.txt'), 'utf8')).toBe('one\n')
    expect(prefetch.full).toBe(false)

    expect(await prefetch.discard()).toEqual(['penguin/task-6'])
    expect(existsSync(join(project.worktrees, 'task-6'))).toBe(false)
    // The taken one is the task's: untouched.
    expect(existsSync(join(project.worktrees, 'task-5', 'notes.txt'))).toBe(true)
  })

  test("an earlier run's worktree picked up ahead is never removed", async () => {
    const dir = repo('penguin-ahead-')
    const project = await openProjectRepo(dir)
    const earlier = await taskWith(project, 8, 'work.txt', 'kept\n')
    const prefetch = worktreePrefetch(project, 1)
    prefetch.prepare([8])
    expect(await prefetch.discard()).toEqual([])
    expect(readFileSync(join(earlier.dir, 'work.txt'), 'utf8')).toBe('kept\n')
    expect(git(dir, 'rev-parse', '--verify', '--quiet', earlier.branch).trim()).not.toBe('')
  })

  test('a worktree made before other tasks merged starts from the project branch as it is now', async () => {
    const dir = repo('penguin-ahead-')
    const project = await openProjectRepo(dir)
    const ahead = await openTaskWorktree(project, 2)
    const made = git(dir, 'rev-parse', 'main').trim()
    expect(ahead.base).toBe(made)
    const other = await taskWith(project, 1, 'first.txt', 'first\n')
    const [merged] = await mergeTaskBranches(project, [
      { branch: other.branch, message: 'Merge task 1', changed: true },
    ])
    expect(merged).toMatchObject({ merged: true })

    await bringUpToDate(project, ahead)
    const now = git(dir, 'rev-parse', 'main').trim()
    expect(git(ahead.dir, 'rev-parse', 'HEAD').trim()).toBe(now)
    expect(git(dir, 'rev-parse', ahead.branch).trim()).toBe(now)
    expect(readFileSync(join(ahead.dir, 'first.txt'), 'utf8')).toBe('first\n')
    expect(git(ahead.dir, 'status', '--porcelain')).toBe('')
    // Already there: nothing to do.
    await bringUpToDate(project, ahead)
    expect(git(ahead.dir, 'rev-parse', 'HEAD').trim()).toBe(now)
  })
})
