/** The status line under the conversation: what is happening, for how long, at what cost. Pure. */
import { formatCost, formatTokens } from '../render/format.js'
import { type Style, truncateAnsi, visibleWidth } from './ansi.js'
import { MODE_LABEL, type Mode } from './modes.js'

export const SPINNER = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏']

export interface StatusInfo {
  /** What the agent is doing ("thinking", "running npm test"); undefined when idle. */
  activity: string | undefined
  /** Spinner frame counter. */
  frame: number
  elapsedMs: number
  tokens: number
  cost: number
  model: string
  /** The chat's mode; `penguin run` has none. */
  mode?: Mode
  /** Prompts waiting for the model to stop. */
  queued: number
}

export function statusLine(info: StatusInfo, style: Style, width: number): string {
  const sep = style.dim(' · ')
  const working: string[] = []
  if (info.activity !== undefined) {
    working.push(
      `${style.cyan(SPINNER[info.frame % SPINNER.length] ?? '·')} ${info.activity} ${elapsed(info.elapsedMs)}`,
    )
  }
  if (info.tokens > 0 || info.activity !== undefined) {
    working.push(`${formatTokens(info.tokens)} tokens`, formatCost(info.cost))
  }
  if (info.queued > 0) working.push(style.yellow(`${info.queued} queued`))
  const hint = style.dim(
    info.activity !== undefined
      ? info.mode
        ? 'esc to interrupt'
        : 'ctrl-c to interrupt'
      : 'shift+tab: mode · /help',
  )
  const mode = info.mode ? modeText(info.mode, style) : ''
  // Narrow terminals lose the provider prefix first, then the hint; the mode always stays.
  const model = info.model.slice(info.model.indexOf('/') + 1)
  const candidates = [
    [...working, info.model, mode, hint],
    [...working, model, mode, hint],
    [...working, mode, hint],
    [...working, model, mode],
    [...working, mode],
  ]
  for (const candidate of candidates) {
    const line = candidate.filter(Boolean).join(sep)
    if (visibleWidth(line) <= width) return line
  }
  return truncateAnsi([...working, mode].filter(Boolean).join(sep), width)
}

export function modeText(mode: Mode, style: Style): string {
  const label = MODE_LABEL[mode]
  return mode === 'plan' ? style.cyan(label) : mode === 'auto-edit' ? style.yellow(label) : style.dim(label)
}

function elapsed(ms: number): string {
  const seconds = Math.floor(ms / 1000)
  return seconds < 60
    ? `${seconds}s`
    : `${Math.floor(seconds / 60)}m ${String(seconds % 60).padStart(2, '0')}s`
}
