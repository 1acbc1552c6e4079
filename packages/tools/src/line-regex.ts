import { RE2JS } from 're2js'
import { ToolError } from './tool.js'

/**
 * A regular expression matched line by line in linear time. grep's pattern comes from the model
 * (and so, indirectly, from whatever it read): with a backtracking engine `^(a+)+$` against
 * `aaaa…!` runs for hours on the event loop. RE2 (here its pure-JavaScript port) never
 * backtracks, so matching costs time proportional to the text whatever the pattern.
 *
 * The syntax is RE2's with JavaScript's spellings translated (`\u00e9`, `(?<name>…)`, `[^]`),
 * plus lookbehind; lookahead and backreferences — the features that need backtracking — are
 * refused with an error that says so.
 */
export interface LineRegex {
  /** Whether some line of `content` may match; false means none does (a fast whole-text check). */
  mayMatch(content: string): boolean
  /** Where the first match in `line` starts, or -1. */
  search(line: string): number
}

/** Inline flags, `\A`, `\z` and lookbehind behave differently on a whole text than on one line. */
const LINE_SENSITIVE = /\\[Az]|\(\?<[=!]|\(\?[a-zA-Z-]*m/

export function compileLineRegex(pattern: string): LineRegex {
  let line: RE2JS
  let whole: RE2JS | undefined
  try {
    const translated = RE2JS.translateRegExp(pattern)
    line = RE2JS.compile(translated, RE2JS.LOOKBEHINDS)
    if (!LINE_SENSITIVE.test(pattern)) whole = RE2JS.compile(translated, RE2JS.LOOKBEHINDS | RE2JS.MULTILINE)
  } catch (error) {
    throw invalidPattern(pattern, error)
  }
  return {
    // With ^ and $ at line boundaries, a line that matches on its own also matches inside the
    // whole text, so "no match in the text" proves "no matching line". CRLF text is left to the
    // per-line check, where the \r is stripped first.
    mayMatch: (content) => !whole || content.includes('\r') || whole.test(content),
    search(text) {
      if (!line.test(text)) return -1
      const matcher = line.matcher(text)
      return matcher.find() ? matcher.start() : -1
    },
  }
}

function invalidPattern(pattern: string, error: unknown): ToolError {
  const reason = error instanceof Error ? error.message.replace(/^error parsing regexp: /, '') : String(error)
  const unsupported = /\(\?[=!]|\\[1-9]|\\k</.test(pattern)
  const hint = unsupported
    ? 'grep uses a linear-time engine (RE2 syntax, as ripgrep): lookahead and backreferences are not supported. Search for a simpler pattern and filter the results, or use run_command with grep -P.'
    : 'Use RE2/JavaScript regex syntax and escape special characters such as ( [ { . * + ? with a backslash.'
  return new ToolError(`Invalid regular expression ${JSON.stringify(pattern)}: ${reason}. ${hint}`)
}
