/**
 * The prompt at the bottom of the chat: the multi-line editor, what each key does to it, history
 * (Up/Down past the first or last line), completion of `/commands` and `@paths`, and Ctrl-C's
 * "press again to exit". Which keys mean "send", "interrupt" or "leave" is decided here; what
 * happens then is the chat's (InputHost).
 */
import { cut } from '@penguin-ai/tools/details'
import type { Painter } from '../render/paint.js'
import type { Style } from './ansi.js'
import { commandSuggestions, completionOf, pathSuggestions, type Suggestion } from './completion.js'
import * as edit from './editor.js'
import type { PromptHistory } from './history.js'
import type { Key } from './keys.js'

/** What the prompt asks of the chat around it. */
export interface InputHost {
  /** Whether something the person can stop (a turn, a command) is running. */
  readonly working: boolean
  readonly history: PromptHistory
  /** Where `@path` completion looks. */
  readonly workspace: string
  /** Enter on a non-empty prompt (the editor is already cleared); while working, it steers. */
  submit(text: string): void
  /** Tab on a non-empty prompt while working, with nothing to complete: a follow-up. */
  followUp(text: string): void
  /** Esc or Ctrl-C while working. */
  interrupt(): void
  /** Ctrl-D on an empty prompt. */
  quit(): void
  /** Ctrl-C twice while idle. */
  exit(): void
  /** Shift+Tab. */
  nextMode(): void
  /** Ctrl-O: the last tool call in full. */
  expand(): void
  /** Ctrl-L. */
  clearScreen(): void
}

const SHOWN_SUGGESTIONS = 8

export class PromptInput {
  private editor: edit.EditorState = edit.EMPTY
  private suggestions: Suggestion[] = []
  private lastCtrlC = 0
  /** A one-line hint under the prompt until the next key ("Press Ctrl-C again to exit"). */
  private notice: string | undefined

  constructor(private readonly host: InputHost) {}

  key(key: Key): void {
    if (key.name !== 'ctrl-c') this.lastCtrlC = 0
    this.notice = undefined
    switch (key.name) {
      case 'ctrl-c':
        this.ctrlC()
        break
      case 'escape':
        if (this.host.working) this.host.interrupt()
        else if (this.suggestions.length) this.suggestions = []
        break
      case 'ctrl-d':
        if (this.editor.text) this.editor = edit.deleteForward(this.editor)
        else this.host.quit()
        break
      case 'shift-tab':
        this.host.nextMode()
        break
      case 'enter':
        if (this.editor.text.slice(0, this.editor.cursor).endsWith('\\')) {
          this.editor = edit.insert(edit.backspace(this.editor), '\n')
        } else {
          this.submit()
        }
        break
      case 'newline':
        this.editor = edit.insert(this.editor, '\n')
        break
      case 'paste':
        this.editor = edit.insert(this.editor, key.text)
        break
      case 'text':
        this.editor = edit.insert(this.editor, key.text)
        break
      case 'tab':
        if (!this.complete() && this.host.working) this.submit((text) => this.host.followUp(text))
        break
      case 'up': {
        const moved = edit.up(this.editor)
        if (moved) this.editor = moved
        else {
          const previous = this.host.history.previous(this.editor.text)
          if (previous !== undefined) this.editor = edit.replaceAll(previous)
        }
        break
      }
      case 'down': {
        const moved = edit.down(this.editor)
        if (moved) this.editor = moved
        else {
          const next = this.host.history.next()
          if (next !== undefined) this.editor = edit.replaceAll(next)
        }
        break
      }
      case 'ctrl-o':
        this.host.expand()
        break
      case 'ctrl-l':
        this.host.clearScreen()
        break
      default:
        this.editor = editKey(this.editor, key.name)
    }
    this.suggest()
  }

  /** The prompt's rows (editor, suggestions, notice) and where the cursor sits among them. */
  rows(
    width: number,
    style: Style,
    paint: Painter,
  ): { rows: string[]; cursor: { row: number; column: number } } {
    const laid = edit.layout(this.editor, style.bold('› '), 2, width)
    const rows = [...laid.rows]
    for (const suggestion of this.suggestions.slice(0, SHOWN_SUGGESTIONS)) {
      const help = suggestion.help ? `  ${paint.dim(suggestion.help)}` : ''
      rows.push(cut(`  ${style.cyan(suggestion.label)}${help}`, width + 20))
    }
    if (this.suggestions.length > SHOWN_SUGGESTIONS)
      rows.push(paint.dim(`  … ${this.suggestions.length - SHOWN_SUGGESTIONS} more`))
    return { rows, cursor: { row: laid.cursorRow, column: laid.cursorColumn } }
  }

  /** Shown under a question too, so it is kept apart from `rows`. */
  noticeRow(paint: Painter): string | undefined {
    return this.notice === undefined ? undefined : paint.dim(this.notice)
  }

  /** A key that went to a question instead: it still ends "press Ctrl-C again" and the notice. */
  keyElsewhere(key: Key): void {
    if (key.name !== 'ctrl-c') this.lastCtrlC = 0
    this.notice = undefined
  }

  private submit(to: (text: string) => void = (text) => this.host.submit(text)): void {
    const text = this.editor.text
    if (!text.trim()) return
    this.editor = edit.EMPTY
    this.suggestions = []
    to(text)
  }

  private ctrlC(): void {
    if (this.host.working) {
      this.host.interrupt()
      this.lastCtrlC = Date.now()
      return
    }
    if (this.editor.text) {
      this.editor = edit.EMPTY
      return
    }
    if (this.lastCtrlC && Date.now() - this.lastCtrlC < 2000) {
      this.host.exit()
      return
    }
    this.lastCtrlC = Date.now()
    this.notice = 'Press Ctrl-C again to exit (or /exit).'
  }

  private suggest(): void {
    const { word, start } = edit.currentWord(this.editor)
    if (word.startsWith('/') && start === 0) this.suggestions = commandSuggestions(word)
    else if (word.startsWith('@')) this.suggestions = pathSuggestions(word, this.host.workspace)
    else this.suggestions = []
    if (this.suggestions.length === 1 && this.suggestions[0]?.value === word) this.suggestions = []
  }

  /** Completes the word at the cursor; false when there is nothing to complete. */
  private complete(): boolean {
    const { word, start } = edit.currentWord(this.editor)
    const completion = completionOf(word, this.suggestions)
    if (completion) this.editor = edit.replaceWord(this.editor, start, completion)
    return completion !== undefined
  }
}

function editKey(state: edit.EditorState, name: Key['name']): edit.EditorState {
  switch (name) {
    case 'backspace':
      return edit.backspace(state)
    case 'delete':
      return edit.deleteForward(state)
    case 'left':
      return edit.left(state)
    case 'right':
      return edit.right(state)
    case 'word-left':
      return edit.wordLeft(state)
    case 'word-right':
      return edit.wordRight(state)
    case 'home':
    case 'ctrl-a':
      return edit.home(state)
    case 'end':
    case 'ctrl-e':
      return edit.end(state)
    case 'ctrl-u':
      return edit.killLineBack(state)
    case 'ctrl-k':
      return edit.killLineForward(state)
    case 'ctrl-w':
      return edit.deleteWordBack(state)
    default:
      return state
  }
}
