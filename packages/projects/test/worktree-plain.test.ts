import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'
import { openProjectRepo, openTaskWorktree } from '../src/index.js'
import { commitWorktree, discardWorktreeFolder, forgetTaskBranches } from '../src/worktrees/task-worktree.js'
import { git, repo } from './git-repo.js'

/** What git keeps of the repository's worktrees, and anything a worktree being made left aside. */
function registered(dir: string): string[] {
  return git(dir, 'worktree', 'list', '--porcelain')
    .split('\n')
    .filter((line) => line.startsWith('worktree ') || line.startsWith('branch ') || line === 'detached')
}

describe('task worktrees written without git worktree add', () => {
  test('are worktrees as git makes them: registered on their branch, checked out, clean', async () => {
    const dir = repo('penguin-plain-worktrees-')
    const project = await openProjectRepo(dir)
    expect(project.plainWorktrees).toBe(true)
    const tree = await openTaskWorktree(project, 31)
    expect(tree).toMatchObject({ branch: 'penguin/task-31', resumed: false })
    expect(registered(dir)).toContain(`worktree ${tree.dir}`)
    expect(registered(dir)).toContain('branch refs/heads/penguin/task-31')
    expect(git(tree.dir, 'symbolic-ref', '--short', 'HEAD').trim()).toBe('penguin/task-31')
    expect(git(tree.dir, 'rev-parse', 'HEAD')).toBe(git(dir, 'rev-parse', 'main'))
    expect(git(tree.dir, 'status', '--porcelain')).toBe('')
    expect(existsSync(join(tree.dir, 'notes.txt'))).toBe(true)
    expect(git(dir, 'reflog', 'show', '--format=%gs', 'penguin/task-31').trim()).toMatch(
      /^branch: Created from/,
    )
    expect(readdirSync(join(dir, '.git')).filter((name) => name.startsWith('penguin-'))).toEqual([])
    // Discarded, its folder and its entry go (no git worktree prune needed), nothing left aside.
    await discardWorktreeFolder(tree)
    expect(existsSync(tree.dir)).toBe(false)
    expect(registered(dir).filter((line) => line.startsWith('worktree '))).toHaveLength(1)
    expect(readdirSync(join(dir, '.git')).filter((name) => name.startsWith('penguin-'))).toEqual([])
  })

  test('branches of worktrees whose folders went another way are deleted after git forgets them', async () => {
    const dir = repo('penguin-plain-worktrees-')
    const project = await openProjectRepo(dir)
    const tree = await openTaskWorktree(project, 35)
    rmSync(tree.dir, { recursive: true, force: true })
    await forgetTaskBranches(project, [tree.branch])
    expect(git(dir, 'branch', '--format=%(refname:short)').trim()).toBe('main')
    expect(registered(dir).filter((line) => line.startsWith('worktree '))).toHaveLength(1)
  })

  test("an earlier run's branch is picked up again, never overwritten", async () => {
    const dir = repo('penguin-plain-worktrees-')
    const project = await openProjectRepo(dir)
    const first = await openTaskWorktree(project, 32)
    writeFileSync(join(first.dir, 'work.txt'), 'kept\n')
    expect(await commitWorktree(project, first, 'work')).toBe(true)
    const tip = git(first.dir, 'rev-parse', 'HEAD')
    // The folder went (a merged task's clean-up, a user) but git still lists the worktree.
    await discardWorktreeFolder(first)
    const again = await openTaskWorktree(project, 32)
    expect(again.resumed).toBe(true)
    expect(git(again.dir, 'rev-parse', 'HEAD')).toBe(tip)
    expect(existsSync(join(again.dir, 'work.txt'))).toBe(true)

    // A branch with no worktree at all.
    git(dir, 'branch', 'penguin/task-33', 'main')
    const other = await openTaskWorktree(project, 33)
    expect(other.resumed).toBe(true)
    expect(git(other.dir, 'symbolic-ref', '--short', 'HEAD').trim()).toBe('penguin/task-33')
    expect(readdirSync(join(dir, '.git')).filter((name) => name.startsWith('penguin-'))).toEqual([])
  })

  test('a repository whose branch has no commit yet is refused with what to do', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'penguin-unborn-'))
    git(dir, 'init', '-q', '-b', 'trunk')
    await expect(openProjectRepo(dir)).rejects.toThrow(/trunk in .* has no commit yet/)
  })

  test('with a post-checkout hook, git makes the worktree and runs the hook', async () => {
    const dir = repo('penguin-plain-worktrees-')
    const hook = join(dir, '.git', 'hooks', 'post-checkout')
    writeFileSync(hook, '#!/bin/sh\ntouch hook-ran\n')
    chmodSync(hook, 0o755)
    const project = await openProjectRepo(dir)
    expect(project.plainWorktrees).toBe(false)
    const tree = await openTaskWorktree(project, 34)
    expect(tree.resumed).toBe(false)
    expect(existsSync(join(tree.dir, 'hook-ran'))).toBe(true)
    git(dir, 'config', 'core.hooksPath', '.githooks')
    expect((await openProjectRepo(dir)).plainWorktrees).toBe(false)
  })
})
