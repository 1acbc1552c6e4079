import type { EngineEvent, RunResult } from '@penguin-ai/engine'
import { visibleText } from '@penguin-ai/tools/details'
import type { DenialLog } from './denials.js'
import { formatCost, formatDuration, formatTokens } from './format.js'
import { type Painter, painter } from './paint.js'
import { subagentRows } from './subagent-rows.js'
import { renderToolLine } from './tool-line.js'

export { type Painter, painter, useColor } from './paint.js'

export interface Output {
  write(text: string): void
  isTTY?: boolean
}

export interface HumanRendererOptions {
  /** Where the assistant's text goes (stdout). */
  text: Output
  /** Where tool lines, notices and the summary go (stderr). */
  info: Output & { columns?: number }
  color: boolean
  /** Refused calls: listed before the summary, which says so when they left the task undone. */
  denials?: DenialLog
  /** `--hide-reasoning`: the model's reasoning is not shown (it is still recorded). */
  hideReasoning?: boolean
}

/**
 * Renders engine events for a person: the assistant's text streams as it comes; each tool call
 * becomes one line with its outcome; the run ends with a summary line. Model text is untrusted:
 * its control characters are spelled out, so it cannot move the cursor, erase lines or hide the
 * permission prompt that follows it.
 */
export function createHumanRenderer(options: HumanRendererOptions): (event: EngineEvent) => void {
  const paint = painter(options.color)
  // Text, reasoning and info may share one terminal: each starts on a fresh line.
  let textOpen = false
  let reasoningOpen = false
  const closeText = () => {
    if (textOpen) options.text.write('\n')
    textOpen = false
  }
  const closeReasoning = () => {
    if (reasoningOpen) options.info.write('\n')
    reasoningOpen = false
  }
  const info = (line: string) => {
    closeText()
    closeReasoning()
    options.info.write(`${line}\n`)
  }
  return (event) => {
    switch (event.type) {
      case 'reasoning.delta': {
        if (options.hideReasoning || !event.delta) break
        closeText()
        // Dimmed, apart from the answer: it is how the model got there, not what it says.
        const text = visibleText(event.delta, { newlines: true, tabs: true })
        options.info.write(paint.dim(reasoningOpen ? text : `✻ ${text.replace(/^\s+/, '')}`))
        reasoningOpen = true
        break
      }
      case 'text.delta':
        closeReasoning()
        options.text.write(visibleText(event.delta, { newlines: true, tabs: true }))
        textOpen = !event.delta.endsWith('\n')
        break
      case 'turn.retry':
        info(paint.dim(`↻ ${visibleText(event.reason)}; retrying (attempt ${event.attempt + 1})`))
        break
      case 'tool.finished':
        info(renderToolLine(event, { paint, ...(options.info.isTTY ? { width: options.info.columns } : {}) }))
        break
      case 'context.compacted':
        info(paint.dim(`⇣ ${describeCompaction(event)}`))
        break
      case 'subagent.event': {
        // Sub-agents' calls and outcomes, indented under the task call and labelled with the agent.
        const width = options.info.isTTY ? options.info.columns : undefined
        for (const row of subagentRows(event, { paint, ...(width ? { width } : {}) })) info(row)
        break
      }
      case 'notice': {
        const line = visibleText(`${event.source}: ${event.message}`, { newlines: true, tabs: true })
        info(event.level === 'info' ? paint.dim(`· ${line}`) : paint.yellow(`! ${line}`))
        break
      }
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

/** The summary of a run that ended with every change it tried denied: not done. */
export function blockedLine(result: RunResult, paint: Painter = painter(false)): string {
  return `${paint.red('✗ not done: every change it tried was denied')} · ${summaryParts(result)}`
}

/** `12k tokens (10k in, 8.0k cached, 1.2k cache write, 500 out)`: cache figures when there are any. */
export function tokenSummary(usage: RunResult['usage']): string {
  const parts = [`${formatTokens(usage.inputTokens)} in`]
  if (usage.cacheReadTokens > 0) parts.push(`${formatTokens(usage.cacheReadTokens)} cached`)
  if (usage.cacheWriteTokens > 0) parts.push(`${formatTokens(usage.cacheWriteTokens)} cache write`)
  parts.push(`${formatTokens(usage.outputTokens)} out`)
  return `${formatTokens(usage.totalTokens)} tokens (${parts.join(', ')})`
}

function summaryParts(result: RunResult): string {
  const { usage } = result
  return [
    `${result.iterations} turn${result.iterations === 1 ? '' : 's'}`,
    tokenSummary(usage),
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
      return `${paint.red(`✗ failed: ${visibleText(result.error?.message ?? 'unknown error')}`)} · ${parts}`
    case 'aborted':
      return `${paint.yellow('■ interrupted')} · ${parts}`
    case 'max_iterations':
      return `${paint.yellow('■ stopped: reached the iteration limit (raise it with --max-iterations)')} · ${parts}`
    case 'budget_exceeded':
      return `${paint.yellow('■ stopped: budget exceeded')} · ${parts}`
  }
}

const plural = (count: number, one: string, many: string) => `${count} ${count === 1 ? one : many}`

/**
 * One line on what a compaction did: sizes, then what was summarised, pruned, truncated and kept (a
 * compaction without a summary only pruned and/or truncated).
 */
export function describeCompaction(event: Extract<EngineEvent, { type: 'context.compacted' }>): string {
  const summarised = event.summary !== undefined
  const did = [
    ...(summarised
      ? [`${plural(event.summarisedMessages, 'older message', 'older messages')} summarised`]
      : []),
    ...(event.prunedOutputs
      ? [`${plural(event.prunedOutputs, 'old tool output', 'old tool outputs')} pruned`]
      : []),
    ...(event.truncatedOutputs
      ? [`${plural(event.truncatedOutputs, 'new tool result', 'new tool results')} truncated to fit`]
      : []),
    // Without a summary every message is kept (some cut in place): saying so adds nothing.
    ...(summarised ? [`${plural(event.keptMessages, 'recent message', 'recent messages')} kept`] : []),
  ]
  return `context compacted (${event.reason}): ${formatTokens(event.tokensBefore)} → ${formatTokens(event.tokensAfter)} tokens; ${did.join(', ')}`
}
