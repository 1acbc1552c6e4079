// The rules behind /undo and /redo in every chat, on hand-built session histories (the pty tests
// in cli-chat-undo, tui-chat and cli-remote drive them through the real CLI and server).
import { describe, expect, test } from 'vitest'
import {
  promptLabel,
  redoTarget,
  type SessionHistory,
  type TurnMessage,
  turnMessage,
  undoTarget,
} from '../src/session/turn-history.js'

const user = (id: number, text: string): TurnMessage => ({ id, role: 'user', prompt: text })
const reply = (id: number): TurnMessage => ({ id, role: 'assistant' })
const tool = (id: number): TurnMessage => ({ id, role: 'tool' })
const turn = (id: number, ...messages: Array<[number, number]>) => ({ id, kind: 'turn', messages })
const preRestore = (id: number, ...messages: Array<[number, number]>) => ({
  id,
  kind: 'pre_restore',
  messages,
})

// Two turns that changed files: "one" (messages 1–4, checkpoint 1 taken after its prompt) and "two"
// (messages 5–10, checkpoints 2 and 3: before each of its two steps that wrote).
const conversation = [
  user(1, 'one'),
  reply(2),
  tool(3),
  reply(4),
  user(5, 'two'),
  reply(6),
  tool(7),
  reply(8),
  tool(9),
  reply(10),
]
const checkpoints = [turn(3, [1, 8]), turn(2, [1, 5]), turn(1, [1, 1])]

describe('undoTarget', () => {
  test("the newest turn's first checkpoint, keeping the messages before its prompt", () => {
    expect(undoTarget({ checkpoints, messages: conversation })).toEqual({
      checkpoint: 2,
      keep: 4,
      prompt: 'two',
    })
  })

  test('a turn whose messages are no longer all in the conversation is skipped', () => {
    // After undoing "two": messages 1–4 only.
    const history = { checkpoints, messages: conversation.slice(0, 4) }
    expect(undoTarget(history)).toEqual({ checkpoint: 1, keep: 0, prompt: 'one' })
    expect(undoTarget({ checkpoints, messages: [] })).toBeUndefined()
  })

  test('a compaction summary is not a prompt; later turns without files are cut with the undone one', () => {
    const messages = [...conversation.slice(0, 4), { id: 11, role: 'user' }, user(12, 'look only'), reply(13)]
    expect(undoTarget({ checkpoints: [turn(1, [1, 1])], messages })).toEqual({
      checkpoint: 1,
      keep: 0,
      prompt: 'one',
    })
    const summary = turnMessage({ id: 11, role: 'user', parts: [{ type: 'summary', text: 'earlier…' }] })
    expect(summary.prompt).toBeUndefined()
    expect(turnMessage({ id: 5, role: 'user', parts: [{ type: 'text', text: 'two' }] }).prompt).toBe('two')
  })

  test('manual and pre_restore checkpoints are not turns', () => {
    const history = {
      checkpoints: [{ id: 9, kind: 'manual', messages: [[1, 4]] as const }],
      messages: conversation,
    }
    expect(undoTarget(history as SessionHistory)).toBeUndefined()
  })
})

describe('redoTarget', () => {
  test('the newest pre_restore checkpoint whose conversation goes on from the current one', () => {
    // Undid "two" (pre_restore 4 holds all ten), then "one" (pre_restore 5 holds the first four).
    const all = [...checkpoints, preRestore(4, [1, 10]), preRestore(5, [1, 4])]
    expect(redoTarget({ checkpoints: all, messages: [] })).toBe(5)
    // Redone "one": the conversation is 1–4 again; next comes "two".
    expect(redoTarget({ checkpoints: all, messages: conversation.slice(0, 4) })).toBe(4)
    expect(redoTarget({ checkpoints: all, messages: conversation })).toBeUndefined()
  })

  test('a new prompt after an undo: nothing to redo', () => {
    const all = [...checkpoints, preRestore(4, [1, 10])]
    const messages = [...conversation.slice(0, 4), user(11, 'something else'), reply(12)]
    expect(redoTarget({ checkpoints: all, messages })).toBeUndefined()
  })
})

describe('promptLabel', () => {
  test('the prompt as typed: one line, without attached files or the commands run with !', () => {
    expect(promptLabel('fix it\n\nAttached by the user:\n<file path="a.ts">\nx\n</file>')).toBe('fix it')
    expect(promptLabel('I ran this command myself (exit code 0):\n$ ls\na\n\nnow fix   the\ntests')).toBe(
      'now fix the tests',
    )
    expect(promptLabel('x'.repeat(100))).toHaveLength(60)
  })
})
