import { ChildProcess, execFileSync } from 'node:child_process'
import { chmod, mkdir, rm } from 'node:fs/promises'
import path from 'node:path'
import { tempDir } from '@penguin-ai/testkit'
import { describe, expect, it, onTestFinished } from 'vitest'
import { childrenStarted } from '../src/child-runner.js'
import { openShadowRepo } from '../src/index.js'
import { exists, workspace, write } from './helpers.js'

/** ChildProcess#spawn: every child_process API starts its child through it (not in Node's types). */
const prototype = ChildProcess.prototype as unknown as { spawn: (...args: unknown[]) => unknown }

/**
 * Counts the child processes started while `fn` runs: all of them (the package's own count) and
 * those started from this, the main thread.
 */
async function spawnsDuring<T>(fn: () => Promise<T>): Promise<{ value: T; spawns: number; here: number }> {
  const original = prototype.spawn
  let here = 0
  prototype.spawn = function counted(this: unknown, ...args: unknown[]) {
    here++
    return original.apply(this, args)
  }
  onTestFinished(() => {
    prototype.spawn = original
  })
  const before = childrenStarted()
  const value = await fn()
  prototype.spawn = original
  return { value, spawns: childrenStarted() - before, here }
}

const message = (gitDir: string, commit: string) =>
  execFileSync('git', [`--git-dir=${gitDir}`, 'log', '-1', '--format=%B', commit], { encoding: 'utf8' })

describe('child processes', () => {
  // Each start of a child copies the caller's address space: a server or worker with many sessions
  // pays several milliseconds per start, so a snapshot starts two (listing, then staging + commit).
  it('takes a snapshot with two child processes, the first one included', async () => {
    const { root, repo } = await workspace()
    const first = await spawnsDuring(() => repo.snapshot('first'))
    expect(first.spawns).toBe(2)
    // Started from a thread of their own: the main thread (every other run's work) never waits.
    expect(first.here).toBe(0)
    await write(root, 'src/a.ts', 'export const a = 2\n')
    await write(root, 'huge.txt', 'x'.repeat(2048))
    const second = await spawnsDuring(() => repo.snapshot('second'))
    expect(second.spawns).toBe(2)
    expect(await repo.diff(first.value, second.value)).toEqual([
      { path: 'src/a.ts', status: 'modified', additions: 1, deletions: 1 },
    ])
  })

  // Nothing new, changed or deleted since the last staging: the listing process commits the index.
  it('takes a snapshot of an unchanged or brand-new empty workspace with one child process', async () => {
    const base = await tempDir()
    const root = path.join(base, 'work')
    await mkdir(root)
    const repo = await openShadowRepo({ dataDir: path.join(base, 'data'), workspace: root })
    const empty = await spawnsDuring(() => repo.snapshot('empty'))
    expect(empty.spawns).toBe(1)
    await write(root, 'a.txt', 'a\n')
    await write(root, 'b.txt', 'b\n')
    const written = await spawnsDuring(() => repo.snapshot('written'))
    expect(written.spawns).toBe(2)
    const same = await spawnsDuring(() => repo.snapshot('same'))
    expect(same.spawns).toBe(1)
    expect(same.value).not.toBe(written.value)
    expect(await repo.diff(written.value, same.value)).toEqual([])
    expect(await repo.diff(empty.value, same.value)).toEqual([
      { path: 'a.txt', status: 'added', additions: 1, deletions: 0 },
      { path: 'b.txt', status: 'added', additions: 1, deletions: 0 },
    ])
    // A deletion, a new mode or a rewrite with the same size is a change: staged, not skipped.
    await rm(path.join(root, 'a.txt'))
    await chmod(path.join(root, 'b.txt'), 0o755)
    const changed = await spawnsDuring(() => repo.snapshot('changed'))
    expect(changed.spawns).toBe(2)
    expect(
      (await repo.diff(same.value, changed.value)).map(({ path, status }) => ({ path, status })),
    ).toEqual([
      { path: 'a.txt', status: 'deleted' },
      { path: 'b.txt', status: 'modified' },
    ])
    await write(root, 'b.txt', 'c\n')
    const rewritten = await spawnsDuring(() => repo.snapshot('rewritten'))
    expect(rewritten.spawns).toBe(2)
    expect(await repo.diff(changed.value, rewritten.value)).toEqual([
      { path: 'b.txt', status: 'modified', additions: 1, deletions: 1 },
    ])
    await repo.restore(empty.value)
    expect(await exists(root, 'b.txt')).toBe(false)
  })

  it('hands a label to git as data, never as shell text', async () => {
    const { root, repo } = await workspace()
    const label = `$(touch pwned) \`touch pwned2\`; "quoted" -m x\nsecond line`
    const commit = await repo.snapshot(label)
    expect(message(repo.gitDir, commit).trimEnd()).toBe(label)
    expect(await exists(root, 'pwned')).toBe(false)
    expect(await exists(root, 'pwned2')).toBe(false)
    expect(await exists(path.dirname(repo.gitDir), 'pwned')).toBe(false)
  })
})
