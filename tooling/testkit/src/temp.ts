/** Temporary directories, file trees and git repositories for tests, removed after the test file. */
import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { afterAll } from 'vitest'

const created: string[] = []

try {
  // Registered while the test file is collected; outside vitest (a global setup, a script) the
  // directories are simply left in the system's temp dir.
  // A file's temp dirs can hold whole git repositories; removing them on a busy machine took over
  // vitest's default 10 s hook bound (checkpoints, at load ~30). The bound only catches a hang.
  afterAll(() => {
    for (const dir of created.splice(0)) rmSync(dir, { recursive: true, force: true })
  }, 120_000)
} catch {}

/** A new empty directory under the system temp dir (its real path: /tmp may be a link). */
export function tempDir(prefix = 'penguin-test-'): string {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), prefix)))
  created.push(dir)
  return dir
}

/** Writes `files` (relative path → content) under `dir`, creating folders as needed. */
export function writeTree(dir: string, files: Record<string, string | Buffer>): string {
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true })
    writeFileSync(join(dir, path), content)
  }
  return dir
}

/** A new temp directory holding `files`. */
export function tempTree(files: Record<string, string | Buffer> = {}, prefix = 'penguin-repo-'): string {
  return writeTree(tempDir(prefix), files)
}

/** Runs git in `cwd` as a fixed test user (no global config needed). */
export function git(cwd: string, ...args: string[]): string {
  return execFileSync(
    'git',
    [
      '-c',
      'user.name=Penguin Test',
      '-c',
      'user.email=test@penguin.invalid',
      '-c',
      'init.defaultBranch=main',
      ...args,
    ],
    { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
  )
}

/** A temp git repository on branch `main` with `files` committed (one commit; none when empty). */
export function tempRepo(files: Record<string, string | Buffer> = {}, prefix = 'penguin-git-'): string {
  return initRepo(tempDir(prefix), files)
}

/**
 * `dir` (made if missing) as a git repository on branch `main` with `files` committed (one commit;
 * none when empty): for a repository that must sit in a given place (under /var/tmp, in a fixture).
 */
export function initRepo(dir: string, files: Record<string, string | Buffer> = {}): string {
  mkdirSync(dir, { recursive: true })
  writeTree(dir, files)
  git(dir, 'init', '-q')
  if (Object.keys(files).length) {
    git(dir, 'add', '-A')
    git(dir, 'commit', '-q', '-m', 'initial')
  }
  return dir
}
