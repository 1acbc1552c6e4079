import type { EngineEvent } from '@penguin-ai/engine'
import { cut } from '@penguin-ai/tools/details'
import { formatDuration } from './format.js'
import type { Painter } from './paint.js'
import { paintVisible } from './visible.js'

type ToolFinished = Pick<Extract<EngineEvent, { type: 'tool.finished' }>, 'tool' | 'isError' | 'details'>

export interface ToolLineOptions {
  paint: Painter
  /** Terminal columns; the summary is cut to fit. Absent (a pipe, a file): at most 200 characters. */
  width?: number
}

/**
 * `✓ edit_file src/add.js (+1 -1)`: one finished call, from its details alone (any tool, any kind).
 * The summary is untrusted text: invisible characters are spelled out. Pure.
 */
export function renderToolLine(event: ToolFinished, options: ToolLineOptions): string {
  const { paint } = options
  const mark = event.isError ? paint.red('✗') : paint.green('✓')
  const details = event.details as ToolFinished['details'] | undefined // an older server may send none
  const took =
    details?.kind === 'command' ? ` · ${formatDuration(details.durationMs)}${sandboxNote(details)}` : ''
  const room = options.width ? options.width - event.tool.length - took.length - 4 : 200
  const summary = cut(details?.summary ?? '', Math.max(20, room))
  return `${mark} ${paint.bold(event.tool)}${summary ? ` ${paintVisible(summary, paint)}` : ''}${paint.dim(took)}`
}

/** ` · refused by the sandbox (write)` or ` · ran outside the sandbox`, for a command. */
function sandboxNote(details: {
  sandbox?: { refused?: { kinds: string[] } }
  outsideSandbox?: boolean
}): string {
  if (details.outsideSandbox) return ' · ran outside the sandbox'
  const kinds = details.sandbox?.refused?.kinds
  return kinds?.length ? ` · refused by the sandbox (${kinds.join(', ')})` : ''
}
