import type { StructuredPatchHunk } from 'diff'
import { ToolError } from '../tool.js'

/** One file's part of a unified diff. A null path is /dev/null: the file is created or deleted. */
export interface FilePatch {
  oldPath: string | null
  newPath: string | null
  hunks: StructuredPatchHunk[]
  /** 1-based line of the patch where this file's section starts, for error messages. */
  line: number
}

const HUNK_HEADER = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/
const BODY_LINE = /^[ +\-\\]/

/**
 * Parses a unified diff over one or more files: plain `---`/`+++` headers or git's `diff --git`
 * with its extended headers (new/deleted file, rename). Forgiving where models slip without making
 * the patch ambiguous: hunk line counts are recomputed from the body, blank context lines may lack
 * their leading space, and a bare `@@` header lets the hunk be located by its context.
 */
export function parsePatchText(patch: string): FilePatch[] {
  if (/^\*\*\* Begin Patch/m.test(patch)) {
    throw new ToolError(
      'apply_patch takes a unified diff ("--- a/path", "+++ b/path", "@@ -l,n +l,n @@" hunks), not the "*** Begin Patch" format.',
    )
  }
  const lines = patch.split('\n')
  if (lines[lines.length - 1] === '') lines.pop()
  const files: FilePatch[] = []
  let current: (FilePatch & { sawHeader: boolean }) | undefined
  const start = (line: number, oldPath: string | null, newPath: string | null) => {
    current = { oldPath, newPath, hunks: [], line, sawHeader: false }
    files.push(current)
    return current
  }

  for (let i = 0; i < lines.length; ) {
    const line = lines[i]!.replace(/\r$/, '')
    if (line.startsWith('diff --git ')) {
      const [oldPath, newPath] = gitHeaderPaths(line.slice('diff --git '.length))
      start(i + 1, oldPath, newPath)
      i++
    } else if (line.startsWith('--- ') && lines[i + 1]?.startsWith('+++ ')) {
      const file =
        current && !current.sawHeader && current.hunks.length === 0 ? current : start(i + 1, null, null)
      const [oldPath, newPath] = stripPrefixes(headerPath(line.slice(4)), headerPath(lines[i + 1]!.slice(4)))
      file.oldPath = oldPath
      file.newPath = newPath
      file.sawHeader = true
      i += 2
    } else if (line.startsWith('@@')) {
      if (!current) {
        throw new ToolError(
          `The hunk at line ${i + 1} of the patch has no file header. Start each file with "--- a/path" and "+++ b/path" lines.`,
        )
      }
      const parsed = parseHunk(lines, i)
      current.hunks.push(parsed.hunk)
      i = parsed.next
    } else {
      if (current && current.hunks.length === 0) applyGitHeader(current, line)
      if (BODY_LINE.test(line) && line.trim() !== '' && !line.startsWith('\\')) {
        throw new ToolError(
          `Line ${i + 1} of the patch (${JSON.stringify(line.slice(0, 80))}) is outside any hunk. Check the "@@" headers and that every line of a hunk starts with " ", "+" or "-".`,
        )
      }
      i++ // free text between files (commit messages, "index" lines) carries no change
    }
  }

  if (files.length === 0) {
    throw new ToolError(
      'The patch contains no file changes. Send a unified diff with "--- a/path" and "+++ b/path" headers and "@@" hunks.',
    )
  }
  for (const file of files) {
    const name = file.newPath ?? file.oldPath
    if (name === null) throw new ToolError(`The file at line ${file.line} of the patch has no path.`)
    if (file.hunks.length === 0 && file.oldPath !== null && file.oldPath === file.newPath) {
      throw new ToolError(`The patch for ${name} has no hunks. Add "@@" hunks with the changes.`)
    }
  }
  return files.map(({ oldPath, newPath, hunks, line }) => ({ oldPath, newPath, hunks, line }))
}

function parseHunk(lines: readonly string[], at: number): { hunk: StructuredPatchHunk; next: number } {
  const header = lines[at]!.replace(/\r$/, '')
  const match = HUNK_HEADER.exec(header)
  if (!match && !/^@@\s*(@@.*)?$/.test(header)) {
    throw new ToolError(
      `Malformed hunk header at line ${at + 1} of the patch: ${JSON.stringify(header)}. Expected "@@ -start,count +start,count @@".`,
    )
  }
  const declaredOld = match ? Number(match[2] ?? 1) : 0
  const declaredNew = match ? Number(match[4] ?? 1) : 0
  const body: string[] = []
  let oldLines = 0
  let newLines = 0
  let i = at + 1
  for (; i < lines.length; i++) {
    const line = lines[i]!
    // While the header's counts are unmet, "--- x" is a removed line "-- x", not the next file, and a
    // blank line is blank context. Past them (or with a bare "@@"), both are read as what they look like.
    const unmet = oldLines < declaredOld || newLines < declaredNew
    const demanding = match !== null && unmet
    if (line.startsWith('@@') || line.startsWith('diff --git ')) break
    if (!demanding && line.startsWith('--- ') && lines[i + 1]?.startsWith('+++ ')) break
    if (line === '' || line === '\r') {
      if (!demanding && !hunkContinues(lines, i)) break
      body.push(` ${line}`)
      oldLines++
      newLines++
      continue
    }
    if (!BODY_LINE.test(line)) break
    body.push(line)
    if (line[0] !== '+' && line[0] !== '\\') oldLines++
    if (line[0] !== '-' && line[0] !== '\\') newLines++
  }
  if (body.length === 0) throw new ToolError(`The hunk at line ${at + 1} of the patch is empty.`)
  // jsdiff's convention: a hunk that removes nothing starts after the line its header names.
  const headerOldStart = match ? Number(match[1]) : 1
  const headerNewStart = match ? Number(match[3]) : 1
  const hunk: StructuredPatchHunk = {
    oldStart: match && oldLines === 0 ? headerOldStart + 1 : headerOldStart,
    oldLines,
    newStart: match && newLines === 0 ? headerNewStart + 1 : headerNewStart,
    newLines,
    lines: body,
  }
  return { hunk, next: i }
}

/** Whether body lines follow a run of blank lines (so the blanks are context, not the hunk's end). */
function hunkContinues(lines: readonly string[], at: number): boolean {
  let i = at
  while (i < lines.length && (lines[i] === '' || lines[i] === '\r')) i++
  const next = lines[i]
  if (next === undefined || !BODY_LINE.test(next)) return false
  return !(next.startsWith('--- ') && lines[i + 1]?.startsWith('+++ '))
}

function applyGitHeader(file: FilePatch, line: string): void {
  if (line.startsWith('new file mode')) file.oldPath = null
  else if (line.startsWith('deleted file mode')) file.newPath = null
  else if (line.startsWith('rename from ')) file.oldPath = unquote(line.slice('rename from '.length))
  else if (line.startsWith('rename to ')) file.newPath = unquote(line.slice('rename to '.length))
  else if (line.startsWith('Binary files ') || line.startsWith('GIT binary patch')) {
    throw new ToolError('apply_patch cannot apply binary patches. Use run_command to produce binary files.')
  } else if (line.startsWith('copy from ') || line.startsWith('copy to ')) {
    throw new ToolError(
      'apply_patch does not support git copy headers; add the new file from /dev/null instead.',
    )
  }
}

/** `a/x b/x` from `diff --git a/x b/x`; a fallback only, as ---/+++ and rename lines override it. */
function gitHeaderPaths(rest: string): [string | null, string | null] {
  const half = (rest.length - 1) / 2
  const left = rest.slice(0, half)
  const right = rest.slice(half + 1)
  if (Number.isInteger(half) && left.startsWith('a/') && right === `b/${left.slice(2)}`) {
    return [left.slice(2), right.slice(2)]
  }
  const split = rest.indexOf(' b/')
  if (rest.startsWith('a/') && split !== -1) return [rest.slice(2, split), rest.slice(split + 3)]
  return [null, null]
}

/** The path in a ---/+++ line, without a trailing timestamp; null for /dev/null. */
function headerPath(raw: string): string | null {
  const name = unquote(raw.replace(/\r$/, '').split('\t')[0]!.trim())
  return name === '/dev/null' ? null : name
}

/** Drops git's a/ and b/ prefixes, but only when both sides carry them (a real directory may be named "a"). */
function stripPrefixes(oldPath: string | null, newPath: string | null): [string | null, string | null] {
  const prefixed =
    (oldPath === null || oldPath.startsWith('a/')) && (newPath === null || newPath.startsWith('b/'))
  if (!prefixed || (oldPath === null && newPath === null)) return [oldPath, newPath]
  return [oldPath?.slice(2) ?? null, newPath?.slice(2) ?? null]
}

function unquote(name: string): string {
  if (!(name.length >= 2 && name.startsWith('"') && name.endsWith('"'))) return name
  return name
    .slice(1, -1)
    .replace(/\\(["\\tn])/g, (_, c: string) => (c === 't' ? '\t' : c === 'n' ? '\n' : c))
}
