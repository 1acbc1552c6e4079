import { stat } from 'node:fs/promises'
import { z } from 'zod'
import { ignoreRootFor } from '../directories.js'
import { looksBinary } from '../files.js'
import { loadLineRegex, loadWalk } from '../lazy.js'
import type { LineRegex } from '../line-regex.js'
import { pathPermission } from '../permission-subject.js'
import { readRegularFile, refuseSpecialFile } from '../special-files.js'
import { defineTool, type ToolContext, ToolError } from '../tool.js'
import { counted } from '../words.js'
import type { Workspace } from '../workspace.js'

export const GREP_MAX_MATCHES = 200
const MAX_LINE_CHARS = 300
/** Larger files are skipped: they are data or build output far more often than source. */
const MAX_FILE_BYTES = 10 * 1024 * 1024
const PARALLEL_READS = 16

const parameters = z.object({
  pattern: z
    .string()
    .describe(
      'Regular expression matched per line (RE2 syntax, as ripgrep; JavaScript escapes work; no lookahead or backreferences)',
    ),
  path: z.string().optional().describe('File or directory to search (default: the workspace root)'),
  glob: z.string().optional().describe('Only files whose path relative to `path` matches, e.g. "**/*.ts"'),
})

export const grepTool = defineTool({
  name: 'grep',
  description: 'Search file contents with a regex, honouring .gitignore. Prints path:line: text per match.',
  parameters,
  readOnly: true,
  permission: ({ path }, workspace) => pathPermission('read', path ?? '.', workspace),
  title: ({ pattern, path, glob }) => where(pattern, path ?? '.', glob),
  async preview({ pattern, path, glob }, workspace) {
    const realPath = await workspace.resolve(path ?? '.')
    const display = workspace.relative(realPath)
    return { kind: 'search', summary: where(pattern, display, glob), query: pattern, path: display, realPath }
  },
  async execute({ pattern, path: input, glob }, ctx) {
    const { workspace } = ctx
    const regex = (await loadLineRegex()).compileLineRegex(pattern)
    const target = await workspace.resolve(input ?? '.')
    const display = workspace.relative(target)
    const info = await stat(target).catch(() => undefined)
    if (!info) throw new ToolError(`Path not found: ${display}. Use list_files to see what exists.`)
    if (!info.isDirectory()) refuseSpecialFile(info, display)
    if (ctx.denied?.(display))
      throw new ToolError(`Permission denied: the permission rules forbid reading ${display}.`)

    const matches: string[] = []
    let capped = false
    let skippedLarge = 0
    let searched = 0
    for await (const batch of batches(candidateFiles(target, info.isDirectory(), glob, ctx))) {
      stopIfAborted(ctx.signal)
      const contents = await Promise.all(batch.map((file) => readSearchable(file, workspace)))
      for (const [i, content] of contents.entries()) {
        if (content.kind === 'large') skippedLarge++
        if (content.kind !== 'text') continue
        searched++
        await nextTurn()
        stopIfAborted(ctx.signal)
        capped = await searchFile(content.text, regex, workspace.relative(batch[i]!), matches, ctx.signal)
        if (capped) break
      }
      if (capped) break
    }

    const notes: string[] = []
    if (capped) notes.push(`… stopped after ${GREP_MAX_MATCHES} matches; narrow the pattern, path or glob`)
    if (skippedLarge) notes.push(`(${skippedLarge} files over 10 MB were not searched)`)
    const found = capped ? `${GREP_MAX_MATCHES}+ matches` : counted(matches.length, 'match', 'matches')
    const details = {
      kind: 'search',
      summary: `${where(pattern, display, glob)} (${found} in ${counted(searched, 'file')})`,
      query: pattern,
      path: display,
      matches: matches.length,
      truncated: capped,
    } as const
    if (matches.length === 0) {
      return { output: [`No matches for /${pattern}/ in ${display}.`, ...notes].join('\n'), details }
    }
    return { output: [...matches, ...notes].join('\n'), details }
  },
})

/** `/pattern/ in src (*.ts)`. */
function where(pattern: string, path: string, glob: string | undefined): string {
  return `/${pattern}/ in ${path}${glob ? ` (${glob})` : ''}`
}

async function* candidateFiles(
  target: string,
  isDirectory: boolean,
  glob: string | undefined,
  { workspace, signal, denied }: ToolContext,
): AsyncGenerator<string> {
  if (!isDirectory) {
    yield target
    return
  }
  const { globMatcher, walk } = await loadWalk()
  const matches = glob ? globMatcher(glob) : undefined
  const walking = walk(target, {
    ignoreRoot: ignoreRootFor(workspace, target),
    signal,
    // Paths the rules deny are neither searched nor entered, so a workspace-wide search cannot
    // read what read_file may not.
    ...(denied ? { skip: (entry) => denied(workspace.relative(entry.absolutePath)) } : {}),
  })
  for await (const entry of walking) {
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

type Searchable = { kind: 'text'; text: string } | { kind: 'large' } | { kind: 'skipped' }

async function readSearchable(file: string, workspace: Workspace): Promise<Searchable> {
  try {
    const info = await stat(file)
    if (!info.isFile()) return { kind: 'skipped' }
    if (info.size > MAX_FILE_BYTES) return { kind: 'large' }
    const bytes = await readRegularFile(file, workspace.relative(file))
    return looksBinary(bytes) ? { kind: 'skipped' } : { kind: 'text', text: bytes.toString('utf8') }
  } catch {
    return { kind: 'skipped' } // vanished, unreadable or swapped for a pipe: nothing to report
  }
}

/**
 * Lines matched between two looks at the event loop. Matching is synchronous: a batch of big files
 * would otherwise hold the process for seconds, deaf to the cancel of its run (and, on the server,
 * to every other client). A slice is a few tens of milliseconds.
 */
const LINES_PER_SLICE = 2_000

/** A cancelled run's grep stops walking and matching (the engine has already moved on). */
function stopIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new ToolError('grep was aborted: the run was cancelled.')
}

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve))

/** Appends `path:line: text` for each matching line; returns true once the cap is reached. */
export async function searchFile(
  content: string,
  regex: LineRegex,
  display: string,
  out: string[],
  signal?: AbortSignal,
): Promise<boolean> {
  if (!regex.mayMatch(content)) return false
  const lines = content.split('\n')
  if (content.endsWith('\n')) lines.pop() // the newline ends the last line; no empty line follows
  for (const [i, raw] of lines.entries()) {
    if (i > 0 && i % LINES_PER_SLICE === 0) {
      await nextTurn()
      stopIfAborted(signal)
    }
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw
    const index = regex.search(line)
    if (index === -1) continue
    out.push(`${display}:${i + 1}: ${excerpt(line, index)}`)
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
