/**
 * Questions asked in the live area while the conversation waits: a choice of keys (a permission
 * ask, "accept this plan?") or a line of text (why a call was refused). Each resolves once.
 */
import type { Style } from './ansi.js'
import * as edit from './editor.js'
import type { Key } from './keys.js'

export interface Question {
  /** Rows shown under the conversation, and where the cursor goes (a text question). */
  rows(width: number): { rows: string[]; cursor?: { row: number; column: number } }
  key(key: Key): void
  /** Settles it as cancelled (the run was interrupted). */
  cancel(): void
}

export interface Choice<T> {
  /** The key to press (one character). */
  key: string
  label: string
  value: T
}

/** A choice by one key; Esc and Ctrl-C pick `cancel`. Enter picks `enter` when given. */
export function choiceQuestion<T>(
  style: Style,
  title: string,
  choices: readonly Choice<T>[],
  cancel: T,
  done: (value: T, label: string) => void,
  enter?: T,
): Question {
  let settled = false
  const settle = (value: T, label: string) => {
    if (settled) return
    settled = true
    done(value, label)
  }
  return {
    rows: () => ({
      rows: [
        title,
        `  ${choices.map((choice) => `${style.bold(`[${choice.key}]`)} ${choice.label}`).join('  ')}`,
      ],
    }),
    key: (key) => {
      if (key.name === 'escape' || key.name === 'ctrl-c') {
        const match = choices.find((choice) => choice.value === cancel)
        settle(cancel, match?.label ?? 'cancelled')
        return
      }
      if (key.name === 'enter' && enter !== undefined) {
        const match = choices.find((choice) => choice.value === enter)
        settle(enter, match?.label ?? '')
        return
      }
      if (key.name !== 'text') return
      // Keys typed quickly arrive together ("yy"): the first one answers.
      const pressed = (key.text[0] ?? '').toLowerCase()
      const match = choices.find((choice) => choice.key === pressed)
      if (match) settle(match.value, match.label)
    },
    cancel: () => {
      const match = choices.find((choice) => choice.value === cancel)
      settle(cancel, match?.label ?? 'cancelled')
    },
  }
}

/** A line of text; Enter sends it (empty is fine), Esc sends nothing. */
export function textQuestion(
  style: Style,
  title: string,
  done: (text: string | undefined) => void,
): Question {
  let state = edit.EMPTY
  let settled = false
  const settle = (text: string | undefined) => {
    if (settled) return
    settled = true
    done(text)
  }
  return {
    rows: (width) => {
      const laid = edit.layout(state, style.bold('› '), 2, width)
      return { rows: [title, ...laid.rows], cursor: { row: laid.cursorRow + 1, column: laid.cursorColumn } }
    },
    key: (key) => {
      switch (key.name) {
        case 'enter':
          settle(state.text.trim())
          return
        case 'escape':
        case 'ctrl-c':
          settle(undefined)
          return
        case 'text':
          state = edit.insert(state, key.text)
          return
        case 'paste':
          state = edit.insert(state, key.text.replace(/\n/g, ' '))
          return
        case 'backspace':
          state = edit.backspace(state)
          return
        case 'left':
          state = edit.left(state)
          return
        case 'right':
          state = edit.right(state)
          return
        default:
          return
      }
    },
    cancel: () => settle(undefined),
  }
}
