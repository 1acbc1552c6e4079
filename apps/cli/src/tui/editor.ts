/**
 * The prompt being typed: text with newlines and a cursor, edited by keys. Pure state in, state out,
 * so every keystroke is testable without a terminal.
 */
export interface EditorState {
  text: string
  /** Offset into `text` (UTF-16 units, always on a code point boundary). */
  cursor: number
}

export const EMPTY: EditorState = { text: '', cursor: 0 }

export function insert(state: EditorState, text: string): EditorState {
  return {
    text: state.text.slice(0, state.cursor) + text + state.text.slice(state.cursor),
    cursor: state.cursor + text.length,
  }
}

export function backspace(state: EditorState): EditorState {
  if (state.cursor === 0) return state
  const before = [...state.text.slice(0, state.cursor)]
  const removed = before.pop() ?? ''
  return {
    text: before.join('') + state.text.slice(state.cursor),
    cursor: state.cursor - removed.length,
  }
}

export function deleteForward(state: EditorState): EditorState {
  if (state.cursor >= state.text.length) return state
  const after = [...state.text.slice(state.cursor)]
  after.shift()
  return { text: state.text.slice(0, state.cursor) + after.join(''), cursor: state.cursor }
}

export function left(state: EditorState): EditorState {
  const before = [...state.text.slice(0, state.cursor)]
  return { ...state, cursor: state.cursor - (before.at(-1)?.length ?? 0) }
}

export function right(state: EditorState): EditorState {
  const next = [...state.text.slice(state.cursor)][0]
  return { ...state, cursor: state.cursor + (next?.length ?? 0) }
}

export function wordLeft(state: EditorState): EditorState {
  const match = /\S*\s*$/.exec(state.text.slice(0, state.cursor))
  return { ...state, cursor: state.cursor - (match?.[0].length ?? 0) }
}

export function wordRight(state: EditorState): EditorState {
  const match = /^\s*\S*/.exec(state.text.slice(state.cursor))
  return { ...state, cursor: state.cursor + (match?.[0].length ?? 0) }
}

/** Ctrl+W: the word before the cursor goes. */
export function deleteWordBack(state: EditorState): EditorState {
  const moved = wordLeft(state)
  return { text: state.text.slice(0, moved.cursor) + state.text.slice(state.cursor), cursor: moved.cursor }
}

const lineStart = (state: EditorState) => state.text.lastIndexOf('\n', state.cursor - 1) + 1
const lineEnd = (state: EditorState) => {
  const end = state.text.indexOf('\n', state.cursor)
  return end === -1 ? state.text.length : end
}

export const home = (state: EditorState): EditorState => ({ ...state, cursor: lineStart(state) })
export const end = (state: EditorState): EditorState => ({ ...state, cursor: lineEnd(state) })

/** Ctrl+U: the line up to the cursor goes. */
export function killLineBack(state: EditorState): EditorState {
  const start = lineStart(state)
  return { text: state.text.slice(0, start) + state.text.slice(state.cursor), cursor: start }
}

/** Ctrl+K: the line after the cursor goes. */
export function killLineForward(state: EditorState): EditorState {
  return { text: state.text.slice(0, state.cursor) + state.text.slice(lineEnd(state)), cursor: state.cursor }
}

/** Up within a multi-line prompt; undefined on its first line (history takes over). */
export function up(state: EditorState): EditorState | undefined {
  const start = lineStart(state)
  if (start === 0) return undefined
  const column = state.cursor - start
  const previousStart = state.text.lastIndexOf('\n', start - 2) + 1
  return { ...state, cursor: Math.min(previousStart + column, start - 1) }
}

/** Down within a multi-line prompt; undefined on its last line. */
export function down(state: EditorState): EditorState | undefined {
  const endOfLine = lineEnd(state)
  if (endOfLine === state.text.length) return undefined
  const column = state.cursor - lineStart(state)
  const nextEnd = state.text.indexOf('\n', endOfLine + 1)
  return { ...state, cursor: Math.min(endOfLine + 1 + column, nextEnd === -1 ? state.text.length : nextEnd) }
}

export function replaceAll(text: string): EditorState {
  return { text, cursor: text.length }
}

/** The word the cursor is at the end of (for completion): its start and text. */
export function currentWord(state: EditorState): { start: number; word: string } {
  const before = state.text.slice(0, state.cursor)
  const match = /\S*$/.exec(before)
  const word = match?.[0] ?? ''
  return { start: state.cursor - word.length, word }
}

/** Replaces the word before the cursor. */
export function replaceWord(state: EditorState, start: number, text: string): EditorState {
  return {
    text: state.text.slice(0, start) + text + state.text.slice(state.cursor),
    cursor: start + text.length,
  }
}

export interface EditorRows {
  rows: string[]
  cursorRow: number
  cursorColumn: number
}

/**
 * The prompt as terminal rows: the first line after `prompt`, the next ones indented as much,
 * wrapped at `width` columns; and where the cursor is. Control characters were never typed in
 * (the key parser drops them); tabs show as spaces.
 */
export function layout(state: EditorState, prompt: string, promptWidth: number, width: number): EditorRows {
  const indent = ' '.repeat(promptWidth)
  const columns = Math.max(10, width - promptWidth)
  const rows: string[] = []
  let cursorRow = 0
  let cursorColumn = promptWidth
  let offset = 0
  const lines = state.text.split('\n')
  lines.forEach((line, index) => {
    const chars = [...line.replace(/\t/g, ' ')]
    const lineRows = Math.max(1, Math.ceil(chars.length / columns) || 1)
    for (let r = 0; r < lineRows; r++) {
      const piece = chars.slice(r * columns, (r + 1) * columns).join('')
      rows.push(`${rows.length === 0 ? prompt : indent}${piece}`)
    }
    const lineEndOffset = offset + line.length
    if (state.cursor >= offset && state.cursor <= lineEndOffset) {
      const column = [...line.slice(0, state.cursor - offset)].length
      // At the very end of a full row the cursor goes to the start of the next one.
      const row = Math.floor(column / columns)
      cursorRow = rows.length - lineRows + row
      cursorColumn = promptWidth + (column - row * columns)
      if (row >= lineRows) rows.push(indent)
    }
    offset = lineEndOffset + (index < lines.length - 1 ? 1 : 0)
  })
  return { rows, cursorRow, cursorColumn }
}
