import { execFileSync } from 'node:child_process'
import { chmod, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { tempDir } from '@penguin-ai/testkit'
import { describe, expect, it, onTestFinished } from 'vitest'
import { openShadowRepo } from '../src/index.js'
import { exists, read, write } from './helpers.js'

/** Puts a `git` first on PATH that logs its arguments to the returned file, then runs the real one. */
async function loggedGit(): Promise<string> {
  const dir = await tempDir()
  const log = path.join(dir, 'git.log')
  const real = execFileSync('sh', ['-c', 'command -v git'], { encoding: 'utf8' }).trim()
  await writeFile(path.join(dir, 'git'), `#!/bin/sh\necho "$*" >>'${log}'\nexec '${real}' "$@"\n`)
  await chmod(path.join(dir, 'git'), 0o755)
  await writeFile(log, '')
  const saved = process.env.PATH
  process.env.PATH = `${dir}:${saved}`
  onTestFinished(() => {
    process.env.PATH = saved
  })
  return log
}

const inits = async (log: string) =>
  (await readFile(log, 'utf8')).split('\n').filter((line) => line.startsWith('init ')).length

/** A folder's entries, recursively, as sorted relative paths (folders end in /). */
async function tree(dir: string, rel = ''): Promise<string[]> {
  const entries = await readdir(path.join(dir, rel), { withFileTypes: true })
  const paths = await Promise.all(
    entries.map(async (entry) => {
      const name = path.join(rel, entry.name)
      return entry.isDirectory() ? [`${name}/`, ...(await tree(dir, name))] : [name]
    }),
  )
  return paths.flat().sort()
}

describe('new shadow repositories', () => {
  it('are copied from the data directory’s template, made by the first one’s git init', async () => {
    const log = await loggedGit()
    const base = await tempDir()
    const dataDir = path.join(base, 'data')
    const workspaces = ['one', 'two', 'three'].map((name) => path.join(base, name))
    for (const root of workspaces) await mkdir(root)
    await write(workspaces[1] as string, 'a.txt', 'a\n')

    const first = await openShadowRepo({ dataDir, workspace: workspaces[0] as string })
    await first.snapshot('first')
    // The repository's own git init and the template's, in the same child process.
    expect(await inits(log)).toBe(2)
    const template = path.join(dataDir, 'checkpoints', 'template.git')
    // Exactly what git init makes (same folder: same file-system probes).
    const fresh = path.join(dataDir, 'checkpoints', 'fresh.git')
    execFileSync('git', ['-c', 'init.defaultBranch=main', 'init', '--bare', '--quiet', '--template=', fresh])
    expect(await tree(template)).toEqual(await tree(fresh))
    expect(await read(template, 'config')).toBe(await read(fresh, 'config'))
    expect(await read(template, 'HEAD')).toBe(await read(fresh, 'HEAD'))

    // The next new repositories start no git init: a copy of the template works as well.
    const second = await openShadowRepo({ dataDir, workspace: workspaces[1] as string })
    const before = await second.snapshot('before')
    await write(workspaces[1] as string, 'a.txt', 'changed\n')
    await write(workspaces[1] as string, 'b.txt', 'b\n')
    const after = await second.snapshot('after')
    expect(await second.diff(before, after)).toEqual([
      { path: 'a.txt', status: 'modified', additions: 1, deletions: 1 },
      { path: 'b.txt', status: 'added', additions: 1, deletions: 0 },
    ])
    await second.restore(before)
    expect(await read(workspaces[1] as string, 'a.txt')).toBe('a\n')
    expect(await exists(workspaces[1] as string, 'b.txt')).toBe(false)
    const third = await openShadowRepo({ dataDir, workspace: workspaces[2] as string })
    await third.snapshot('third')
    expect(await inits(log)).toBe(2)
    execFileSync('git', [`--git-dir=${second.gitDir}`, 'fsck', '--strict'], { stdio: 'pipe' })
  })

  it('are made by git init when the template is not whole', async () => {
    const log = await loggedGit()
    const base = await tempDir()
    const dataDir = path.join(base, 'data')
    for (const name of ['one', 'two']) await mkdir(path.join(base, name))
    await (await openShadowRepo({ dataDir, workspace: path.join(base, 'one') })).snapshot('first')
    // Without HEAD it is no repository: it is neither copied nor made again.
    await rm(path.join(dataDir, 'checkpoints', 'template.git', 'HEAD'))
    const repo = await openShadowRepo({ dataDir, workspace: path.join(base, 'two') })
    await write(path.join(base, 'two'), 'a.txt', 'a\n')
    const commit = await repo.snapshot('second')
    expect(await repo.diff(commit)).toEqual([])
    expect(await inits(log)).toBe(3)
  })
})
