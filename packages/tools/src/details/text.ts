/**
 * Text from models and tools shown to a person. Pure and browser-safe.
 *
 * Anything a hostile model wrote can reach a prompt: a command, a path, a file name in a patch. A
 * terminal obeys the escape sequences in it (move the cursor, erase the line, hide the rest) and a
 * browser obeys bidirectional overrides, so a prompt could say one thing while the call does another.
 * Every renderer therefore shows such characters spelled out (`\x1b`, `\r`, `\u{202E}`), never raw.
 */

/** A run of text to print as is, or one spelled-out invisible character (`control`). */
export interface TextSegment {
  text: string
  control: boolean
}

/**
 * Control characters (C0, DEL, C1), format characters (bidi overrides and isolates, zero-width
 * characters, BOM, soft hyphen), line and paragraph separators, and lone surrogates.
 */
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Cs}\u2028\u2029]/u
const INVISIBLE_ALL = /[\p{Cc}\p{Cf}\p{Cs}\u2028\u2029]/gu

export interface VisibleOptions {
  /** Keep `\n` as a line break (multi-line commands, diffs); otherwise it is spelled out too. */
  newlines?: boolean
  /** Keep tabs as they are (prose and code from a model); otherwise they are spelled out too. */
  tabs?: boolean
}

function kept(char: string, options: VisibleOptions): boolean {
  return (options.newlines === true && char === '\n') || (options.tabs === true && char === '\t')
}

/** How an invisible character is spelled out: `\t`, `\r`, `\n`, `\x1b`, `\u{202E}`. */
export function spellOut(char: string): string {
  if (char === '\t') return '\\t'
  if (char === '\r') return '\\r'
  if (char === '\n') return '\\n'
  const code = char.codePointAt(0) ?? 0
  if (code < 0x100) return `\\x${code.toString(16).padStart(2, '0')}`
  return `\\u{${code.toString(16).toUpperCase().padStart(4, '0')}}`
}

/** `text` split into plain runs and spelled-out invisible characters, for renderers that style them. */
export function visibleSegments(text: string, options: VisibleOptions = {}): TextSegment[] {
  const segments: TextSegment[] = []
  let plain = ''
  for (const char of text) {
    if (INVISIBLE.test(char) && !kept(char, options)) {
      if (plain) segments.push({ text: plain, control: false })
      plain = ''
      segments.push({ text: spellOut(char), control: true })
    } else {
      plain += char
    }
  }
  if (plain) segments.push({ text: plain, control: false })
  return segments
}

/** `text` with every invisible character spelled out. */
export function visibleText(text: string, options: VisibleOptions = {}): string {
  return text.replace(INVISIBLE_ALL, (char) => (kept(char, options) ? char : spellOut(char)))
}

/** Whether `text` holds characters a person cannot see as they are. */
export function hasInvisible(text: string, options: VisibleOptions = {}): boolean {
  return visibleText(text, options) !== text
}

/**
 * Runs of spaces, tabs and newlines as one space, cut to `max` characters with `…`. Carriage
 * returns and other controls stay, for renderers to spell out.
 */
export function oneLine(text: string, max = 200): string {
  const flat = text.replace(/[\t\n\p{Zs}]+/gu, ' ').replace(/^ | $/g, '')
  return cut(flat, max)
}

/** The first non-empty line of `text`, cut to `max` characters. */
export function firstLine(text: string, max = 200): string {
  const line = text.split('\n').find((candidate) => candidate.trim() !== '') ?? ''
  return cut(line.trim(), max)
}

/** At most `max` characters (code points), the last one `…` when cut. */
export function cut(text: string, max: number): string {
  const chars = [...text]
  return chars.length > max ? `${chars.slice(0, Math.max(0, max - 1)).join('')}…` : text
}
