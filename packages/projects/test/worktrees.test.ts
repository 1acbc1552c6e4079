import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'
import {
  criteriaAskForTests,
  mergeTaskBranch,
  normalizeRoles,
  openProjectRepo,
  openTaskWorktree,
  parseRoles,
  RepositoryError,
  reviewVerdict,
} from '../src/index.js'
import {
  catchUp,
  commitWorktree,
  discardWorktreeFolder,
  forgetTaskBranches,
} from '../src/worktrees/task-worktree.js'
import { git, repo } from './git-repo.js'

describe('roles', () => {
  test('are put in pipeline order with build always in', () => {
    expect(normalizeRoles(undefined)).toEqual(['build'])
    expect(normalizeRoles(['review', 'plan'])).toEqual(['plan', 'build', 'review'])
    expect(parseRoles('review, test,build')).toEqual(['build', 'test', 'review'])
    expect(() => parseRoles('build,deploy')).toThrow(/plan, build, test, review; got deploy/)
    expect(() => parseRoles(' , ')).toThrow(/comma-separated/)
  })

  test('the test role runs when the criteria ask for tests', () => {
    expect(criteriaAskForTests(['GET /users is covered by tests'])).toBe(true)
    expect(criteriaAskForTests(['unit test for the parser'])).toBe(true)
    expect(criteriaAskForTests(['returns 404 for unknown ids'])).toBe(false)
    expect(criteriaAskForTests([])).toBe(false)
  })

  test("the reviewer's last verdict line decides", () => {
    expect(reviewVerdict('fine\nVERDICT: approve').approved).toBe(true)
    expect(reviewVerdict('- fix x\nVerdict: changes requested').approved).toBe(false)
    expect(
      reviewVerdict('first: VERDICT: changes requested\nthen fixed.\n**Verdict:** approved').approved,
    ).toBe(true)
    expect(reviewVerdict('Changes requested: add a test').approved).toBe(false)
    expect(reviewVerdict('Looks good to me.').approved).toBe(true)
  })
})

describe('worktrees and merges', () => {
  test('a repository that cannot take worktrees is refused with what to do', async () => {
    const plain = mkdtempSync(join(tmpdir(), 'penguin-plain-'))
    await expect(openProjectRepo(plain)).rejects.toThrow(/not in a git repository \(run git init/)
    const dirty = repo('penguin-worktrees-')
    writeFileSync(join(dirty, 'notes.txt'), 'changed\n')
    await expect(openProjectRepo(dirty)).rejects.toBeInstanceOf(RepositoryError)
    await expect(openProjectRepo(dirty)).rejects.toThrow(/uncommitted changes \(notes\.txt\)/)
    const detached = repo('penguin-worktrees-')
    git(detached, 'checkout', '-q', '--detach')
    await expect(openProjectRepo(detached)).rejects.toThrow(/detached HEAD/)
  })

  test('a clean merge lands as a merge commit; a conflict changes nothing and shows the hunks', async () => {
    const dir = repo('penguin-worktrees-')
    const project = await openProjectRepo(dir)
    expect(project.branch).toBe('main')
    expect(readFileSync(join(dir, '.git', 'info', 'exclude'), 'utf8')).toContain('/.penguin-worktrees/')

    const left = await openTaskWorktree(project, 1)
    const right = await openTaskWorktree(project, 2)
    expect(left).toMatchObject({ branch: 'penguin/task-1', resumed: false })
    writeFileSync(join(left.dir, 'notes.txt'), 'left\n')
    writeFileSync(join(right.dir, 'notes.txt'), 'right\n')
    expect(await commitWorktree(project, left, 'left')).toBe(true)
    expect(await commitWorktree(project, right, 'right')).toBe(true)
    expect(await commitWorktree(project, right, 'nothing')).toBe(false)

    const first = await mergeTaskBranch(project, left.branch, 'Merge task 1', { changed: true })
    expect(first.merged).toBe(true)
    expect(readFileSync(join(dir, 'notes.txt'), 'utf8')).toBe('left\n')
    expect(git(dir, 'log', '-1', '--format=%s%n%P').split('\n')[1]?.split(' ')).toHaveLength(2)

    const head = git(dir, 'rev-parse', 'HEAD')
    const second = await mergeTaskBranch(project, right.branch, 'Merge task 2', { changed: true })
    expect(second).toMatchObject({ merged: false, files: ['notes.txt'] })
    if (second.merged) return
    expect(second.conflict).toContain('merge conflict with main in notes.txt')
    expect(second.conflict).toMatch(/<<<<<<< [^\n]*\nleft\n=======\nright\n>>>>>>> /)
    // Nothing moved: same commit, clean workspace, no merge in progress.
    expect(git(dir, 'rev-parse', 'HEAD')).toBe(head)
    expect(git(dir, 'status', '--porcelain')).toBe('')
    expect(existsSync(join(dir, '.git', 'MERGE_HEAD'))).toBe(false)

    // Picked up again, the task catches up with main and is left with the conflict to resolve.
    const again = await openTaskWorktree(project, 2)
    expect(again.resumed).toBe(true)
    expect(await catchUp(project, again)).toEqual(['notes.txt'])
    writeFileSync(join(again.dir, 'notes.txt'), 'left\nright\n')
    expect(await commitWorktree(project, again, 'resolved')).toBe(true)
    expect(await mergeTaskBranch(project, again.branch, 'Merge task 2', { changed: true })).toMatchObject({
      merged: true,
    })
    expect(readFileSync(join(dir, 'notes.txt'), 'utf8')).toBe('left\nright\n')
  })

  test('worktrees are made at the same time, whatever the branch set-up config says', async () => {
    const dir = repo('penguin-worktrees-')
    // With a branch name as the start, this would record an upstream in .git/config (locking it).
    git(dir, 'config', 'branch.autoSetupMerge', 'always')
    const project = await openProjectRepo(dir)
    const trees = await Promise.all([11, 12, 13, 14].map((id) => openTaskWorktree(project, id)))
    expect(trees.map((tree) => [tree.branch, tree.resumed])).toEqual(
      [11, 12, 13, 14].map((id) => [`penguin/task-${id}`, false]),
    )
    for (const tree of trees) expect(git(tree.dir, 'rev-parse', 'HEAD')).toBe(git(dir, 'rev-parse', 'main'))
    expect(readFileSync(join(dir, '.git', 'config'), 'utf8')).not.toContain('penguin/')
  })

  test('a worktree being made beside this one (half-written metadata) is waited out, not taken for a resumed task', async () => {
    const dir = repo('penguin-worktrees-')
    const project = await openProjectRepo(dir)
    // What git leaves while another process is making a worktree: its entry is registered but its
    // commondir is still empty. git worktree add then fails reading it, after creating the branch.
    const half = join(dir, '.git', 'worktrees', 'half')
    mkdirSync(half, { recursive: true })
    writeFileSync(join(half, 'gitdir'), join(dir, '.penguin-worktrees', 'half', '.git'))
    writeFileSync(join(half, 'HEAD'), 'ref: refs/heads/elsewhere\n')
    writeFileSync(join(half, 'commondir'), '')
    const tree = await openTaskWorktree(project, 21)
    expect(tree).toMatchObject({ branch: 'penguin/task-21', resumed: false })
    expect(git(tree.dir, 'rev-parse', 'HEAD')).toBe(git(dir, 'rev-parse', 'main'))
    expect(git(tree.dir, 'symbolic-ref', '--short', 'HEAD').trim()).toBe('penguin/task-21')
  })

  test("a post-merge hook's output does not become the merge commit", async () => {
    const dir = repo('penguin-worktrees-')
    const hook = join(dir, '.git', 'hooks', 'post-merge')
    writeFileSync(hook, '#!/bin/sh\necho "hook says hi"\n')
    chmodSync(hook, 0o755)
    const project = await openProjectRepo(dir)
    const tree = await openTaskWorktree(project, 22)
    writeFileSync(join(tree.dir, 'hooked.txt'), 'x\n')
    expect(await commitWorktree(project, tree, 'hooked')).toBe(true)
    const merged = await mergeTaskBranch(project, tree.branch, 'Merge task 22', { changed: true })
    expect(merged).toEqual({ merged: true, commit: git(dir, 'rev-parse', 'HEAD').trim() })
  })

  test('a branch with nothing new is merged without a commit', async () => {
    const dir = repo('penguin-worktrees-')
    const project = await openProjectRepo(dir)
    const tree = await openTaskWorktree(project, 3)
    expect(await commitWorktree(project, tree, 'nothing')).toBe(false)
    expect(await mergeTaskBranch(project, tree.branch, 'Merge task 3')).toEqual({
      merged: true,
      commit: null,
    })
  })

  test('packed refs are read through git; a workspace moved to another branch is not merged into', async () => {
    const dir = repo('penguin-worktrees-')
    const project = await openProjectRepo(dir)
    const tree = await openTaskWorktree(project, 4)
    writeFileSync(join(tree.dir, 'four.txt'), 'four\n')
    expect(await commitWorktree(project, tree, 'four')).toBe(true)
    // No loose ref files left: the commits come from `git rev-parse`.
    git(dir, 'pack-refs', '--all')
    expect(existsSync(join(dir, '.git', 'refs', 'heads', 'penguin', 'task-4'))).toBe(false)
    expect(await mergeTaskBranch(project, tree.branch, 'Merge task 4', { changed: true })).toMatchObject({
      merged: true,
    })
    expect(readFileSync(join(dir, 'four.txt'), 'utf8')).toBe('four\n')

    const other = await openTaskWorktree(project, 5)
    writeFileSync(join(other.dir, 'five.txt'), 'five\n')
    await commitWorktree(project, other, 'five')
    git(dir, 'checkout', '-q', '-b', 'elsewhere')
    await expect(mergeTaskBranch(project, other.branch, 'Merge task 5', { changed: true })).rejects.toThrow(
      /no longer on main \(now elsewhere\)/,
    )
    expect(existsSync(join(dir, 'five.txt'))).toBe(false)
  })

  test("a fast-forward the user's own files are in the way of changes nothing and says why", async () => {
    const dir = repo('penguin-worktrees-')
    const project = await openProjectRepo(dir)
    const tree = await openTaskWorktree(project, 8)
    writeFileSync(join(tree.dir, 'eight.txt'), 'task\n')
    await commitWorktree(project, tree, 'eight')
    writeFileSync(join(dir, 'eight.txt'), 'mine\n')
    const head = git(dir, 'rev-parse', 'HEAD')
    await expect(mergeTaskBranch(project, tree.branch, 'Merge task 8', { changed: true })).rejects.toThrow(
      /^git merge failed: .*eight\.txt/s,
    )
    expect(git(dir, 'rev-parse', 'HEAD')).toBe(head)
    expect(readFileSync(join(dir, 'eight.txt'), 'utf8')).toBe('mine\n')
  })

  test("merged tasks' folders go first, then git forgets their worktrees and branches in one go", async () => {
    const dir = repo('penguin-worktrees-')
    const project = await openProjectRepo(dir)
    const trees = [await openTaskWorktree(project, 6), await openTaskWorktree(project, 7)]
    for (const tree of trees) {
      writeFileSync(join(tree.dir, `${tree.taskId}.txt`), 'x\n')
      await commitWorktree(project, tree, 'x')
      await mergeTaskBranch(project, tree.branch, `Merge task ${tree.taskId}`, { changed: true })
      await discardWorktreeFolder(tree)
      expect(existsSync(tree.dir)).toBe(false)
    }
    await forgetTaskBranches(
      project,
      trees.map((tree) => tree.branch),
    )
    expect(git(dir, 'branch', '--format=%(refname:short)').trim()).toBe('main')
    expect(git(dir, 'worktree', 'list', '--porcelain').match(/^worktree /gm)).toHaveLength(1)
  })
})
