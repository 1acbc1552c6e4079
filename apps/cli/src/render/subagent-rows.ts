/**
 * A sub-agent's events as rows for a person, indented under the `task` call that started it and
 * labelled with its agent: when it starts (what it was asked), each call it finishes, its notices,
 * and how it ended. Its streamed text is not shown: its final answer is what the parent's model
 * reads, and several children stream at once. Pure.
 */
import type { EngineEvent } from '@penguin-ai/engine'
import { cut, oneLine } from '@penguin-ai/tools/details'
import { formatTokens } from './format.js'
import type { Painter } from './paint.js'
import { renderToolLine } from './tool-line.js'
import { paintVisible } from './visible.js'

export type SubagentEvent = Extract<EngineEvent, { type: 'subagent.event' }>

export interface SubagentRowOptions {
  paint: Painter
  /** Terminal columns; absent: a pipe or file. */
  width?: number
}

/** The indentation of a sub-agent's rows: two columns and a bar per level. */
export function subagentIndent(depth: number, paint: Painter): string {
  return `${'  '.repeat(Math.max(0, depth - 1))}  ${paint.dim('│')} `
}

export function subagentRows(event: SubagentEvent, options: SubagentRowOptions): string[] {
  const { paint } = options
  const inner = event.event
  const indent = subagentIndent(event.depth, paint)
  const room = options.width ? Math.max(20, options.width - indent.length - event.agent.length - 8) : 200
  const label = paint.cyan(`[${event.agent}]`)
  switch (inner.type) {
    case 'run.started':
      return [`${indent}${paint.cyan('▸')} ${label} ${paintVisible(cut(oneLine(inner.prompt), room), paint)}`]
    case 'tool.finished':
      return [
        `${indent}${label} ${renderToolLine(inner, { paint, ...(options.width ? { width: options.width - indent.length - event.agent.length - 3 } : {}) })}`,
      ]
    case 'notice': {
      const line = paintVisible(`${inner.source}: ${inner.message}`, paint)
      return [
        `${indent}${label} ${inner.level === 'info' ? paint.dim(`· ${line}`) : paint.yellow(`! ${line}`)}`,
      ]
    }
    case 'permission.answered':
      return inner.auto && inner.reply === 'reject'
        ? [`${indent}${label} ${paint.yellow(`! ${inner.tool} needs approval: denied (non-interactive)`)}`]
        : []
    case 'run.finished':
      return [`${indent}${finishLine(event.agent, inner, paint)}`]
    default:
      return []
  }
}

/** `✓ [explore] done · 3 turns · 1.2k tokens`: how a sub-agent's run ended. */
export function finishLine(
  agent: string,
  result: Extract<EngineEvent, { type: 'run.finished' }>,
  paint: Painter,
): string {
  const label = paint.cyan(`[${agent}]`)
  const turns = `${result.iterations} turn${result.iterations === 1 ? '' : 's'}`
  const figures = paint.dim(` · ${turns} · ${formatTokens(result.usage.totalTokens)} tokens`)
  switch (result.status) {
    case 'completed':
      return `${paint.green('✓')} ${label} done${figures}`
    case 'aborted':
      return `${paint.yellow('■')} ${label} interrupted${figures}`
    case 'failed':
      return `${paint.red('✗')} ${label} failed: ${paintVisible(oneLine(result.error?.message ?? 'unknown error'), paint)}${figures}`
    default:
      return `${paint.yellow('■')} ${label} stopped: ${result.status.replace('_', ' ')}${figures}`
  }
}
