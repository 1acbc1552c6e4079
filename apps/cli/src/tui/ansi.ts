/**
 * Styled text for the terminal: SGR colours that work on light and dark backgrounds alike (the
 * terminal's own palette, never a fixed background), visible width, and wrapping that keeps styles
 * across row breaks. Pure.
 */

export interface Style {
  readonly color: boolean
  bold(text: string): string
  dim(text: string): string
  italic(text: string): string
  underline(text: string): string
  inverse(text: string): string
  red(text: string): string
  green(text: string): string
  yellow(text: string): string
  blue(text: string): string
  magenta(text: string): string
  cyan(text: string): string
}

export function style(color: boolean): Style {
  const wrap = (open: number, close: number) => (text: string) =>
    color && text ? `\u001b[${open}m${text}\u001b[${close}m` : text
  return {
    color,
    bold: wrap(1, 22),
    dim: wrap(2, 22),
    italic: wrap(3, 23),
    underline: wrap(4, 24),
    inverse: wrap(7, 27),
    red: wrap(31, 39),
    green: wrap(32, 39),
    yellow: wrap(33, 39),
    blue: wrap(34, 39),
    magenta: wrap(35, 39),
    cyan: wrap(36, 39),
  }
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: matching our own SGR sequences
const SGR = /\u001b\[[0-9;]*m/g

export function stripAnsi(text: string): string {
  return text.replace(SGR, '')
}

/** Columns a string takes (wide CJK and emoji count two; combining marks none). */
export function visibleWidth(text: string): number {
  let width = 0
  for (const char of stripAnsi(text)) width += charWidth(char)
  return width
}

const GRAPHEMES = new Intl.Segmenter(undefined, { granularity: 'grapheme' })

/** What a person sees as one character each: an emoji with its modifiers, a letter with its accents. */
export function graphemes(text: string): string[] {
  return Array.from(GRAPHEMES.segment(text), (part) => part.segment)
}

/** Columns one grapheme takes: its first code point's width (a flag, two regional indicators: 2). */
export function graphemeWidth(grapheme: string): number {
  const first = grapheme.codePointAt(0) ?? 0
  if (first >= 0x1f1e6 && first <= 0x1f1ff) return 2
  return charWidth(String.fromCodePoint(first))
}

export function charWidth(char: string): number {
  const code = char.codePointAt(0) ?? 0
  if (code < 32 || (code >= 0x7f && code < 0xa0)) return 0
  if ((code >= 0x300 && code < 0x370) || (code >= 0x200b && code <= 0x200f) || code === 0xfe0f) return 0
  if (
    (code >= 0x1100 && code <= 0x115f) ||
    (code >= 0x2e80 && code <= 0xa4cf) ||
    (code >= 0xac00 && code <= 0xd7a3) ||
    (code >= 0xf900 && code <= 0xfaff) ||
    (code >= 0xfe30 && code <= 0xfe4f) ||
    (code >= 0xff00 && code <= 0xff60) ||
    (code >= 0xffe0 && code <= 0xffe6) ||
    (code >= 0x1f300 && code <= 0x1faff) ||
    (code >= 0x20000 && code <= 0x3fffd)
  )
    return 2
  return 1
}

/**
 * Wraps one styled line to rows of at most `width` columns, at spaces where it can. Styles open at
 * a break are closed at the row's end and reopened on the next row, so each row stands alone (the
 * live area redraws rows one by one).
 */
export function wrapAnsi(line: string, width: number, indent = ''): string[] {
  const columns = Math.max(4, width)
  const tokens = tokenize(line)
  const rows: string[] = []
  let row = ''
  let used = 0
  let open: string[] = []
  // The last space in the row: where to break, with the state there.
  let breakAt: { rowLength: number; used: number; tokenIndex: number; open: string[] } | undefined
  let index = 0
  const indentWidth = visibleWidth(indent)
  const startRow = (carry: string[]) => {
    row = (rows.length > 0 ? indent : '') + carry.join('')
    used = rows.length > 0 ? indentWidth : 0
    breakAt = undefined
  }
  startRow([])
  while (index < tokens.length) {
    const token = tokens[index] as string
    if (token.startsWith('\u001b')) {
      row += token
      open = applySgr(open, token)
      index++
      continue
    }
    const w = charWidth(token)
    if (used + w > columns && used > (rows.length > 0 ? indentWidth : 0)) {
      if (token !== ' ' && breakAt && breakAt.used > (rows.length > 0 ? indentWidth : 0)) {
        // Break at the last space: the row ends there, the word moves down.
        const kept = row.slice(0, breakAt.rowLength)
        rows.push(close(kept, breakAt.open))
        index = breakAt.tokenIndex + 1
        open = breakAt.open
        startRow(open)
        continue
      }
      rows.push(close(row, open))
      startRow(open)
      if (token === ' ') {
        index++
        continue
      }
    }
    if (token === ' ') breakAt = { rowLength: row.length, used, tokenIndex: index, open: [...open] }
    row += token
    used += w
    index++
  }
  rows.push(close(row, open))
  return rows
}

function close(row: string, open: string[]): string {
  return open.length > 0 ? `${row}\u001b[0m` : row
}

function tokenize(line: string): string[] {
  const tokens: string[] = []
  let last = 0
  for (const match of line.matchAll(SGR)) {
    tokens.push(...line.slice(last, match.index))
    tokens.push(match[0])
    last = match.index + match[0].length
  }
  tokens.push(...line.slice(last))
  return tokens
}

/** The SGR codes still in effect after `code` (a reset clears them; a closing code removes its opener). */
function applySgr(open: string[], code: string): string[] {
  const n = code.slice(2, -1)
  if (n === '' || n === '0') return []
  const closes: Record<string, string[]> = {
    '22': ['1', '2'],
    '23': ['3'],
    '24': ['4'],
    '27': ['7'],
    '39': ['30', '31', '32', '33', '34', '35', '36', '37', '90', '91', '92', '93', '94', '95', '96', '97'],
  }
  const closing = closes[n]
  if (closing) return open.filter((o) => !closing.includes(o.slice(2, -1)))
  return [...open, code]
}

/** A row cut to `width` columns (with an ellipsis), styles closed. */
export function truncateAnsi(line: string, width: number): string {
  if (visibleWidth(line) <= width) return line
  let used = 0
  let out = ''
  let styled = false
  for (const token of tokenize(line)) {
    if (token.startsWith('\u001b')) {
      out += token
      styled = true
      continue
    }
    const w = charWidth(token)
    if (used + w > width - 1) break
    out += token
    used += w
  }
  return `${out}…${styled ? '\u001b[0m' : ''}`
}
