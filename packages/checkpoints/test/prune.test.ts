import { execFileSync } from 'node:child_process'
import { describe, expect, it } from 'vitest'
import { blobId, hasObject, read, workspace, write } from './helpers.js'

const refs = (gitDir: string) =>
  execFileSync('git', [`--git-dir=${gitDir}`, 'for-each-ref', '--format=%(objectname)'], { encoding: 'utf8' })
    .split('\n')
    .filter(Boolean)
    .sort()

describe('prune', () => {
  it('drops unreferenced snapshots and their objects, and keeps the rest restorable', async () => {
    const { root, repo } = await workspace()
    await write(root, 'src/a.ts', 'only in the first snapshot\n')
    const first = await repo.snapshot('one')
    await write(root, 'src/a.ts', 'only in the second snapshot\n')
    const second = await repo.snapshot('two')
    await write(root, 'src/a.ts', 'in the third snapshot and the workspace\n')
    const third = await repo.snapshot('three')
    expect(refs(repo.gitDir)).toEqual([first, second, third].sort())
    const firstBlob = blobId(repo.gitDir, 'only in the first snapshot\n')
    expect(hasObject(repo.gitDir, firstBlob)).toBe(true)

    await repo.prune([second, third])

    expect(refs(repo.gitDir)).toEqual([second, third].sort())
    expect(hasObject(repo.gitDir, first)).toBe(false)
    expect(hasObject(repo.gitDir, firstBlob)).toBe(false)
    await expect(repo.restore(first)).rejects.toMatchObject({ code: 'unknown_commit' })
    await repo.restore(second)
    expect(await read(root, 'src/a.ts')).toBe('only in the second snapshot\n')
    await repo.restore(third)
    expect(await read(root, 'src/a.ts')).toBe('in the third snapshot and the workspace\n')
  })

  it('ignores ids that no longer exist and accepts short ids', async () => {
    const { repo } = await workspace()
    const kept = await repo.snapshot()
    await repo.prune([kept.slice(0, 12), 'deadbeefdeadbeef'])
    expect(refs(repo.gitDir)).toEqual([kept])
    await repo.prune([])
    expect(refs(repo.gitDir)).toEqual([])
    expect(hasObject(repo.gitDir, kept)).toBe(false)
  })
})
