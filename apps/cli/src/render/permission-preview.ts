/**
 * What a permission prompt shows: exactly what the call will do, from its `preview` (any tool, any
 * kind). The whole command, wrapped, never cut; every file with its operation and real path; the
 * diffs; invisible characters spelled out, so nothing the model wrote can redraw or hide part of
 * the prompt. Pure: the terminal UI renders the same text.
 */
import { cut, type PermissionPreview, type ToolFileChange } from '@penguin-ai/tools/details'
import { numberedDiff } from './numbered-diff.js'
import type { Painter } from './paint.js'
import { paintSegments, paintVisible, wrapVisible } from './visible.js'

export interface PreviewRenderOptions {
  /** Terminal columns (80 when unknown). */
  width: number
  paint: Painter
  /** Rows of diffs (and of generic arguments) shown before the rest is summarised. Default 200. */
  maxDiffRows?: number
  /** Diffs with old/new line numbers instead of raw unified-diff text (the terminal UI). */
  lineNumbers?: boolean
}

export interface PreviewRequest {
  tool: string
  preview: PermissionPreview
  /** Why only an explicit answer to this very call can allow it (a write inside `.git/`). */
  reason?: string | undefined
  /** The question is whether to re-run, outside the sandbox, a call the sandbox refused. */
  outsideSandbox?: boolean | undefined
  /** A sub-agent asks (through its parent's prompt): the question is labelled with its agent. */
  agent?: string | undefined
}

const INDENT = '  '
const GUTTER = '│ '

/** The question's header and body, one string ending in a newline; the reply prompt goes after it. */
export function renderPermissionPreview(request: PreviewRequest, options: PreviewRenderOptions): string {
  const { paint } = options
  const { preview } = request
  // The header is a summary, cut to the width; the body below shows everything.
  const room = Math.max(20, options.width - request.tool.length - (request.agent?.length ?? -3) - 13)
  const [verb, where] = request.outsideSandbox ? ['Re-run', ' outside the sandbox'] : ['Allow', '']
  const asker = request.agent ? `${paint.cyan(`[${paintVisible(request.agent, paint)}]`)} ` : ''
  const head = `${paint.bold('?')} ${asker}${verb} ${paint.bold(request.tool)} ${paintVisible(cut(preview.summary, room), paint)}${where}?`
  const why = request.reason
    ? [
        `${INDENT}${paint.yellow(`This ${paintVisible(request.reason, paint)}; only your yes to this call allows it.`)}`,
      ]
    : []
  return `${[head, ...why, ...body(preview, options)].join('\n')}\n`
}

function body(preview: PermissionPreview, options: PreviewRenderOptions): string[] {
  const { paint } = options
  switch (preview.kind) {
    case 'command':
      return [
        `${INDENT}${paint.dim('command, in')} ${place(preview.cwd, preview.realCwd, paint)}${paint.dim(':')}`,
        ...block(preview.command, options),
      ]
    case 'file-edit':
      return fileEdit(preview.files, options)
    case 'file-read':
      return [
        `${INDENT}${paint.dim('read')} ${place(preview.path, preview.realPath, paint)}`,
        ...requested(preview.requested, preview.realPath, options),
      ]
    case 'search':
      return [
        `${INDENT}${paint.dim('search')} ${paintVisible(preview.query || '(everything)', paint)} ${paint.dim('in')} ${place(preview.path, preview.realPath, paint)}`,
      ]
    case 'mcp':
      return [
        `${INDENT}${paint.dim('MCP server')} ${paintVisible(preview.server, paint)}${paint.dim(', tool')} ${paintVisible(preview.tool, paint)}${paint.dim(', arguments:')}`,
        ...capped(block(json(preview.args), options), options),
      ]
    case 'generic':
      return [`${INDENT}${paint.dim('arguments:')}`, ...capped(block(json(preview.args), options), options)]
  }
}

const OPERATION_WORD = { add: 'add', modify: 'modify', delete: 'delete', rename: 'rename' } as const

function fileEdit(files: readonly ToolFileChange[], options: PreviewRenderOptions): string[] {
  const { paint } = options
  const colour = { add: paint.green, modify: paint.yellow, delete: paint.red, rename: paint.cyan }
  const lines: string[] = []
  const count = files.length === 1 ? '1 file' : `${files.length} files`
  lines.push(`${INDENT}${paint.dim(`${count}:`)}`)
  for (const file of files) {
    const operation = colour[file.operation](OPERATION_WORD[file.operation].padEnd(6))
    const name = file.from
      ? `${paintVisible(file.from, paint)} → ${paintVisible(file.path, paint)}`
      : paintVisible(file.path, paint)
    const counts = paint.dim(`(+${file.added} -${file.removed})`)
    lines.push(`${INDENT}${operation} ${name} ${counts}`)
    lines.push(...requested(file.requested, file.realPath, options, `${INDENT}       `))
  }
  const diffRows: string[] = []
  for (const file of files) {
    if (file.diff === undefined) {
      diffRows.push(`${INDENT}${paint.dim(`(no diff: ${file.path} is too large to compare)`)}`)
      continue
    }
    if (options.lineNumbers) {
      if (files.length > 1) diffRows.push(`${INDENT}${paint.bold(paintVisible(file.path, paint))}`)
      diffRows.push(...numberedDiff(file.diff, { paint, width: options.width, indent: INDENT }))
    } else diffRows.push(...diff(file.diff, options))
  }
  return [...lines, ...capped(diffRows, options)]
}

/** The path the model wrote, when it is not the path shown: the resolution is not hidden. */
function requested(
  asked: string | undefined,
  realPath: string | undefined,
  options: PreviewRenderOptions,
  indent = `${INDENT}  `,
): string[] {
  if (asked === undefined) return []
  const { paint } = options
  const real = realPath ? `; it resolves to ${paintVisible(realPath, paint)}` : ''
  return [`${indent}${paint.yellow('↳ the model asked for')} "${paintVisible(asked, paint)}"${real}`]
}

/** `src (/work/repo/src)`: a workspace path and, when it adds anything, the real path. */
function place(path: string, realPath: string, paint: Painter): string {
  const shown = paintVisible(path, paint)
  return realPath === path ? shown : `${shown} ${paint.dim(`(${paintVisible(realPath, paint)})`)}`
}

/** Text in a gutter, every line shown and wrapped to the width, nothing cut. */
function block(text: string, options: PreviewRenderOptions): string[] {
  const rows = wrapVisible(text, options.width - INDENT.length - GUTTER.length)
  return rows.map((row) => `${INDENT}${options.paint.dim(GUTTER)}${paintSegments(row, options.paint)}`)
}

/** A unified diff: added lines green, removed red, hunk headers dim; long lines wrapped. */
function diff(text: string, options: PreviewRenderOptions): string[] {
  const { paint } = options
  const rows: string[] = []
  const width = options.width - INDENT.length
  const lines = text.endsWith('\n') ? text.slice(0, -1).split('\n') : text.split('\n')
  for (const line of lines) {
    const tone =
      line.startsWith('+++') || line.startsWith('---')
        ? paint.bold
        : line.startsWith('+')
          ? paint.green
          : line.startsWith('-')
            ? paint.red
            : line.startsWith('@@')
              ? paint.cyan
              : (text: string) => text
    for (const row of wrapVisible(line, width)) {
      // Spelled-out characters keep their reverse video; the rest takes the line's colour.
      const painted = row.map((segment) =>
        segment.control ? paint.inverse(segment.text) : tone(segment.text),
      )
      rows.push(`${INDENT}${painted.join('')}`)
    }
  }
  return rows
}

/** At most `maxDiffRows` rows, then how many more there are: the prompt stays readable. */
function capped(rows: string[], options: PreviewRenderOptions): string[] {
  const max = options.maxDiffRows ?? 200
  if (rows.length <= max) return rows
  const more = rows.length - max
  return [
    ...rows.slice(0, max),
    `${INDENT}${options.paint.yellow(`… ${more.toLocaleString('en-US')} more lines not shown (answer n if you have not seen enough)`)}`,
  ]
}

function json(value: unknown): string {
  if (value === undefined) return '(none)'
  if (typeof value === 'string') return value
  return JSON.stringify(value, null, 2) ?? String(value)
}
