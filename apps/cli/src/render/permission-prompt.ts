import type { AskPermission, PermissionReply } from '@penguin-ai/engine'
import { describeArgs } from './format.js'
import type { LineReader } from './line-reader.js'

/** Asks the person at the terminal: yes / no / always for this session. */
export function terminalPermissionPrompt(reader: LineReader, write: (text: string) => void): AskPermission {
  return async (request, signal) => {
    const gist = describeArgs(request.tool, request.args) || request.subject
    write(`\n? Allow ${request.tool}${gist ? ` ${gist}` : ''}?\n`)
    // Writes into .git/ or .penguin/: only a yes to this very call counts (not --yes, not "always").
    if (request.reason) write(`  This ${request.reason}; only your yes to this call allows it.\n`)
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
