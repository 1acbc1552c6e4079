import { stat } from 'node:fs/promises'
import path from 'node:path'
import { type RepoContext, workspaceTarget } from './context.js'
import { ineligiblePaths } from './eligibility.js'
import { type GitTarget, git } from './git.js'
import { userExcludeFile } from './location.js'
import { joinNul, splitNul } from './nul.js'

/**
 * Brings the shadow repository's private index in line with the workspace: afterwards it holds every
 * snapshot-eligible file (not ignored, not huge, not unreadable, not in a nested repository) with its
 * current content, and nothing else. `git add` only re-reads files whose stat changed, so this is the
 * incremental part of a snapshot; the user's own index is never read or written.
 */
export async function stageWorkspace(context: RepoContext): Promise<void> {
  const [excludesFile, indexed] = await Promise.all([
    userExcludeFile(context.workspace),
    // No private index yet (the repository's first snapshot): nothing was snapshotted before.
    stat(path.join(context.gitDir, 'index')).then(
      () => true,
      () => false,
    ),
  ])
  const target = workspaceTarget(context, excludesFile)
  const [candidates, nowIgnored] = await Promise.all([
    git(target, ['ls-files', '-z', '--others', '--modified', '--exclude-standard']),
    // Files snapshotted before that a .gitignore now covers: `add -A` would keep updating them.
    indexed ? git(target, ['ls-files', '-z', '--cached', '--ignored', '--exclude-standard']) : undefined,
  ])
  const ignored = new Set(nowIgnored ? splitNul(nowIgnored.stdout) : [])
  const skipped = await ineligiblePaths(context.workspace, splitNul(candidates.stdout), context.maxFileBytes)
  const drop = new Set([...ignored, ...skipped])
  if (drop.size > 0) await unstage(target, drop)
  // Skipped paths are excluded by pathspec rather than by ignore pattern because a `!negation` in a
  // project's .gitignore outranks anything we could write to info/exclude. Ignored ones are left out
  // of the pathspec: `add` stays away from them anyway, and fails when a pathspec names one.
  const excluded = skipped.filter((rel) => !ignored.has(rel)).map((rel) => `:(exclude,literal)${rel}`)
  await git(target, ['add', '-A', '--pathspec-from-file=-', '--pathspec-file-nul'], {
    input: joinNul(['.', ...excluded]),
  })
  // Penguin's own data directory inside the workspace is kept out by info/exclude; should a project's
  // negation pattern let it in anyway, take it back out rather than snapshot the snapshots.
  if (context.internalExcludes.length > 0) await unstage(target, context.internalExcludes)
}

/** Removes paths (and everything under them) from the private index; the files themselves stay. */
function unstage(target: GitTarget, paths: Iterable<string>) {
  return git(
    target,
    [
      '--literal-pathspecs',
      'rm',
      '--cached',
      '-r',
      '-f',
      '-q',
      '--ignore-unmatch',
      '--pathspec-from-file=-',
      '--pathspec-file-nul',
    ],
    { input: joinNul(paths) },
  )
}
