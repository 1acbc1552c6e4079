import { mkdtemp, realpath } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { type RepoRef, type Repository, remoteNamesRepo } from '@penguin-ai/github'
import { usageError } from '../cli-error.js'
import { Git } from './git.js'

export interface Checkout {
  dir: string
  git: Git
  /** True when Penguin cloned it (else: the user's own checkout). */
  cloned: boolean
}

/**
 * The current checkout when it is the repository (its `origin` names it, or is its clone URL) and
 * has no uncommitted tracked changes; else a fresh clone in `dir` or a new temporary directory.
 */
export async function openCheckout(
  repo: Repository,
  ref: RepoRef,
  token: string,
  options: { dir?: string; cwd?: string } = {},
): Promise<Checkout> {
  if (!options.dir) {
    const here = new Git(options.cwd ?? process.cwd(), token)
    const top = (await here.run(['rev-parse', '--show-toplevel']).catch(() => '')).trim()
    const origin = top ? (await here.run(['remote', 'get-url', 'origin']).catch(() => '')).trim() : ''
    if (origin && (origin === repo.cloneUrl || remoteNamesRepo(origin, ref))) {
      const git = new Git(top, token)
      if (await git.dirty()) {
        throw usageError(
          `${top} has uncommitted changes: commit or stash them first, or pass --dir DIR to work in a fresh clone.`,
        )
      }
      return { dir: top, git, cloned: false }
    }
  }
  const dir = options.dir
    ? resolve(options.dir)
    : await mkdtemp(join(tmpdir(), `penguin-github-${ref.name.replace(/[^A-Za-z0-9._-]/g, '_')}-`))
  const git = new Git(dir, token)
  await git.clone(repo.cloneUrl)
  return { dir: await realpath(dir), git: new Git(await realpath(dir), token), cloned: true }
}

/**
 * Puts the checkout on `branch`: the remote's branch when it exists (earlier work continues), else a
 * new branch from the remote's `base`. Remote refs land under refs/penguin/, never in the user's
 * remote-tracking branches.
 */
export async function switchToBranch(
  checkout: Checkout,
  url: string,
  branch: string,
  base: string,
): Promise<void> {
  const { git } = checkout
  const existing = await git.remoteHas(url, branch)
  const refspecs = [`+refs/heads/${base}:refs/penguin/base`]
  if (existing) refspecs.push(`+refs/heads/${branch}:refs/penguin/branch`)
  await git.fetch(url, refspecs)
  await git.run(['checkout', '--quiet', '-B', branch, existing ? 'refs/penguin/branch' : 'refs/penguin/base'])
}
