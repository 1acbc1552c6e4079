import type { MessagePart, NewMessage, ReasoningPart } from '@penguin-ai/store'
import { createRedactor } from '@penguin-ai/telemetry/redact'

/**
 * Secrets at rest: what a session stores passes through one of these first. It returns its input
 * with every secret replaced (`[REDACTED]`), the input itself when there is none.
 */
export type RedactText = (text: string) => string

/**
 * The default: the telemetry redactor's rules over `env` as it is now — values of credential-named
 * variables (`*_API_KEY`, `*_TOKEN`, `*SECRET*`, `*PASSWORD*`, …), key-shaped strings (`sk-…`,
 * `Bearer …`) and URL passwords — the same ones `penguin sessions export` and the logs apply.
 */
export function secretRedactor(
  env: Record<string, string | undefined> = process.env,
  secrets?: Iterable<string>,
): RedactText {
  return createRedactor({ env, ...(secrets ? { secrets } : {}) }).text
}

/**
 * A message as it may be stored: the text of every part, tool call arguments (a JSON string: the
 * marker needs no escaping, so it stays valid JSON), tool results and their details. Images and a
 * provider's opaque reasoning state are left alone; a signed reasoning text that had to change
 * loses its signature, so it is never sent back to the provider as if it were the original.
 */
export function redactMessage(message: NewMessage, redact: RedactText): NewMessage {
  let changed = false
  const parts = message.parts.map((part) => {
    const next = redactPart(part, redact)
    if (next !== part) changed = true
    return next
  })
  return changed ? { ...message, parts } : message
}

function redactPart(part: MessagePart, redact: RedactText): MessagePart {
  switch (part.type) {
    case 'text':
    case 'summary': {
      const text = redact(part.text)
      return text === part.text ? part : { ...part, text }
    }
    case 'tool_call': {
      const args = redact(part.arguments)
      return args === part.arguments ? part : { ...part, arguments: args }
    }
    case 'tool_result': {
      const content = redact(part.content)
      const details = part.details ? redactStrings(part.details, redact) : undefined
      if (content === part.content && details === part.details) return part
      return { ...part, content, ...(details ? { details } : {}) }
    }
    case 'reasoning':
      return redactReasoning(part, redact)
    case 'image':
      return part
  }
}

function redactReasoning(part: ReasoningPart, redact: RedactText): ReasoningPart {
  const text = redact(part.text)
  const summary = part.summary ? redactStrings(part.summary, redact) : undefined
  if (text === part.text && summary === part.summary) return part
  const { signature: _signature, ...rest } = part
  // The signature covers the original text: without it the block is not sent back (see llm).
  return { ...(text === part.text ? part : rest), text, ...(summary ? { summary } : {}) }
}

/** Every string inside a JSON-like value, redacted; the value itself when nothing changed. */
export function redactStrings<T>(value: T, redact: RedactText): T {
  if (typeof value === 'string') return redact(value) as T
  if (value === null || typeof value !== 'object') return value
  if (Array.isArray(value)) {
    let changed = false
    const out = value.map((item) => {
      const next = redactStrings(item, redact)
      if (next !== item) changed = true
      return next
    })
    return (changed ? out : value) as T
  }
  let changed = false
  const out: Record<string, unknown> = {}
  for (const [key, item] of Object.entries(value)) {
    const next = redactStrings(item, redact)
    if (next !== item) changed = true
    out[key] = next
  }
  return (changed ? out : value) as T
}
