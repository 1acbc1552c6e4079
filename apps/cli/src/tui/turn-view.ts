/**
 * One turn on screen: engine events become finished rows printed once (Markdown as each line
 * completes, a compact line per finished tool call, a numbered diff for edits nobody was asked
 * about) and live rows redrawn in place (the line still streaming, the calls still running).
 */
import type { EngineEvent } from '@penguin-ai/engine'
import type { ToolDetails } from '@penguin-ai/tools/details'
import { visibleText } from '@penguin-ai/tools/details'
import { describeCompaction, summaryLine } from '../render/human.js'
import { numberedDiff } from '../render/numbered-diff.js'
import type { Painter } from '../render/paint.js'
import { type SubagentEvent, subagentIndent, subagentRows } from '../render/subagent-rows.js'
import { renderToolLine } from '../render/tool-line.js'
import { paintVisible, wrapVisible } from '../render/visible.js'
import { type Style, truncateAnsi } from './ansi.js'
import { MarkdownStream } from './markdown.js'

type Finished = Extract<EngineEvent, { type: 'tool.finished' }>

export interface TurnViewOptions {
  style: Style
  paint: Painter
  width: () => number
  /** Prints finished rows above the live area. */
  print: (rows: string[]) => void
  /** Rows of a diff shown after an edit that was not asked about. */
  diffRows?: number
  /** `--hide-reasoning`: the model's reasoning is not shown while it thinks. */
  hideReasoning?: boolean
  /** The rows that end the run (default: the summary line). */
  summary?: (event: Extract<EngineEvent, { type: 'run.finished' }>) => string[]
}

/** Lines of a running command's output shown under it. */
const TAIL_LINES = 5

export class TurnView {
  private readonly markdown: MarkdownStream
  private readonly running = new Map<string, string>()
  /** The output of running calls so far (the end of it: only a tail is shown). */
  private readonly output = new Map<string, string>()
  /** Calls the user was asked about: their diff was seen already. */
  private readonly asked = new Set<string>()
  private reasoning = ''
  /** Sub-agents still running, by session: what they are doing, shown in the live area. */
  private readonly children = new Map<string, { agent: string; depth: number; activity: string }>()
  /** Which of this turn's `task` calls a sub-agent's session hangs under (grandchildren included). */
  private readonly taskOf = new Map<string, string>()
  /**
   * Everything each `task` call's sub-agents did, row by row: collapsed to their start and end
   * lines on screen, expanded with ctrl+o.
   */
  private readonly taskRows = new Map<string, string[]>()
  tokens = 0
  cost = 0
  activity: string | undefined = 'thinking'
  last: Finished | undefined

  constructor(private readonly options: TurnViewOptions) {
    this.markdown = new MarkdownStream(options.style, options.width())
  }

  onEvent(event: EngineEvent): void {
    const { paint, style } = this.options
    switch (event.type) {
      case 'turn.started':
        this.activity = 'thinking'
        break
      case 'reasoning.delta':
        if (!this.options.hideReasoning) this.reasoning += event.delta
        this.activity = 'thinking'
        break
      case 'text.delta':
        this.reasoning = ''
        this.activity = 'responding'
        this.markdown.resize(this.options.width())
        this.print(this.markdown.push(event.delta))
        break
      case 'turn.retry':
        this.endText()
        this.print([paint.dim(`↻ ${visibleText(event.reason)}; retrying (attempt ${event.attempt + 1})`)])
        break
      case 'tool.started':
        this.endText()
        this.running.set(event.callId, `${event.tool} ${visibleText(event.title)}`.trim())
        this.activity = `running ${event.tool}`
        break
      case 'tool.output': {
        const text = (this.output.get(event.callId) ?? '') + event.text
        this.output.set(event.callId, text.length > 8192 ? text.slice(-4096) : text)
        break
      }
      case 'tool.finished': {
        this.running.delete(event.callId)
        this.output.delete(event.callId)
        this.last = event
        this.print([renderToolLine(event, { paint, width: this.options.width() })])
        const diff = fileDiff(event.details)
        if (diff && !this.asked.has(event.callId) && !event.isError) {
          this.print(this.capped(numberedDiff(diff, { paint, width: this.options.width(), indent: '    ' })))
        }
        this.activity = this.running.size ? this.activity : 'thinking'
        break
      }
      case 'usage':
        this.tokens = event.total.totalTokens
        this.cost = event.totalCost
        break
      case 'context.compacted':
        this.print([paint.dim(`⇣ ${describeCompaction(event)}`)])
        break
      case 'message.delivered': {
        // What the person typed during the turn, where the agent read it.
        this.endText()
        const [first, ...rest] = event.text.split('\n')
        const how = event.delivery === 'steer' ? 'read before its next step' : 'follow-up'
        this.print([
          `${style.bold('›')} ${visibleText(first ?? '')} ${paint.dim(`· ${how}`)}`,
          ...rest.map((line) => `  ${visibleText(line)}`),
        ])
        this.activity = 'thinking'
        break
      }
      case 'subagent.event':
        this.onSubagent(event)
        break
      case 'notice': {
        const line = paintVisible(`${event.source}: ${event.message}`, paint)
        this.print([event.level === 'info' ? paint.dim(`· ${line}`) : paint.yellow(`! ${line}`)])
        break
      }
      case 'run.finished':
        this.endText()
        this.running.clear()
        this.activity = undefined
        this.tokens = event.usage.totalTokens
        this.cost = event.cost
        this.print([...(this.options.summary?.(event) ?? [summaryLine(event, paint)]), ''])
        break
      default:
        break
    }
    void style
  }

  /** A sub-agent's event: its start and end are printed, the rest kept for ctrl+o. */
  private onSubagent(event: SubagentEvent): void {
    const { paint } = this.options
    const inner = event.event
    const session = inner.sessionId ?? event.callId
    const task =
      event.depth <= 1 ? event.callId : (this.taskOf.get(inner.parentSessionId ?? '') ?? event.callId)
    this.taskOf.set(session, task)
    const rows = subagentRows(event, { paint, width: this.options.width() })
    const all = this.taskRows.get(task) ?? []
    all.push(...rows)
    this.taskRows.set(task, all)
    switch (inner.type) {
      case 'run.started':
        this.endText()
        this.children.set(session, { agent: event.agent, depth: event.depth, activity: 'thinking' })
        this.print(rows)
        break
      case 'tool.started': {
        const child = this.children.get(session)
        if (child) child.activity = `running ${inner.tool} ${visibleText(inner.title)}`.trim()
        break
      }
      case 'tool.finished': {
        const child = this.children.get(session)
        if (child) child.activity = 'thinking'
        break
      }
      case 'run.finished':
        this.children.delete(session)
        this.print(rows.map((row) => `${row}${paint.dim(' (ctrl+o to expand)')}`))
        break
      default:
        // Notices stay visible: a hook that failed in a child is still the user's to read.
        if (inner.type === 'notice') this.print(rows)
        break
    }
  }

  /** The live rows: reasoning being thought, the line still streaming, the calls still running. */
  liveRows(): string[] {
    const { style } = this.options
    const width = this.options.width()
    const rows: string[] = []
    if (this.reasoning) {
      const tail = this.reasoning
        .replace(/\s+/g, ' ')
        .trim()
        .slice(-width * 2)
      rows.push(truncateAnsi(style.dim(style.italic(`✻ ${visibleText(tail)}`)), width))
    }
    rows.push(...this.markdown.partial())
    for (const [callId, title] of this.running) {
      rows.push(truncateAnsi(`${style.cyan('⋯')} ${title}`, width))
      rows.push(...tail(this.output.get(callId) ?? '', width).map((line) => style.dim(line)))
    }
    for (const child of this.children.values()) {
      const indent = subagentIndent(child.depth, this.options.paint)
      rows.push(
        truncateAnsi(`${indent}${style.cyan('⋯')} [${child.agent}] ${visibleText(child.activity)}`, width),
      )
    }
    return rows
  }

  /** The user saw this call's preview (its diff) when asked: no need to show the diff again. */
  sawPreview(callId: string): void {
    this.asked.add(callId)
  }

  /** Everything about the last finished call (Ctrl+O): the whole diff, the command's output. */
  expanded(): string[] {
    const event = this.last
    if (!event) return [this.options.paint.dim('No tool call to expand yet.')]
    const children = this.taskRows.get(event.callId)
    // A task call: everything its sub-agents did, under its line.
    if (children?.length)
      return [renderToolLine(event, { paint: this.options.paint, width: this.options.width() }), ...children]
    return expandDetails(event, this.options.paint, this.options.width())
  }

  private endText(): void {
    this.print(this.markdown.end())
  }

  private print(rows: string[]): void {
    if (rows.length) this.options.print(rows)
  }

  private capped(rows: string[]): string[] {
    const max = this.options.diffRows ?? 12
    if (rows.length <= max) return rows
    return [
      ...rows.slice(0, max),
      this.options.paint.dim(`    … ${rows.length - max} more lines (ctrl+o to expand)`),
    ]
  }
}

function fileDiff(details: ToolDetails | undefined): string | undefined {
  if (details?.kind !== 'file-edit') return undefined
  const diffs = details.files.map((file) => file.diff).filter((diff): diff is string => Boolean(diff))
  return diffs.length ? diffs.join('\n') : undefined
}

/** The full story of one finished call. */
export function expandDetails(event: Finished, paint: Painter, width: number): string[] {
  const rows = [renderToolLine(event, { paint, width })]
  const details = event.details as ToolDetails | undefined
  const block = (text: string) =>
    wrapVisible(text.replace(/\n$/, ''), width - 4).map(
      (row) => `  ${paint.dim('│')} ${row.map((s) => (s.control ? paint.inverse(s.text) : s.text)).join('')}`,
    )
  switch (details?.kind) {
    case 'file-edit':
      for (const file of details.files) {
        rows.push(
          `  ${paint.bold(paintVisible(file.path, paint))} ${paint.dim(`(+${file.added} -${file.removed})`)}`,
        )
        if (file.diff) rows.push(...numberedDiff(file.diff, { paint, width, indent: '    ' }))
      }
      break
    case 'command':
      rows.push(`  ${paint.dim('$')} ${paintVisible(details.command, paint)}`)
      if (details.stdout) rows.push(...block(details.stdout))
      if (details.stderr) rows.push(...block(details.stderr).map((row) => paint.yellow(row)))
      break
    default:
      rows.push(...block(event.output))
  }
  return rows
}

/** The last lines of a command's output, each on one row, invisible characters spelled out. */
function tail(text: string, width: number): string[] {
  const lines = text.replace(/\r\n/g, '\n').split('\n')
  if (lines.at(-1) === '') lines.pop()
  return lines.slice(-TAIL_LINES).map((line) => {
    // A progress bar redraws its line with \r: what shows is what came after the last one.
    const shown = line.slice(line.lastIndexOf('\r') + 1)
    return truncateAnsi(`  │ ${visibleText(shown, { tabs: true }).replace(/\t/g, '  ')}`, width)
  })
}
