import { ChildProcess, execFileSync } from 'node:child_process'
import path from 'node:path'
import { describe, expect, it, onTestFinished } from 'vitest'
import { exists, workspace, write } from './helpers.js'

/** ChildProcess#spawn: every child_process API starts its child through it (not in Node's types). */
const prototype = ChildProcess.prototype as unknown as { spawn: (...args: unknown[]) => unknown }

/** Counts the child processes started while `fn` runs. */
async function spawnsDuring<T>(fn: () => Promise<T>): Promise<{ value: T; spawns: number }> {
  const original = prototype.spawn
  let spawns = 0
  prototype.spawn = function counted(this: unknown, ...args: unknown[]) {
    spawns++
    return original.apply(this, args)
  }
  onTestFinished(() => {
    prototype.spawn = original
  })
  const value = await fn()
  prototype.spawn = original
  return { value, spawns }
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
    await write(root, 'src/a.ts', 'export const a = 2\n')
    await write(root, 'huge.txt', 'x'.repeat(2048))
    const second = await spawnsDuring(() => repo.snapshot('second'))
    expect(second.spawns).toBe(2)
    expect(await repo.diff(first.value, second.value)).toEqual([
      { path: 'src/a.ts', status: 'modified', additions: 1, deletions: 1 },
    ])
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
