/** Limits for text sent to the model. */
export interface CapOptions {
  /** Most characters kept (head + tail). Default 100,000. */
  maxChars?: number
  /** Most lines kept (head + tail). Default 4,000. */
  maxLines?: number
  /** What the model should do instead, shown in the elision note. */
  hint?: string
}

export const DEFAULT_CAP = { maxChars: 100_000, maxLines: 4_000 } as const

const DEFAULT_HINT = 'narrow the command or read a range'

const formatCount = (n: number): string => n.toLocaleString('en-US')

/**
 * Keeps the head and the tail of `text` and replaces the middle with a note saying how much was left
 * out. Both ends matter: the head shows what a command or file is, the tail holds errors and totals.
 */
export function capOutput(text: string, options: CapOptions = {}): string {
  const maxChars = Math.max(2, options.maxChars ?? DEFAULT_CAP.maxChars)
  const maxLines = Math.max(2, options.maxLines ?? DEFAULT_CAP.maxLines)
  if (text.length <= maxChars && lineCount(text) <= maxLines) return text

  const headEnd = headLength(text, Math.ceil(maxChars / 2), Math.ceil(maxLines / 2))
  const tailStart = Math.max(
    headEnd,
    tailStartIndex(text, Math.floor(maxChars / 2), Math.floor(maxLines / 2)),
  )
  const omitted = text.slice(headEnd, tailStart)
  const omittedLines = lineCount(omitted)
  const note = `… [${formatCount(omitted.length)} characters / ${formatCount(omittedLines)} lines omitted; ${
    options.hint ?? DEFAULT_HINT
  }] …`
  const head = text.slice(0, headEnd).replace(/\n$/, '')
  const tail = text.slice(tailStart).replace(/^\n/, '')
  return [head, note, tail].filter((part) => part !== '').join('\n')
}

function lineCount(text: string): number {
  if (text === '') return 0
  let count = 1
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) count++
  // A trailing newline ends the last line rather than starting a new one.
  return text.endsWith('\n') ? count - 1 : count
}

/** Index where the kept head ends: at most `chars` characters and `lines` lines, whole lines if possible. */
function headLength(text: string, chars: number, lines: number): number {
  let end = 0
  for (let n = 0; n < lines; n++) {
    const newline = text.indexOf('\n', end)
    if (newline === -1 || newline + 1 > chars) break
    end = newline + 1
  }
  // A single line longer than the budget: cut it mid-line rather than keep nothing.
  return end === 0 ? Math.min(chars, text.length) : end
}

/** Index where the kept tail starts: at most `chars` characters and `lines` lines from the end. */
function tailStartIndex(text: string, chars: number, lines: number): number {
  const body = text.endsWith('\n') ? text.length - 1 : text.length
  let start = body
  for (let n = 0; n < lines; n++) {
    // The newline just before `start` ends the previous line; look for the one before that.
    const from = start === body ? body - 1 : start - 2
    const newline = from < 0 ? -1 : text.lastIndexOf('\n', from)
    const lineStart = newline + 1
    if (text.length - lineStart > chars) break
    start = lineStart
    if (newline === -1) break
  }
  return start === body ? Math.max(0, text.length - chars) : start
}
