import type { EngineEvent, RunResult } from '@penguin-ai/engine'
import type { DenialLog } from './denials.js'
import { describeArgs, formatCost, formatDuration, formatTokens } from './format.js'

export interface Output {
  write(text: string): void
  isTTY?: boolean
}

export interface HumanRendererOptions {
  /** Where the assistant's text goes (stdout). */
  text: Output
  /** Where tool lines, notices and the summary go (stderr). */
  info: Output
  color: boolean
  /** Refused calls: listed before the summary, which says so when they left the task undone. */
  denials?: DenialLog
}

/**
 * Renders engine events for a person: the assistant's text streams as it comes; each tool call
 * becomes one line with its outcome; the run ends with a summary line.
 */
export function createHumanRenderer(options: HumanRendererOptions): (event: EngineEvent) => void {
  const paint = painter(options.color)
  // Text and info may share one terminal: start info lines on a fresh line.
  let textOpen = false
  const info = (line: string) => {
    if (textOpen) {
      options.text.write('\n')
      textOpen = false
    }
    options.info.write(`${line}\n`)
  }
  const pendingArgs = new Map<string, unknown>()

  return (event) => {
    switch (event.type) {
      case 'text.delta':
        options.text.write(event.delta)
        textOpen = !event.delta.endsWith('\n')
        break
      case 'turn.retry':
        info(paint.dim(`↻ ${event.reason}; retrying (attempt ${event.attempt + 1})`))
        break
      case 'tool.started':
        pendingArgs.set(event.callId, event.args)
        break
      case 'tool.finished': {
        const gist = describeArgs(event.tool, pendingArgs.get(event.callId))
        pendingArgs.delete(event.callId)
        const mark = event.isError ? paint.red('✗') : paint.green('✓')
        const outcome = toolOutcome(event)
        info(
          `${mark} ${paint.bold(event.tool)}${gist ? ` ${gist}` : ''}${outcome ? paint.dim(` — ${outcome}`) : ''}`,
        )
        break
      }
      case 'context.compacted':
        info(paint.dim(`⇣ ${describeCompaction(event)}`))
        break
      case 'permission.answered':
        if (event.auto && event.reply === 'reject') {
          info(
            paint.yellow(
              `! ${event.tool} needs approval: denied (non-interactive; rerun with --yes to allow)`,
            ),
          )
        }
        break
      case 'run.finished': {
        const denied = options.denials?.describe()
        if (denied) info(paint.yellow(`! ${denied}`))
        const blocked = event.status === 'completed' && options.denials?.blocked === true
        info(blocked ? blockedLine(event, paint) : summaryLine(event, paint))
        break
      }
      default:
        break
    }
  }
}

function toolOutcome(event: Extract<EngineEvent, { type: 'tool.finished' }>): string {
  const details = event.details ?? {}
  if (typeof details.exitCode === 'number') {
    const timedOut = details.timedOut === true ? ', timed out' : ''
    return `exit ${details.exitCode}${timedOut}, ${formatDuration(event.durationMs)}`
  }
  if (event.isError) return firstLine(event.output)
  return ''
}

function firstLine(text: string): string {
  const line = text.split('\n', 1)[0] ?? ''
  return line.length > 120 ? `${line.slice(0, 117)}…` : line
}

/** The summary of a run that ended with every change it tried denied: not done. */
export function blockedLine(result: RunResult, paint: Painter = painter(false)): string {
  return `${paint.red('✗ not done: every change it tried was denied')} · ${summaryParts(result)}`
}

function summaryParts(result: RunResult): string {
  const { usage } = result
  return [
    `${result.iterations} turn${result.iterations === 1 ? '' : 's'}`,
    `${formatTokens(usage.totalTokens)} tokens (${formatTokens(usage.inputTokens)} in, ${formatTokens(usage.outputTokens)} out)`,
    formatCost(result.cost),
    formatDuration(result.durationMs),
  ].join(' · ')
}

export function summaryLine(result: RunResult, paint: Painter = painter(false)): string {
  const parts = summaryParts(result)
  switch (result.status) {
    case 'completed':
      return `${paint.green('✓ done')} · ${parts}`
    case 'failed':
      return `${paint.red(`✗ failed: ${result.error?.message ?? 'unknown error'}`)} · ${parts}`
    case 'aborted':
      return `${paint.yellow('■ interrupted')} · ${parts}`
    case 'max_iterations':
      return `${paint.yellow('■ stopped: reached the iteration limit (raise it with --max-iterations)')} · ${parts}`
    case 'budget_exceeded':
      return `${paint.yellow('■ stopped: budget exceeded')} · ${parts}`
  }
}

export interface Painter {
  red(text: string): string
  green(text: string): string
  yellow(text: string): string
  dim(text: string): string
  bold(text: string): string
}

export function painter(color: boolean): Painter {
  const wrap = (open: number, close: number) => (text: string) =>
    color ? `\u001b[${open}m${text}\u001b[${close}m` : text
  return { red: wrap(31, 39), green: wrap(32, 39), yellow: wrap(33, 39), dim: wrap(2, 22), bold: wrap(1, 22) }
}

export function useColor(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): boolean {
  return Boolean(stream.isTTY) && !env.NO_COLOR && env.TERM !== 'dumb'
}

const plural = (count: number, one: string, many: string) => `${count} ${count === 1 ? one : many}`

/** One line on what a compaction did: sizes, then what was summarised, pruned, truncated and kept. */
export function describeCompaction(event: Extract<EngineEvent, { type: 'context.compacted' }>): string {
  const did = [
    `${plural(event.summarisedMessages, 'older message', 'older messages')} summarised`,
    ...(event.prunedOutputs
      ? [`${plural(event.prunedOutputs, 'old tool output', 'old tool outputs')} pruned`]
      : []),
    ...(event.truncatedOutputs
      ? [`${plural(event.truncatedOutputs, 'new tool result', 'new tool results')} truncated to fit`]
      : []),
    `${plural(event.keptMessages, 'recent message', 'recent messages')} kept`,
  ]
  return `context compacted (${event.reason}): ${formatTokens(event.tokensBefore)} → ${formatTokens(event.tokensAfter)} tokens; ${did.join(', ')}`
}
