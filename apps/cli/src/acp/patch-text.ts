/**
 * ACP shows an edit as a file's text before and after (`{type: 'diff', oldText, newText}`), while
 * Penguin's details carry a unified diff. One side is on disk (before the edit when asking, after
 * it when done); the other comes from applying the diff's hunks to it, forwards or backwards.
 */

interface Hunk {
  oldStart: number
  newStart: number
  lines: string[]
}

const HUNK_HEADER = /^@@ -(\d+)(?:,\d+)? \+(\d+)(?:,\d+)? @@/

function parseHunks(diff: string): Hunk[] {
  const hunks: Hunk[] = []
  let current: Hunk | undefined
  for (const line of diff.split('\n')) {
    const header = HUNK_HEADER.exec(line)
    if (header) {
      current = { oldStart: Number(header[1]), newStart: Number(header[2]), lines: [] }
      hunks.push(current)
    } else if (current && /^[ +-]/.test(line) && !line.startsWith('+++') && !line.startsWith('---')) {
      current.lines.push(line)
    } else if (current && line === '') {
      // A blank context line whose leading space was trimmed away.
      current.lines.push(' ')
    }
  }
  return hunks
}

/**
 * Applies `diff` to `text`: forwards (old → new) or backwards (new → old). Undefined when the hunks
 * do not match the text (it changed since), so the caller can fall back to the bare diff.
 */
export function applyUnifiedDiff(
  text: string,
  diff: string,
  direction: 'forward' | 'backward',
): string | undefined {
  const hunks = parseHunks(diff)
  if (hunks.length === 0) return undefined
  const lines = text.split('\n')
  const out: string[] = []
  let index = 0
  const [from, to] = direction === 'forward' ? ['-', '+'] : ['+', '-']
  for (const hunk of hunks) {
    const start = (direction === 'forward' ? hunk.oldStart : hunk.newStart) - 1
    // An empty side starts "at" the line before it (`-0,0` / `+0,0`).
    const at = Math.max(0, start + (hunkSide(hunk, from).length === 0 ? 1 : 0))
    if (at < index) return undefined
    out.push(...lines.slice(index, at))
    index = at
    for (const line of hunk.lines) {
      const mark = line[0]
      const body = line.slice(1)
      if (mark === ' ' || mark === from) {
        if (lines[index] !== body) return undefined
        index++
        if (mark === ' ') out.push(body)
      } else if (mark === to) {
        out.push(body)
      }
    }
  }
  out.push(...lines.slice(index))
  return out.join('\n')
}

function hunkSide(hunk: Hunk, mark: string): string[] {
  return hunk.lines.filter((line) => line[0] === ' ' || line[0] === mark)
}
