import { splitNul } from './nul.js'
import type { FileChange } from './types.js'

/** Nested repositories are never snapshotted; should one slip into a tree, it is not a file change. */
const GITLINK_MODE = '160000'

/**
 * Parses `git diff-* -z --no-renames --raw --numstat`: first `:<modes> <shas> <status>\0<path>\0` per
 * path, then `<added>\t<deleted>\t<path>\0` per path (`-\t-` for binary).
 */
export function parseRawNumstat(output: Buffer): FileChange[] {
  const fields = splitNul(output)
  const changes = new Map<string, FileChange>()
  let index = 0
  while (index < fields.length && fields[index]?.startsWith(':')) {
    const meta = fields[index] ?? ''
    const file = fields[index + 1] ?? ''
    index += 2
    const [oldMode, newMode, , , letter] = meta.slice(1).split(' ')
    if (oldMode === GITLINK_MODE || newMode === GITLINK_MODE) continue
    changes.set(file, { path: file, status: toStatus(letter) })
  }
  for (; index < fields.length; index++) {
    const match = /^([-\d]+)\t([-\d]+)\t([\s\S]*)$/.exec(fields[index] ?? '')
    const change = match ? changes.get(match[3] ?? '') : undefined
    if (!match || !change) continue
    if (match[1] === '-') change.binary = true
    else {
      change.additions = Number(match[1])
      change.deletions = Number(match[2])
    }
  }
  return [...changes.values()]
}

function toStatus(letter: string | undefined): FileChange['status'] {
  if (letter === 'A') return 'added'
  if (letter === 'D') return 'deleted'
  // M (content or mode) and T (file ↔ symlink) both rewrite the path in place.
  return 'modified'
}

/** The same changes seen from the other side: what restoring `b` over `a` is, undone. */
export function invertChanges(changes: FileChange[]): FileChange[] {
  return changes.map((change) => {
    const status = change.status === 'added' ? 'deleted' : change.status === 'deleted' ? 'added' : 'modified'
    const inverted: FileChange = { path: change.path, status }
    if (change.binary) inverted.binary = true
    if (change.additions !== undefined) inverted.additions = change.deletions ?? 0
    if (change.deletions !== undefined) inverted.deletions = change.additions ?? 0
    return inverted
  })
}
