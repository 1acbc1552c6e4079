import type { AskPermission, PermissionReply } from '@penguin-ai/engine'
import type { LineReader } from './line-reader.js'
import { type Painter, painter, useColor } from './paint.js'
import { renderPermissionPreview } from './permission-preview.js'

export interface PromptOptions {
  paint: Painter
  /** The terminal's width when asked (it may change between asks); 80 when unknown. */
  width: () => number | undefined
}

/** Prompt options for a terminal stream: its colours, its width at the time of each ask. */
export function promptOn(stream: NodeJS.WriteStream): PromptOptions {
  return { paint: painter(useColor(stream)), width: () => stream.columns }
}

/** Asks the person at the terminal: yes / no / always for this session, after showing exactly what is asked. */
export function terminalPermissionPrompt(
  reader: LineReader,
  write: (text: string) => void,
  options: PromptOptions,
): AskPermission {
  return async (request, signal) => {
    const width = options.width() || 80
    write(`
${renderPermissionPreview(request, { width, paint: options.paint })}`)
    // Writes into .git/ or .penguin/: only a yes to this very call counts (not --yes, not "always").
    const choices = request.reason ? '  [y]es / [n]o: ' : '  [y]es / [n]o / [a]lways for this session: '
    const onAbort = () => reader.cancelPending()
    signal.addEventListener('abort', onAbort, { once: true })
    try {
      for (;;) {
        const answer = await reader.read(choices)
        if (answer === undefined || signal.aborted) return 'reject'
        const reply = parseReply(answer)
        if (reply) return reply
      }
    } finally {
      signal.removeEventListener('abort', onAbort)
    }
  }
}

export function parseReply(answer: string): PermissionReply | undefined {
  const a = answer.trim().toLowerCase()
  if (a === 'y' || a === 'yes') return 'once'
  if (a === 'n' || a === 'no' || a === '') return 'reject'
  if (a === 'a' || a === 'always') return 'always'
  return undefined
}
