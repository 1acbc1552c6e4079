/** Unified diffs (git's, the tools' `details.diff`) as lines the UI can colour and number. Pure. */

export type DiffLineKind = 'file' | 'meta' | 'hunk' | 'add' | 'del' | 'context' | 'note'

export interface DiffLine {
  kind: DiffLineKind
  /** The line as it appears in the diff (with its +, - or space). */
  text: string
  /** Line numbers in the old and new file, where known. */
  oldLine?: number
  newLine?: number
}

export interface ParsedDiff {
  lines: DiffLine[]
  /** The files the diff touches, in order (new paths, or old ones for deletions). */
  files: string[]
  additions: number
  deletions: number
}

const HUNK = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/

interface Hunk {
  oldLine: number | undefined
  newLine: number | undefined
  /** Lines still expected on each side; undefined when the header gave no counts. */
  oldLeft: number | undefined
  newLeft: number | undefined
}

export function parseDiff(text: string): ParsedDiff {
  const out: ParsedDiff = { lines: [], files: [], additions: 0, deletions: 0 }
  const raw = text.endsWith('\n') ? text.slice(0, -1) : text
  if (raw === '') return out
  let hunk: Hunk | undefined
  let oldPath: string | undefined
  for (const line of raw.split('\n')) {
    if (hunk && hunk.oldLeft === 0 && hunk.newLeft === 0 && !line.startsWith('\\')) hunk = undefined
    if (line.startsWith('diff --git ')) {
      hunk = undefined
      out.lines.push({ kind: 'file', text: line })
    } else if (!hunk && line.startsWith('--- ')) {
      oldPath = path(line)
      out.lines.push({ kind: 'file', text: line })
    } else if (!hunk && line.startsWith('+++ ')) {
      const newPath = path(line)
      const name = newPath === '/dev/null' ? oldPath : newPath
      if (name && name !== '/dev/null' && !out.files.includes(name)) out.files.push(name)
      out.lines.push({ kind: 'file', text: line })
    } else if (line.startsWith('@@')) {
      hunk = startHunk(line)
      out.lines.push({ kind: 'hunk', text: line })
    } else if (!hunk) {
      // jsdiff's `=====` separator says nothing; git's `index …` / `new file mode` lines do.
      if (!/^=+$/.test(line)) out.lines.push({ kind: 'meta', text: line })
    } else if (line.startsWith('\\')) {
      out.lines.push({ kind: 'note', text: line })
    } else {
      out.lines.push(hunkLine(hunk, line, out))
    }
  }
  return out
}

function startHunk(line: string): Hunk {
  const match = HUNK.exec(line)
  if (!match) return { oldLine: undefined, newLine: undefined, oldLeft: undefined, newLeft: undefined }
  return {
    oldLine: Number(match[1]),
    newLine: Number(match[3]),
    oldLeft: match[2] === undefined ? 1 : Number(match[2]),
    newLeft: match[4] === undefined ? 1 : Number(match[4]),
  }
}

function hunkLine(hunk: Hunk, text: string, out: ParsedDiff): DiffLine {
  const kind = text.startsWith('+') ? 'add' : text.startsWith('-') ? 'del' : 'context'
  const line: DiffLine = { kind, text }
  if (kind !== 'add' && hunk.oldLine !== undefined) line.oldLine = hunk.oldLine++
  if (kind !== 'del' && hunk.newLine !== undefined) line.newLine = hunk.newLine++
  if (kind !== 'add' && hunk.oldLeft !== undefined) hunk.oldLeft = Math.max(0, hunk.oldLeft - 1)
  if (kind !== 'del' && hunk.newLeft !== undefined) hunk.newLeft = Math.max(0, hunk.newLeft - 1)
  if (kind === 'add') out.additions++
  if (kind === 'del') out.deletions++
  return line
}

function path(line: string): string {
  const name = line.slice(4).split('\t')[0] ?? ''
  return name.startsWith('a/') || name.startsWith('b/') ? name.slice(2) : name
}
