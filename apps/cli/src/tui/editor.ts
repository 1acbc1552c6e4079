import { graphemes, graphemeWidth } from './ansi.js'

/**
 * The prompt being typed: text with newlines and a cursor, edited by keys. Pure state in, state out,
 * so every keystroke is testable without a terminal.
 */
export interface EditorState {
  text: string
  /** Offset into `text` (UTF-16 units, on a grapheme boundary when moved by keys). */
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
  const before = graphemes(state.text.slice(0, state.cursor))
  const removed = before.pop() ?? ''
  return {
    text: before.join('') + state.text.slice(state.cursor),
    cursor: state.cursor - removed.length,
  }
}

export function deleteForward(state: EditorState): EditorState {
  if (state.cursor >= state.text.length) return state
  const after = graphemes(state.text.slice(state.cursor))
  after.shift()
  return { text: state.text.slice(0, state.cursor) + after.join(''), cursor: state.cursor }
}

export function left(state: EditorState): EditorState {
  const before = graphemes(state.text.slice(0, state.cursor))
  return { ...state, cursor: state.cursor - (before.at(-1)?.length ?? 0) }
}

export function right(state: EditorState): EditorState {
  const next = graphemes(state.text.slice(state.cursor))[0]
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

/** Up within a multi-line prompt (to the same screen column); undefined on its first line (history takes over). */
export function up(state: EditorState): EditorState | undefined {
  const start = lineStart(state)
  if (start === 0) return undefined
  const column = widthOf(state.text.slice(start, state.cursor))
  const previousStart = state.text.lastIndexOf('\n', start - 2) + 1
  return { ...state, cursor: previousStart + offsetAt(state.text.slice(previousStart, start - 1), column) }
}

/** Down within a multi-line prompt (to the same screen column); undefined on its last line. */
export function down(state: EditorState): EditorState | undefined {
  const endOfLine = lineEnd(state)
  if (endOfLine === state.text.length) return undefined
  const column = widthOf(state.text.slice(lineStart(state), state.cursor))
  const nextStart = endOfLine + 1
  const nextEnd = state.text.indexOf('\n', nextStart)
  const next = state.text.slice(nextStart, nextEnd === -1 ? state.text.length : nextEnd)
  return { ...state, cursor: nextStart + offsetAt(next, column) }
}

const widthOf = (text: string) => graphemes(text).reduce((sum, g) => sum + graphemeWidth(g), 0)

/** The offset in `line` of the last grapheme boundary at or before screen column `column`. */
function offsetAt(line: string, column: number): number {
  let offset = 0
  let used = 0
  for (const grapheme of graphemes(line)) {
    used += graphemeWidth(grapheme)
    if (used > column) break
    offset += grapheme.length
  }
  return offset
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
 * wrapped at `width` columns; and where the cursor is. Widths are terminal columns, not
 * characters: CJK and emoji take two, accents none, so the cursor sits where the terminal shows it.
 * Control characters were never typed in (the key parser drops them); tabs show as spaces.
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
    const wanted = state.cursor >= offset && state.cursor <= offset + line.length ? state.cursor - offset : -1
    const pieces: string[] = []
    let piece = ''
    let used = 0
    let at = 0
    let cursor: { row: number; column: number } | undefined
    for (const grapheme of graphemes(line.replace(/\t/g, ' '))) {
      const cells = graphemeWidth(grapheme)
      if (used + cells > columns && used > 0) {
        pieces.push(piece)
        piece = ''
        used = 0
      }
      if (!cursor && wanted >= 0 && at >= wanted) cursor = { row: pieces.length, column: used }
      piece += grapheme
      used += cells
      at += grapheme.length
    }
    if (!cursor && wanted >= 0) {
      // At the very end of a full row the cursor goes to the start of the next one.
      if (used >= columns) {
        pieces.push(piece)
        piece = ''
        used = 0
      }
      cursor = { row: pieces.length, column: used }
    }
    pieces.push(piece)
    if (cursor) {
      cursorRow = rows.length + cursor.row
      cursorColumn = promptWidth + cursor.column
    }
    for (const text of pieces) rows.push(`${rows.length === 0 ? prompt : indent}${text}`)
    offset += line.length + (index < lines.length - 1 ? 1 : 0)
  })
  return { rows, cursorRow, cursorColumn }
}
