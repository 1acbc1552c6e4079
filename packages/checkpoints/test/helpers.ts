import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { lstat, mkdir, readdir, readFile, symlink, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { tempDir } from '@penguin-ai/testkit'
import { openShadowRepo } from '../src/index.js'
import type { ShadowRepo } from '../src/types.js'

/** Runs the user's own git in `cwd` (the workspace repository, as a user would). */
export function userGit(cwd: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.name=User', '-c', 'user.email=user@example.com', ...args], {
    cwd,
    encoding: 'utf8',
  })
}

/** True when `object` exists in the shadow repository. */
export function hasObject(gitDir: string, object: string): boolean {
  try {
    execFileSync('git', [`--git-dir=${gitDir}`, 'cat-file', '-e', object], { stdio: 'ignore' })
    return true
  } catch {
    return false
  }
}

export function blobId(gitDir: string, content: string): string {
  return execFileSync('git', [`--git-dir=${gitDir}`, 'hash-object', '--stdin'], {
    input: content,
    encoding: 'utf8',
  }).trim()
}

export async function write(root: string, rel: string, content: string | Buffer): Promise<void> {
  const file = path.join(root, rel)
  await mkdir(path.dirname(file), { recursive: true })
  await writeFile(file, content)
}

export const read = (root: string, rel: string) => readFile(path.join(root, rel), 'utf8')

export const exists = (root: string, rel: string) =>
  lstat(path.join(root, rel)).then(
    () => true,
    () => false,
  )

export const ORIGINAL: Record<string, string> = {
  'src/a.ts': 'export const a = 1\n',
  'src/b.ts': 'export const b = 2\n',
  'docs/read me.md': '# Read me\n',
  'ünïcödé/naïve.txt': 'café\n',
  'odd\nname.txt': 'a newline in the name\n',
  '.gitignore': '*.log\nbuild/\n',
  'pkg/.gitignore': 'secret.txt\n',
  'pkg/index.js': 'module.exports = 1\n',
}

export interface Workspace {
  root: string
  dataDir: string
  repo: ShadowRepo
}

/**
 * A workspace that is itself a git repository with one commit, ignored files (root and nested
 * .gitignore), a file over the test's 1 KiB size limit, and a symlink.
 */
export async function workspace(files: Record<string, string> = ORIGINAL): Promise<Workspace> {
  const base = await tempDir()
  const root = path.join(base, 'work space')
  const dataDir = path.join(base, 'data')
  await mkdir(root)
  for (const [rel, content] of Object.entries(files)) await write(root, rel, content)
  await write(root, 'debug.log', 'ignored\n')
  await write(root, 'build/out.js', 'ignored too\n')
  await write(root, 'pkg/secret.txt', 'nested ignore\n')
  await write(root, 'big.bin', Buffer.alloc(4096, 7))
  await symlink('src/a.ts', path.join(root, 'link'))
  userGit(root, 'init', '-q')
  userGit(root, 'add', '-A')
  userGit(root, 'commit', '-q', '-m', 'initial')
  const repo = await openShadowRepo({ dataDir, workspace: root, maxFileBytes: 1024 })
  return { root, dataDir, repo }
}

/** Every file under `dir` with its bytes and mtime, to prove nothing in it was written. */
export async function fingerprint(dir: string): Promise<Record<string, string>> {
  const result: Record<string, string> = {}
  const walk = async (rel: string) => {
    for (const entry of await readdir(path.join(dir, rel), { withFileTypes: true })) {
      const child = path.join(rel, entry.name)
      const stats = await lstat(path.join(dir, child))
      if (entry.isDirectory()) {
        result[`${child}/`] = String(stats.mtimeMs)
        await walk(child)
      } else {
        const bytes = await readFile(path.join(dir, child))
        result[child] = `${stats.mtimeMs} ${createHash('sha256').update(bytes).digest('hex')}`
      }
    }
  }
  await walk('')
  return result
}

export const byPath = <T extends { path: string }>(items: T[]) =>
  [...items].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
