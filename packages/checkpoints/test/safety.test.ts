import { execFileSync } from 'node:child_process'
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { tempDir } from '@penguin-ai/testkit'
import { describe, expect, it } from 'vitest'
import { openShadowRepo } from '../src/index.js'
import { exists, fingerprint, read, userGit, workspace, write } from './helpers.js'

const trackedIn = (gitDir: string, commit: string) =>
  execFileSync('git', [`--git-dir=${gitDir}`, 'ls-tree', '-r', '-z', '--name-only', commit], {
    encoding: 'utf8',
  })
    .split('\0')
    .filter(Boolean)

describe('what snapshots leave out and restore leaves alone', () => {
  it('drops a file that grew past the limit and never overwrites it', async () => {
    const { root, repo } = await workspace()
    const small = await repo.snapshot()
    expect(trackedIn(repo.gitDir, small)).toContain('src/b.ts')
    const huge = Buffer.alloc(2048, 1)
    await write(root, 'src/b.ts', huge)
    const grown = await repo.snapshot()
    expect(trackedIn(repo.gitDir, grown)).not.toContain('src/b.ts')
    expect(await repo.diff(small)).toEqual([])
    await repo.restore(small)
    expect(await readFile(path.join(root, 'src/b.ts'))).toEqual(huge)
  })

  it('stops snapshotting a file once a .gitignore covers it', async () => {
    const { root, repo } = await workspace()
    const before = await repo.snapshot()
    await write(root, '.gitignore', '*.log\nbuild/\nsrc/b.ts\n')
    await write(root, 'src/b.ts', 'now ignored\n')
    const after = await repo.snapshot()
    expect(trackedIn(repo.gitDir, after)).not.toContain('src/b.ts')
    await repo.restore(before)
    // The restore brings the old .gitignore back but leaves the file it ignored when it started.
    expect(await read(root, 'src/b.ts')).toBe('now ignored\n')
    expect(await read(root, '.gitignore')).toBe('*.log\nbuild/\n')
  })

  it('copes with a snapshotted file that becomes both ignored and huge', async () => {
    const { root, repo } = await workspace()
    const before = await repo.snapshot()
    await write(root, '.gitignore', '*.log\nbuild/\nsrc/b.ts\n')
    await write(root, 'src/b.ts', Buffer.alloc(2048, 3))
    const after = await repo.snapshot()
    expect(trackedIn(repo.gitDir, after)).not.toContain('src/b.ts')
    await repo.restore(before)
    expect(await readFile(path.join(root, 'src/b.ts'))).toEqual(Buffer.alloc(2048, 3))
  })

  it('keeps huge files out even when a .gitignore negation re-includes them', async () => {
    const { root, repo } = await workspace()
    await write(root, 'logs/.gitignore', '!keep.log\n')
    await write(root, 'logs/keep.log', Buffer.alloc(2048, 2))
    const commit = await repo.snapshot()
    expect(trackedIn(repo.gitDir, commit)).toContain('logs/.gitignore')
    expect(trackedIn(repo.gitDir, commit)).not.toContain('logs/keep.log')
  })

  it('honours the user’s .git/info/exclude', async () => {
    const { root, repo } = await workspace()
    await write(root, '.git/info/exclude', 'local-notes.md\n')
    await write(root, 'local-notes.md', 'mine\n')
    const commit = await repo.snapshot()
    expect(trackedIn(repo.gitDir, commit)).not.toContain('local-notes.md')
  })

  it('skips nested repositories and never deletes them', async () => {
    const { root, repo } = await workspace()
    const before = await repo.snapshot()
    // A nested repository without a commit makes a plain `git add -A` fail outright.
    await write(root, 'vendor/empty/file.txt', 'x\n')
    userGit(path.join(root, 'vendor/empty'), 'init', '-q')
    await write(root, 'vendor/lib/file.txt', 'y\n')
    userGit(path.join(root, 'vendor/lib'), 'init', '-q')
    userGit(path.join(root, 'vendor/lib'), 'add', '-A')
    userGit(path.join(root, 'vendor/lib'), 'commit', '-q', '-m', 'lib')
    const nested = await fingerprint(path.join(root, 'vendor'))
    const after = await repo.snapshot()
    expect(trackedIn(repo.gitDir, after).filter((rel) => rel.startsWith('vendor'))).toEqual([])
    expect(await repo.diff(before)).toEqual([])
    await repo.restore(before)
    expect(await fingerprint(path.join(root, 'vendor'))).toEqual(nested)
  })

  it('keeps CRLF and other bytes exactly, whatever .gitattributes says', async () => {
    const { root, repo } = await workspace()
    await write(root, '.gitattributes', '* text=auto eol=crlf\n*.txt filter=lfs\n')
    const bytes = Buffer.from('one\r\ntwo\nthree\r\n\u0000binary?')
    await write(root, 'mixed.txt', bytes)
    const commit = await repo.snapshot()
    await write(root, 'mixed.txt', 'changed\n')
    await repo.restore(commit)
    expect(await readFile(path.join(root, 'mixed.txt'))).toEqual(bytes)
  })

  it('does not snapshot its own data directory when it sits inside the workspace', async () => {
    const root = await tempDir()
    await write(root, 'a.txt', 'a\n')
    await write(root, '.penguin/config.json', '{}\n')
    const repo = await openShadowRepo({ dataDir: path.join(root, '.penguin'), workspace: root })
    await write(root, '.penguin/penguin.db', 'database\n')
    const first = await repo.snapshot()
    expect(trackedIn(repo.gitDir, first).sort()).toEqual(['.penguin/config.json', 'a.txt'])
    const second = await repo.snapshot()
    expect(await repo.diff(first, second)).toEqual([])
    await repo.restore(first)
    expect(await exists(root, '.penguin/penguin.db')).toBe(true)
  })

  it('works in a workspace that is not a git repository', async () => {
    const root = await tempDir()
    await write(root, 'notes.md', 'hello\n')
    const repo = await openShadowRepo({ dataDir: await tempDir(), workspace: root })
    const commit = await repo.snapshot()
    await write(root, 'notes.md', 'bye\n')
    expect((await repo.restore(commit)).map((change) => change.path)).toEqual(['notes.md'])
    expect(await read(root, 'notes.md')).toBe('hello\n')
  })

  it('ignores GIT_DIR and GIT_INDEX_FILE set by a surrounding git hook', async () => {
    const { root, repo } = await workspace()
    const dotGit = path.join(root, '.git')
    const before = await fingerprint(dotGit)
    const saved = { dir: process.env.GIT_DIR, index: process.env.GIT_INDEX_FILE }
    process.env.GIT_DIR = dotGit
    process.env.GIT_INDEX_FILE = path.join(dotGit, 'index')
    try {
      await write(root, 'src/a.ts', 'changed\n')
      await repo.snapshot()
    } finally {
      if (saved.dir === undefined) delete process.env.GIT_DIR
      else process.env.GIT_DIR = saved.dir
      if (saved.index === undefined) delete process.env.GIT_INDEX_FILE
      else process.env.GIT_INDEX_FILE = saved.index
    }
    expect(await fingerprint(dotGit)).toEqual(before)
  })
})
