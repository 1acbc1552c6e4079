import { readFile, readlink, rm, symlink, unlink, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { handEdits } from '../src/index.js'
import { byPath, exists, fingerprint, ORIGINAL, read, workspace, write } from './helpers.js'

/** The agent's turn: one edit, one new file (spaces in its name), one delete (unicode name). */
async function agentTurn(root: string) {
  await write(root, 'src/a.ts', 'export const a = 42\nexport const extra = true\n')
  await write(root, 'src/new file.ts', 'export {}\n')
  await unlink(path.join(root, 'ünïcödé/naïve.txt'))
  // Neither of these may show up anywhere: one is ignored, the other over the size limit.
  await write(root, 'debug.log', 'changed by the agent\n')
  await write(root, 'big.bin', Buffer.alloc(4096, 9))
}

describe('snapshot, diff and restore', () => {
  it('lists exactly the changed snapshot-eligible files', async () => {
    const { root, repo } = await workspace()
    const before = await repo.snapshot('before turn 1')
    await agentTurn(root)
    expect(byPath(await repo.diff(before))).toEqual([
      { path: 'src/a.ts', status: 'modified', additions: 2, deletions: 1 },
      { path: 'src/new file.ts', status: 'added', additions: 1, deletions: 0 },
      { path: 'ünïcödé/naïve.txt', status: 'deleted', additions: 0, deletions: 1 },
    ])
    const after = await repo.snapshot('after turn 1')
    expect(byPath(await repo.diff(before, after)).map((change) => [change.path, change.status])).toEqual([
      ['src/a.ts', 'modified'],
      ['src/new file.ts', 'added'],
      ['ünïcödé/naïve.txt', 'deleted'],
    ])
    const patch = await repo.patch(before)
    expect(patch).toContain('+export const a = 42')
    expect(patch).toContain('-café')
    expect(patch).not.toContain('debug.log')
    expect(await repo.patch(before, after)).toBe(patch)
  })

  it('restores the exact bytes, deletes what was added, and leaves ignored and huge files alone', async () => {
    const { root, repo } = await workspace()
    const before = await repo.snapshot()
    await agentTurn(root)
    const plan = await repo.planRestore(before)
    expect(byPath(plan).map((change) => [change.path, change.status])).toEqual([
      ['src/a.ts', 'modified'],
      ['src/new file.ts', 'deleted'],
      ['ünïcödé/naïve.txt', 'added'],
    ])
    expect(await repo.restore(before)).toEqual(plan)
    for (const [rel, content] of Object.entries(ORIGINAL)) expect(await read(root, rel)).toBe(content)
    expect(await exists(root, 'src/new file.ts')).toBe(false)
    expect(await read(root, 'debug.log')).toBe('changed by the agent\n')
    expect(await readFile(path.join(root, 'big.bin'))).toEqual(Buffer.alloc(4096, 9))
    expect(await read(root, 'pkg/secret.txt')).toBe('nested ignore\n')
    expect(await repo.diff(before)).toEqual([])
    expect(await repo.planRestore(before)).toEqual([])
  })

  it('never writes to the user’s .git', async () => {
    const { root, repo } = await workspace()
    const dotGit = path.join(root, '.git')
    const original = await fingerprint(dotGit)
    const before = await repo.snapshot()
    await agentTurn(root)
    await repo.snapshot()
    await repo.diff(before)
    await repo.restore(before)
    await repo.prune([before])
    expect(await fingerprint(dotGit)).toEqual(original)
  })

  it('makes a restore undoable by snapshotting first', async () => {
    const { root, repo } = await workspace()
    const before = await repo.snapshot()
    await agentTurn(root)
    const edited = await fingerprint(root)
    const beforeRestore = await repo.snapshot('before restore')
    await repo.restore(before)
    expect(await read(root, 'src/a.ts')).toBe(ORIGINAL['src/a.ts'])
    const undone = await repo.restore(beforeRestore)
    expect(byPath(undone).map((change) => [change.path, change.status])).toEqual([
      ['src/a.ts', 'modified'],
      ['src/new file.ts', 'added'],
      ['ünïcödé/naïve.txt', 'deleted'],
    ])
    const now = await fingerprint(root)
    // Contents match exactly; mtimes of rewritten files (and their directories) naturally differ.
    const contents = (print: Record<string, string>) =>
      Object.fromEntries(
        Object.entries(print)
          .filter(([rel]) => !rel.endsWith('/') && !rel.startsWith('.git/'))
          .map(([rel, value]) => [rel, value.split(' ')[1]]),
      )
    expect(contents(now)).toEqual(contents(edited))
  })

  it('snapshots symlinks as links and restores them without following them', async () => {
    const { root, repo } = await workspace()
    const before = await repo.snapshot()
    await unlink(path.join(root, 'link'))
    await symlink('../outside', path.join(root, 'link'))
    await symlink('src', path.join(root, 'dirlink'))
    expect(byPath(await repo.diff(before)).map((change) => [change.path, change.status])).toEqual([
      ['dirlink', 'added'],
      ['link', 'modified'],
    ])
    await repo.restore(before)
    expect(await readlink(path.join(root, 'link'))).toBe('src/a.ts')
    expect(await exists(root, 'dirlink')).toBe(false)
    expect(await read(root, 'src/b.ts')).toBe(ORIGINAL['src/b.ts'])
  })

  it('removes directories left empty and turns a directory back into a file', async () => {
    const { root, repo } = await workspace()
    const before = await repo.snapshot()
    await write(root, 'gen/deep/er/one.ts', '1\n')
    await rm(path.join(root, 'src/b.ts'))
    await write(root, 'src/b.ts/inside.ts', 'now a directory\n')
    await repo.restore(before)
    expect(await exists(root, 'gen')).toBe(false)
    expect(await read(root, 'src/b.ts')).toBe(ORIGINAL['src/b.ts'])
  })

  it('keeps a directory that still holds ignored files', async () => {
    const { root, repo } = await workspace()
    const before = await repo.snapshot()
    await write(root, 'tmp/new.ts', 'x\n')
    await write(root, 'tmp/trace.log', 'ignored\n')
    await repo.restore(before)
    expect(await exists(root, 'tmp/new.ts')).toBe(false)
    expect(await read(root, 'tmp/trace.log')).toBe('ignored\n')
  })

  it('handles names with newlines', async () => {
    const { root, repo } = await workspace()
    const before = await repo.snapshot()
    await write(root, 'odd\nname.txt', 'changed\n')
    await write(root, 'another\nodd one.txt', 'new\n')
    expect(byPath(await repo.diff(before)).map((change) => change.path)).toEqual([
      'another\nodd one.txt',
      'odd\nname.txt',
    ])
    await repo.restore(before)
    expect(await read(root, 'odd\nname.txt')).toBe(ORIGINAL['odd\nname.txt'])
    expect(await exists(root, 'another\nodd one.txt')).toBe(false)
  })

  it('reports hand edits made after the last snapshot', async () => {
    const { root, repo } = await workspace()
    await agentTurn(root)
    const afterAgent = await repo.snapshot('after turn 1')
    expect(await handEdits(repo, afterAgent)).toEqual([])
    await writeFile(path.join(root, 'src/b.ts'), 'export const b = 3 // by hand\n')
    await write(root, 'debug.log', 'ignored files are not hand edits\n')
    expect(await handEdits(repo, afterAgent)).toEqual(['src/b.ts'])
  })

  it('returns the same tree for the same content', async () => {
    const { repo } = await workspace()
    const first = await repo.snapshot()
    const second = await repo.snapshot()
    expect(await repo.diff(first, second)).toEqual([])
  })
})
