import { readFile, stat } from 'node:fs/promises'
import { z } from 'zod'
import { ignoreRootFor } from '../directories.js'
import { looksBinary } from '../files.js'
import { defineTool, ToolError } from '../tool.js'
import { globMatcher, walk } from '../walk.js'
import { subjectPath, type Workspace } from '../workspace.js'

export const GREP_MAX_MATCHES = 200
const MAX_LINE_CHARS = 300
/** Larger files are skipped: they are data or build output far more often than source. */
const MAX_FILE_BYTES = 10 * 1024 * 1024
const PARALLEL_READS = 16

const parameters = z.object({
  pattern: z.string().describe('JavaScript regular expression, matched per line'),
  path: z.string().optional().describe('File or directory to search (default: the workspace root)'),
  glob: z.string().optional().describe('Only files whose path relative to `path` matches, e.g. "**/*.ts"'),
})

export const grepTool = defineTool({
  name: 'grep',
  description: 'Search file contents with a regex, honouring .gitignore. Prints path:line: text per match.',
  parameters,
  readOnly: true,
  permission: ({ path }, workspace) => ({
    access: 'read',
    subject: subjectPath(path ?? '.', workspace),
  }),
  async execute({ pattern, path: input, glob }, { workspace, signal }) {
    const regex = compile(pattern)
    const target = await workspace.resolve(input ?? '.')
    const display = workspace.relative(target)
    const info = await stat(target).catch(() => undefined)
    if (!info) throw new ToolError(`Path not found: ${display}. Use list_files to see what exists.`)

    const matches: string[] = []
    let capped = false
    let skippedLarge = 0
    let searched = 0
    for await (const batch of batches(candidateFiles(workspace, target, info.isDirectory(), glob, signal))) {
      const contents = await Promise.all(batch.map(readSearchable))
      for (const [i, content] of contents.entries()) {
        if (content === 'large') skippedLarge++
        if (typeof content !== 'string') continue
        searched++
        capped = searchFile(content, regex, workspace.relative(batch[i]!), matches)
        if (capped) break
      }
      if (capped) break
    }

    const notes: string[] = []
    if (capped) notes.push(`… stopped after ${GREP_MAX_MATCHES} matches; narrow the pattern, path or glob`)
    if (skippedLarge) notes.push(`(${skippedLarge} files over 10 MB were not searched)`)
    const details = { matches: matches.length, filesSearched: searched, capped }
    if (matches.length === 0) {
      return { output: [`No matches for /${pattern}/ in ${display}.`, ...notes].join('\n'), details }
    }
    return { output: [...matches, ...notes].join('\n'), details }
  },
})

function compile(pattern: string): RegExp {
  try {
    return new RegExp(pattern)
  } catch (error) {
    throw new ToolError(
      `Invalid regular expression ${JSON.stringify(pattern)}: ${(error as Error).message}. Use JavaScript regex syntax and escape special characters such as ( [ { . * + ? with a backslash.`,
    )
  }
}

async function* candidateFiles(
  workspace: Workspace,
  target: string,
  isDirectory: boolean,
  glob: string | undefined,
  signal: AbortSignal,
): AsyncGenerator<string> {
  if (!isDirectory) {
    yield target
    return
  }
  const matches = glob ? globMatcher(glob) : undefined
  for await (const entry of walk(target, { ignoreRoot: ignoreRootFor(workspace, target), signal })) {
    // Only regular files: symlinks could lead outside the workspace, pipes would block.
    if (entry.kind === 'file' && (!matches || matches(entry.path))) yield entry.absolutePath
  }
}

async function* batches<T>(items: AsyncIterable<T>): AsyncGenerator<T[]> {
  let batch: T[] = []
  for await (const item of items) {
    batch.push(item)
    if (batch.length === PARALLEL_READS) {
      yield batch
      batch = []
    }
  }
  if (batch.length) yield batch
}

async function readSearchable(file: string): Promise<string | 'large' | undefined> {
  try {
    if ((await stat(file)).size > MAX_FILE_BYTES) return 'large'
    const bytes = await readFile(file)
    return looksBinary(bytes) ? undefined : bytes.toString('utf8')
  } catch {
    return undefined // vanished or unreadable: nothing to report
  }
}

/** Appends `path:line: text` for each matching line; returns true once the cap is reached. */
export function searchFile(content: string, regex: RegExp, display: string, out: string[]): boolean {
  const lines = content.split('\n')
  if (content.endsWith('\n')) lines.pop() // the newline ends the last line; no empty line follows
  for (const [i, raw] of lines.entries()) {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw
    const match = regex.exec(line)
    if (!match) continue
    out.push(`${display}:${i + 1}: ${excerpt(line, match.index)}`)
    if (out.length >= GREP_MAX_MATCHES) return true
  }
  return false
}

/** A long line cut to a window around the match. */
function excerpt(line: string, index: number): string {
  if (line.length <= MAX_LINE_CHARS) return line
  const start = Math.max(0, Math.min(index - 100, line.length - MAX_LINE_CHARS))
  const end = start + MAX_LINE_CHARS
  return `${start > 0 ? '…' : ''}${line.slice(start, end)}${end < line.length ? '…' : ''}`
}
