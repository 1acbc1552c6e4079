import { appendFile, mkdir, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { git, gitOk } from './git.js'

/**
 * Where a repository's local mirror may be under `--repos DIR`, in the order tried:
 * `DIR/<owner>__<name>` (the SWE-bench instance-id convention), then `DIR/<owner>/<name>`, each
 * also with a `.git` suffix (bare mirrors).
 */
export function mirrorCandidates(reposDir: string, repo: string): string[] {
  const [owner = '', name = ''] = repo.split('/')
  const flat = join(reposDir, `${owner}__${name}`)
  const nested = join(reposDir, owner, name)
  return [flat, `${flat}.git`, nested, `${nested}.git`]
}

export async function findMirror(reposDir: string, repo: string): Promise<string | undefined> {
  for (const candidate of mirrorCandidates(reposDir, repo)) {
    try {
      if ((await stat(candidate)).isDirectory()) return candidate
    } catch {
      // Try the next layout.
    }
  }
  return undefined
}

/** Files the agent's tools and tests leave behind that must not end up in a patch. */
const LOCAL_EXCLUDES = ['__pycache__/', '*.pyc', '.pytest_cache/', 'node_modules/', '.penguin/']

/**
 * Clones the mirror into `dest` (a fresh directory) and checks out `baseCommit`, detached. Build
 * and cache artefacts are excluded locally (in .git/info/exclude), so the repository's own files
 * stay untouched.
 */
export async function checkout(mirror: string, baseCommit: string, dest: string): Promise<void> {
  await gitOk(['clone', '--quiet', '--no-checkout', mirror, dest], process.cwd())
  const checkedOut = await git(['checkout', '--quiet', '--detach', baseCommit], dest)
  if (checkedOut.code !== 0) {
    throw new Error(`base commit ${baseCommit} is not in the mirror ${mirror}: ${checkedOut.stderr.trim()}`)
  }
  await mkdir(join(dest, '.git', 'info'), { recursive: true })
  await appendFile(join(dest, '.git', 'info', 'exclude'), `\n${LOCAL_EXCLUDES.join('\n')}\n`)
}

/** Everything changed since `baseCommit` — edits, new files, deletions, commits — as one diff. */
export async function diffSince(dir: string, baseCommit: string): Promise<string> {
  await gitOk(['add', '--all'], dir)
  return gitOk(['diff', '--cached', '--binary', '--no-color', '--no-ext-diff', baseCommit], dir)
}
