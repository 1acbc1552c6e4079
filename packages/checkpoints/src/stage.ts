import { randomBytes } from 'node:crypto'
import { readFile, rm, stat, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { SNAPSHOT_REF_PREFIX } from './commits.js'
import { type RepoContext, workspaceTarget } from './context.js'
import { ineligiblePaths } from './eligibility.js'
import type { GitTarget } from './git.js'
import { gitScript } from './git-script.js'
import { userExcludeFile } from './location.js'
import { joinNul, splitNul } from './nul.js'
import { seedFromTemplate, templateScratch } from './repo-template.js'

/**
 * Commits the index as a snapshot labelled $label and prints its id (after `commit `), or just
 * `staged` when there is no label.
 */
const COMMIT_STEPS = `[ -n "$label" ] || { printf 'staged\\n'; exit 0; }
tree=$(git write-tree </dev/null) || fail write-tree
commit=$(git commit-tree "$tree" -m "$label" </dev/null) || fail commit-tree
git update-ref "${SNAPSHOT_REF_PREFIX}$commit" "$commit" </dev/null || fail update-ref
printf 'commit %s\\n' "$commit"
`

/**
 * Lists what staging must look at, creating the repository on its first use unless a template was
 * copied in ($5, when set: where to make the data directory's template, repo-template.ts): into
 * file $3 the paths new or changed since the last staging (`--others --modified`, deleted ones included), into file $4
 * — once there is a private index ($1 set) — the paths staged before that a .gitignore now covers
 * (`add -A` would keep updating them). When both are empty the index already holds the workspace
 * as it is: nothing needs checking or staging, and the same process commits it (label $2), saving
 * the second child process (an unchanged workspace, a brand-new empty one). Otherwise it prints
 * nothing and staging continues in Node.
 */
const LIST_SCRIPT = `[ -f "$GIT_DIR/HEAD" ] || (unset GIT_WORK_TREE; git init --bare --quiet --template= "$GIT_DIR") || fail init
[ -z "$5" ] || (unset GIT_DIR GIT_WORK_TREE; git init --bare --quiet --template= "$5") || fail init
git ls-files -z --others --modified --exclude-standard </dev/null >"$3" || fail ls-files
: >"$4"
[ -z "$1" ] || git ls-files -z --cached --ignored --exclude-standard </dev/null >"$4" || fail ls-files
[ -s "$3" ] || [ -s "$4" ] || { label=$2; ${COMMIT_STEPS} }
`

/**
 * Stages the workspace and, with a label ($1 set), commits the index as a snapshot and prints its id.
 * $2 / $3: files of NUL-separated literal paths to take out of the index before / after `add`
 * (ineligible or newly ignored paths / Penguin's own data), empty when there are none. stdin: the
 * pathspec of `add` (NUL-separated).
 */
const STAGE_SCRIPT = `[ -z "$2" ] || git --literal-pathspecs rm --cached -r -f -q --ignore-unmatch --pathspec-from-file="$2" --pathspec-file-nul </dev/null || fail rm
git add -A --pathspec-from-file=- --pathspec-file-nul || fail add
[ -z "$3" ] || git --literal-pathspecs rm --cached -r -f -q --ignore-unmatch --pathspec-from-file="$3" --pathspec-file-nul </dev/null || fail rm
label=$1
${COMMIT_STEPS}`

/**
 * Brings the shadow repository's private index in line with the workspace: afterwards it holds every
 * snapshot-eligible file (not ignored, not huge, not unreadable, not in a nested repository) with its
 * current content, and nothing else. `git add` only re-reads files whose stat changed, so this is the
 * incremental part of a snapshot; the user's own index is never read or written.
 *
 * With `commitLabel`, the staged index is also committed as a snapshot (an unparented commit with a
 * ref of its own) and its id returned. Two child processes in all (see `gitScript`): one listing,
 * then — after the eligibility checks, which need the list — one staging and committing; just the
 * first when nothing changed since the last staging (it commits too then).
 */
export async function stageWorkspace(
  context: RepoContext,
  commitLabel?: string,
): Promise<string | undefined> {
  const [excludesFile, indexed, created] = await Promise.all([
    userExcludeFile(context.workspace),
    // No private index yet (the repository's first snapshot): nothing was snapshotted before.
    exists(path.join(context.gitDir, 'index')),
    exists(path.join(context.gitDir, 'HEAD')),
  ])
  // A new repository: copied from the data directory's template, or made by the listing's `git
  // init` — which then also makes the template, when there is none.
  const template =
    created || (await seedFromTemplate(context.gitDir)) ? undefined : await templateScratch(context.gitDir)
  const target = workspaceTarget(context, excludesFile)
  const listings = scratchFiles(target, 2)
  let candidates: string[]
  let ignored: Set<string>
  try {
    const output = await gitScript(target, LIST_SCRIPT, [
      indexed ? '1' : '',
      commitLabel ?? '',
      ...listings.files,
      template?.path ?? '',
    ]).finally(() => template?.keep())
    const done = committed(output)
    if (done !== undefined) return commitLabel === undefined ? undefined : done
    const [changed, stale] = await Promise.all(listings.files.map((file) => readFile(file)))
    candidates = splitNul(changed as Buffer)
    ignored = new Set(splitNul(stale as Buffer))
  } finally {
    await listings.remove()
  }
  const skipped = await ineligiblePaths(context.workspace, candidates, context.maxFileBytes)
  const drop = new Set([...ignored, ...skipped])
  // Skipped paths are excluded by pathspec rather than by ignore pattern because a `!negation` in a
  // project's .gitignore outranks anything we could write to info/exclude. Ignored ones are left out
  // of the pathspec: `add` stays away from them anyway, and fails when a pathspec names one.
  const excluded = skipped.filter((rel) => !ignored.has(rel)).map((rel) => `:(exclude,literal)${rel}`)
  // Penguin's own data directory inside the workspace is kept out by info/exclude; should a project's
  // negation pattern let it in anyway, it is taken back out rather than snapshotting the snapshots.
  const lists = await pathLists(target, [drop, context.internalExcludes])
  try {
    const output = await gitScript(target, STAGE_SCRIPT, [commitLabel ?? '', ...lists.files], {
      input: joinNul(['.', ...excluded]),
    })
    return commitLabel === undefined ? undefined : committed(output)
  } finally {
    await lists.remove()
  }
}

const exists = (file: string) =>
  stat(file).then(
    () => true,
    () => false,
  )

/** What a script that reached COMMIT_STEPS printed: the commit id, '' for `staged`; else undefined. */
function committed(output: Buffer): string | undefined {
  const text = output.toString('utf8').trim()
  if (text === 'staged') return ''
  return text.startsWith('commit ') ? text.slice('commit '.length) : undefined
}

/** `count` fresh file names in the shadow repository for a script to write; `remove()` deletes them. */
function scratchFiles(target: GitTarget, count: number) {
  const files = Array.from({ length: count }, () =>
    path.join(target.gitDir, `penguin-paths-${randomBytes(6).toString('hex')}`),
  )
  return { files, remove: () => Promise.all(files.map((file) => rm(file, { force: true }))) }
}

/**
 * Each non-empty list written to a file of NUL-separated paths in the shadow repository (a script
 * has one stdin); '' for an empty one. `remove()` deletes them again.
 */
async function pathLists(target: GitTarget, lists: Iterable<string>[]) {
  const written: string[] = []
  const files = await Promise.all(
    lists.map(async (list) => {
      const paths = [...list]
      if (paths.length === 0) return ''
      const file = path.join(target.gitDir, `penguin-paths-${randomBytes(6).toString('hex')}`)
      written.push(file)
      await writeFile(file, joinNul(paths))
      return file
    }),
  )
  return { files, remove: () => Promise.all(written.map((file) => rm(file, { force: true }))) }
}
