import { FILE_HEADERS_ONLY, formatPatch, structuredPatch } from 'diff'
import type { FileOperation, ToolFileChange } from './details/schema.js'
import { countLines } from './files.js'
import type { Workspace } from './workspace.js'

/** Beyond this many characters (before + after) a diff is not computed; counts are estimated. */
const MAX_DIFF_INPUT = 2_000_000

export interface ChangeInput {
  workspace: Workspace
  operation: FileOperation
  /** The real absolute path the change lands on (from `workspace.resolve`). */
  absolute: string
  /** The path as the model wrote it. */
  requested?: string | undefined
  /** A renamed file's real absolute old path. */
  from?: string | undefined
  /** Content before and after; null where the file does not exist. */
  before: string | null
  after: string | null
}

/**
 * One file's change as UIs show it, with the path after symlinks are resolved, the path the model
 * asked for when that differs (an escape sequence or a symlink hides nothing then), and the diff.
 */
export function fileChange(input: ChangeInput): ToolFileChange {
  const { workspace } = input
  const path = workspace.relative(input.absolute)
  const from = input.from === undefined ? undefined : workspace.relative(input.from)
  const diff = textDiff(
    input.before === null ? null : (from ?? path),
    input.after === null ? null : path,
    input.before ?? '',
    input.after ?? '',
  )
  const requested = input.requested
  const differs =
    requested !== undefined && requested !== path && requested !== `./${path}` && requested !== input.absolute
  return {
    path,
    operation: input.operation,
    ...(from === undefined ? {} : { from }),
    added: diff.added,
    removed: diff.removed,
    ...(diff.text === undefined ? {} : { diff: diff.text }),
    realPath: input.absolute,
    ...(differs ? { requested } : {}),
  }
}

/**
 * A unified diff with git's headers (`a/` and `b/` prefixes, `/dev/null` for a created or deleted
 * file) and its line counts. Too large or too slow to diff: no text, counts from the line totals.
 */
export function textDiff(
  oldName: string | null,
  newName: string | null,
  before: string,
  after: string,
): { text?: string; added: number; removed: number } {
  const estimate = { added: countLines(after), removed: countLines(before) }
  if (before.length + after.length > MAX_DIFF_INPUT) return estimate
  const patch = structuredPatch(
    oldName === null ? '/dev/null' : `a/${oldName}`,
    newName === null ? '/dev/null' : `b/${newName}`,
    before,
    after,
    undefined,
    undefined,
    { context: 3, timeout: 1000 },
  )
  if (!patch) return estimate
  let added = 0
  let removed = 0
  for (const hunk of patch.hunks) {
    for (const line of hunk.lines) {
      if (line[0] === '+') added++
      else if (line[0] === '-') removed++
    }
  }
  return { text: formatPatch(patch, FILE_HEADERS_ONLY), added, removed }
}
