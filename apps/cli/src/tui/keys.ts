/**
 * Raw terminal input → keys. Pure. Understands plain bytes, CSI sequences (arrows, Home/End,
 * Shift+Tab), the kitty keyboard protocol's `CSI code;mods u` (Shift+Enter, an unambiguous Esc)
 * and bracketed paste, which arrives as ONE key however many lines it holds.
 */
export type Key =
  | { name: 'text'; text: string }
  | { name: 'paste'; text: string }
  | {
      name:
        | 'enter'
        | 'newline'
        | 'backspace'
        | 'delete'
        | 'left'
        | 'right'
        | 'up'
        | 'down'
        | 'home'
        | 'end'
        | 'tab'
        | 'shift-tab'
        | 'escape'
        | 'ctrl-a'
        | 'ctrl-c'
        | 'ctrl-d'
        | 'ctrl-e'
        | 'ctrl-k'
        | 'ctrl-l'
        | 'ctrl-o'
        | 'ctrl-u'
        | 'ctrl-w'
        | 'word-left'
        | 'word-right'
    }

export type KeyName = Exclude<Key, { name: 'text' | 'paste' }>['name']

const PASTE_START = '\u001b[200~'
const PASTE_END = '\u001b[201~'

const CONTROL: Record<string, KeyName> = {
  '\r': 'enter',
  '\n': 'newline', // Ctrl+J
  '\t': 'tab',
  '\u007f': 'backspace',
  '\b': 'backspace',
  '\u0001': 'ctrl-a',
  '\u0003': 'ctrl-c',
  '\u0004': 'ctrl-d',
  '\u0005': 'ctrl-e',
  '\u000b': 'ctrl-k',
  '\u000c': 'ctrl-l',
  '\u000f': 'ctrl-o',
  '\u0015': 'ctrl-u',
  '\u0017': 'ctrl-w',
}

const CSI_FINAL: Record<string, KeyName> = {
  A: 'up',
  B: 'down',
  C: 'right',
  D: 'left',
  H: 'home',
  F: 'end',
  Z: 'shift-tab',
}

const TILDE: Record<string, KeyName> = { '1': 'home', '7': 'home', '4': 'end', '8': 'end', '3': 'delete' }

/**
 * Splits input into keys. `pending` carries an unfinished bracketed paste between chunks (a long
 * paste arrives in several reads); pass back what the previous call returned.
 */
export function parseKeys(chunk: string, pending = ''): { keys: Key[]; pending: string } {
  const keys: Key[] = []
  let input = pending + chunk
  if (pending) {
    const end = input.indexOf(PASTE_END)
    if (end === -1) return { keys, pending: input }
    keys.push({ name: 'paste', text: normalizePaste(input.slice(PASTE_START.length, end)) })
    input = input.slice(end + PASTE_END.length)
  }
  let i = 0
  let text = ''
  const flush = () => {
    if (text) keys.push({ name: 'text', text })
    text = ''
  }
  while (i < input.length) {
    const char = input[i] as string
    if (input.startsWith(PASTE_START, i)) {
      flush()
      const end = input.indexOf(PASTE_END, i)
      if (end === -1) return { keys, pending: input.slice(i) }
      keys.push({ name: 'paste', text: normalizePaste(input.slice(i + PASTE_START.length, end)) })
      i = end + PASTE_END.length
      continue
    }
    if (char === '\u001b') {
      flush()
      const [key, length] = escapeSequence(input, i)
      if (key) keys.push(key)
      i += length
      continue
    }
    const control = CONTROL[char]
    if (control) {
      flush()
      keys.push({ name: control })
      i++
      continue
    }
    // Other control characters are dropped rather than typed into the prompt.
    if (char >= ' ') text += char
    i++
  }
  flush()
  return { keys, pending: '' }
}

/** The key an escape sequence at `at` stands for (or none), and how many characters it used. */
function escapeSequence(input: string, at: number): [Key | undefined, number] {
  const next = input[at + 1]
  if (next === undefined) return [{ name: 'escape' }, 1]
  if (next === '\r' || next === '\n') return [{ name: 'newline' }, 2] // Alt+Enter
  if (next === '\u001b') return [{ name: 'escape' }, 1]
  if (next === 'b') return [{ name: 'word-left' }, 2] // Alt+B / Option+Left on macOS
  if (next === 'f') return [{ name: 'word-right' }, 2]
  if (next === '\u007f') return [{ name: 'ctrl-w' }, 2] // Alt+Backspace
  if (next === '[' || next === 'O') {
    const match = /^[\d;:?]*[\x40-\x7e]/.exec(input.slice(at + 2))
    if (!match) return [{ name: 'escape' }, 1]
    const body = match[0]
    return [csi(body), 2 + body.length]
  }
  // Alt+letter: not bound; the letter is not typed either.
  return [undefined, 2]
}

function csi(body: string): Key | undefined {
  const final = body.at(-1) as string
  const params = body.slice(0, -1).split(';')
  const modifiers = Number(params[1] ?? 1) - 1
  const shift = (modifiers & 1) !== 0
  const alt = (modifiers & 2) !== 0
  const ctrl = (modifiers & 4) !== 0
  if (final === 'u') return kitty(Number((params[0] ?? '').split(':')[0]), { shift, alt, ctrl })
  if (final === '~') {
    // xterm modifyOtherKeys: CSI 27;mods;code ~
    if (params[0] === '27' && params[2]) return kitty(Number(params[2]), { shift, alt, ctrl })
    const name = TILDE[params[0] ?? '']
    return name ? { name } : undefined
  }
  const name = CSI_FINAL[final]
  if (!name) return undefined
  if (ctrl && name === 'left') return { name: 'word-left' }
  if (ctrl && name === 'right') return { name: 'word-right' }
  return { name }
}

/** A key reported as a Unicode code point with modifiers (kitty keyboard protocol). */
function kitty(code: number, mods: { shift: boolean; alt: boolean; ctrl: boolean }): Key | undefined {
  if (!Number.isFinite(code)) return undefined
  if (code === 13) return mods.shift || mods.alt || mods.ctrl ? { name: 'newline' } : { name: 'enter' }
  if (code === 27) return { name: 'escape' }
  if (code === 9) return mods.shift ? { name: 'shift-tab' } : { name: 'tab' }
  if (code === 127) return mods.alt || mods.ctrl ? { name: 'ctrl-w' } : { name: 'backspace' }
  const char = String.fromCodePoint(code)
  if (mods.ctrl) {
    const name = CONTROL[String.fromCharCode(char.toLowerCase().charCodeAt(0) & 0x1f)]
    return name ? { name } : undefined
  }
  if (mods.alt) return undefined
  return { name: 'text', text: mods.shift ? char.toUpperCase() : char }
}

/** A paste keeps its lines; CRLF and lone CR (what terminals send for a newline) become LF. */
function normalizePaste(text: string): string {
  return text.replace(/\r\n?/g, '\n')
}
