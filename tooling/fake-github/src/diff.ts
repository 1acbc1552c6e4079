/** A pull request's file as `GET /repos/{o}/{r}/pulls/{n}/files` lists it. */
export interface PullFile {
  sha: string
  filename: string
  status: 'added' | 'removed' | 'modified'
  additions: number
  deletions: number
  changes: number
  /** The hunks alone (from the first `@@`), as GitHub sends them; absent for binary files. */
  patch?: string
}

/** Splits `git diff` output into GitHub's per-file entries. */
export function pullFiles(diff: string): PullFile[] {
  const files: PullFile[] = []
  const sections = diff.split(/^(?=diff --git )/m).filter((section) => section.startsWith('diff --git '))
  for (const section of sections) {
    const lines = section.split('\n')
    const header = /^diff --git a\/(.+) b\/(.+)$/.exec(lines[0] ?? '')
    if (!header) continue
    const status = section.includes('\nnew file mode')
      ? 'added'
      : section.includes('\ndeleted file mode')
        ? 'removed'
        : 'modified'
    const start = lines.findIndex((line) => line.startsWith('@@'))
    const hunks = start === -1 ? [] : lines.slice(start)
    while (hunks.length && hunks.at(-1) === '') hunks.pop()
    const additions = hunks.filter((line) => line.startsWith('+')).length
    const deletions = hunks.filter((line) => line.startsWith('-')).length
    const index = /^index ([0-9a-f]+)\.\.([0-9a-f]+)/m.exec(section)
    files.push({
      sha: index?.[2] ?? '0'.repeat(40),
      filename: status === 'removed' ? header[1]! : header[2]!,
      status,
      additions,
      deletions,
      changes: additions + deletions,
      ...(hunks.length ? { patch: hunks.join('\n') } : {}),
    })
  }
  return files
}

/**
 * The line numbers a review comment may name on each side of a file's patch.
 *
 * Deliberately the same rule as packages/github's `commentableLines` (review-lines.ts), written
 * again: the fake stands in for GitHub and must judge the client's comments independently — a
 * shared helper would let a bug in it pass on both sides of the test.
 */
export function commentableLines(patch: string | undefined): { LEFT: Set<number>; RIGHT: Set<number> } {
  const sides = { LEFT: new Set<number>(), RIGHT: new Set<number>() }
  if (!patch) return sides
  let left = 0
  let right = 0
  for (const line of patch.split('\n')) {
    const hunk = /^@@ -(\d+)(?:,\d+)? \+(\d+)(?:,\d+)? @@/.exec(line)
    if (hunk) {
      left = Number(hunk[1])
      right = Number(hunk[2])
    } else if (line.startsWith('+')) {
      sides.RIGHT.add(right++)
    } else if (line.startsWith('-')) {
      sides.LEFT.add(left++)
    } else if (line.startsWith(' ')) {
      sides.LEFT.add(left++)
      sides.RIGHT.add(right++)
    }
  }
  return sides
}

/**
 * GitHub's `diff_hunk` of a line comment: the patch's hunk header and its lines down to the one
 * commented on (`side` LEFT counts old-file lines). Empty when the line is not in the patch.
 */
export function diffHunk(patch: string | undefined, side: 'LEFT' | 'RIGHT', line: number): string {
  if (!patch) return ''
  let hunk: string[] = []
  let left = 0
  let right = 0
  for (const text of patch.split('\n')) {
    const header = /^@@ -(\d+)(?:,\d+)? \+(\d+)(?:,\d+)? @@/.exec(text)
    if (header) {
      left = Number(header[1])
      right = Number(header[2])
      hunk = [text]
      continue
    }
    hunk.push(text)
    if (!/^[ +-]/.test(text)) continue // "\ No newline at end of file"
    const here = text.startsWith('+')
      ? { LEFT: undefined, RIGHT: right++ }
      : text.startsWith('-')
        ? { LEFT: left++, RIGHT: undefined }
        : { LEFT: left++, RIGHT: right++ }
    if (here[side] === line) return hunk.join('\n')
  }
  return ''
}
