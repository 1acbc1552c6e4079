import { execFile } from 'node:child_process'
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { pathToFileURL } from 'node:url'

/** Git with no user or system config, a fixed identity and no prompts: the same on every machine. */
export const GIT_ENV: NodeJS.ProcessEnv = {
  ...process.env,
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_TERMINAL_PROMPT: '0',
  GIT_AUTHOR_NAME: 'Fake GitHub',
  GIT_AUTHOR_EMAIL: 'fake@github.invalid',
  GIT_COMMITTER_NAME: 'Fake GitHub',
  GIT_COMMITTER_EMAIL: 'fake@github.invalid',
}

export function git(cwd: string, args: string[], input?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      'git',
      args,
      { cwd, env: GIT_ENV, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error) reject(new Error(`git ${args.join(' ')} failed in ${cwd}: ${stderr || error.message}`))
        else resolve(stdout)
      },
    )
    if (input !== undefined) child.stdin?.end(input)
  })
}

export interface BareRemote {
  /** The bare repository's directory. */
  path: string
  /** `file://…` URL to clone from and push to (what the fake API reports as `clone_url`). */
  url: string
  defaultBranch: string
  /** Branch names on the remote. */
  branches(): Promise<string[]>
  /** A file's text on a branch, or undefined when it is not there. */
  read(branch: string, path: string): Promise<string | undefined>
  /** Commit subjects + bodies on a branch, newest first. */
  log(branch: string): Promise<string[]>
  /** Commits `files` (undefined = delete) on top of `from` as branch `branch` (as if someone pushed). */
  commit(
    branch: string,
    files: Record<string, string | undefined>,
    message: string,
    from?: string,
  ): Promise<string>
  /** `git diff base...head` on the remote (what GitHub shows on a pull request). */
  diff(base: string, head: string): Promise<string>
  remove(): Promise<void>
}

/**
 * A bare repository in a temp dir, seeded with one commit of `files` on `defaultBranch`: a local
 * stand-in for a GitHub repository's git side.
 */
export async function createBareRemote(
  files: Record<string, string>,
  options: { defaultBranch?: string } = {},
): Promise<BareRemote> {
  const defaultBranch = options.defaultBranch ?? 'main'
  const root = await mkdtemp(join(tmpdir(), 'fake-github-remote-'))
  const path = join(root, 'repo.git')
  await git(root, ['init', '--bare', '--quiet', `--initial-branch=${defaultBranch}`, path])
  const remote: BareRemote = {
    path,
    url: pathToFileURL(path).href,
    defaultBranch,
    async branches() {
      const out = await git(path, ['for-each-ref', '--format=%(refname:short)', 'refs/heads/'])
      return out.split('\n').filter(Boolean)
    },
    async read(branch, file) {
      try {
        return await git(path, ['show', `refs/heads/${branch}:${file}`])
      } catch {
        return undefined
      }
    },
    async log(branch) {
      const out = await git(path, ['log', '--format=%B%x00', `refs/heads/${branch}`])
      return out
        .split('\0')
        .map((entry) => entry.trim())
        .filter(Boolean)
    },
    async commit(branch, changes, message, from = defaultBranch) {
      const work = await mkdtemp(join(tmpdir(), 'fake-github-work-'))
      try {
        await git(work, ['clone', '--quiet', '--branch', from, remote.url, '.'])
        if (branch !== from) await git(work, ['checkout', '--quiet', '-b', branch])
        for (const [file, text] of Object.entries(changes)) {
          if (text === undefined) await git(work, ['rm', '--quiet', file])
          else {
            await mkdir(dirname(join(work, file)), { recursive: true })
            await writeFile(join(work, file), text)
            await git(work, ['add', file])
          }
        }
        await git(work, ['commit', '--quiet', '-m', message])
        await git(work, ['push', '--quiet', 'origin', `HEAD:refs/heads/${branch}`])
        return (await git(work, ['rev-parse', 'HEAD'])).trim()
      } finally {
        await rm(work, { recursive: true, force: true })
      }
    },
    diff(base, head) {
      return git(path, ['diff', '--no-color', '--no-renames', `refs/heads/${base}...refs/heads/${head}`])
    },
    remove: () => rm(root, { recursive: true, force: true }),
  }
  // Seed: a first commit pushed from a scratch repository (an empty remote has no branch to clone).
  const work = await mkdtemp(join(tmpdir(), 'fake-github-seed-'))
  try {
    await git(work, ['init', '--quiet', `--initial-branch=${defaultBranch}`])
    for (const [file, text] of Object.entries(files)) {
      await mkdir(dirname(join(work, file)), { recursive: true })
      await writeFile(join(work, file), text)
    }
    await git(work, ['add', '-A'])
    await git(work, ['commit', '--quiet', '--allow-empty', '-m', 'Initial commit'])
    await git(work, ['push', '--quiet', remote.url, `HEAD:refs/heads/${defaultBranch}`])
  } finally {
    await rm(work, { recursive: true, force: true })
  }
  return remote
}
