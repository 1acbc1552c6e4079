import { type RepoContext, repoTarget } from './context.js'
import { CheckpointError } from './errors.js'
import { git } from './git.js'

/** Each snapshot is an unparented commit kept alive by its own ref, so pruning is "delete refs, gc". */
export const SNAPSHOT_REF_PREFIX = 'refs/penguin/snapshots/'

/** A snapshot's commit message when the caller gives no label. */
export const DEFAULT_LABEL = 'Penguin checkpoint'

/**
 * The full id of a snapshot commit, given its id or an unambiguous prefix. Anything else (a ref name,
 * `HEAD~1`, an option-looking string) is refused: ids come from `snapshot()`, and refusing names keeps
 * user input from reaching git as anything but a hex object id.
 */
export async function resolveCommit(context: RepoContext, id: string): Promise<string> {
  const trimmed = id.trim()
  if (/^[0-9a-f]{4,64}$/i.test(trimmed)) {
    const result = await git(
      repoTarget(context),
      ['rev-parse', '--verify', '--quiet', `${trimmed.toLowerCase()}^{commit}`],
      { okExitCodes: [1, 128] },
    )
    const full = result.stdout.toString('utf8').trim()
    if (result.exitCode === 0 && full) return full
  }
  throw new CheckpointError(
    'unknown_commit',
    `checkpoint ${JSON.stringify(id)} does not exist in ${context.gitDir} (it may have been pruned, or the id is mistyped or ambiguous)`,
  )
}
