/**
 * The chat UI's prompt and screen, driven through a real pseudo-terminal: multi-line input and
 * paste, Esc, history and completion, `!command`, follow-ups typed during a turn, narrow and
 * colourless terminals, resizing, wide characters. Turns themselves: tui-chat.test.ts.
 */
import { createGate } from '@penguin-ai/mock-llm'
import { describe, expect, test } from 'vitest'
import { makeRepo } from './cli-helpers.js'
import { KEY, useChatUi } from './tui-chat-setup.js'
import { KEYS, occurrences } from './tui-terminal.js'

const ui = useChatUi()

describe('penguin chat UI: input', () => {
  test('a multi-line paste is one prompt; Alt+Enter and Shift+Enter add lines', async () => {
    const mock = await ui.start({ script: [{ text: 'Got all of it.' }, { text: 'And that.' }] })
    const repo = await makeRepo({})
    const t = await ui.chat(repo)
    t.type(KEYS.paste('first line\nsecond line\r\nthird line'))
    await t.waitFor('third line')
    t.type(KEYS.enter)
    await t.waitFor('Got all of it.')
    await mock.waitForRequests(1)
    expect(ui.userTexts(0)).toEqual(['first line\nsecond line\nthird line'])
    t.type(`one${KEYS.altEnter}two${KEYS.shiftEnter}three${KEYS.enter}`)
    await t.waitFor('And that.')
    expect(ui.userTexts(1).at(-1)).toBe('one\ntwo\nthree')
    expect(mock.requests).toHaveLength(2)
    t.type(KEYS.ctrlD)
    expect(await t.exited).toBe(0)
  })

  test('Esc interrupts a streaming answer; the chat goes on', async () => {
    const gate = createGate()
    const mock = await ui.start({
      script: [
        {
          text: 'This answer is long and never finishes on its own.',
          holdUntil: gate.promise,
          holdAfterChunks: 2,
        },
        { text: 'Second answer.' },
      ],
    })
    const repo = await makeRepo({})
    const t = await ui.chat(repo)
    t.type(`start${KEYS.enter}`)
    await t.waitFor(/(thinking|responding) \d+s/)
    await mock.waitForRequests(1)
    t.type(KEYS.esc)
    await t.waitFor('■ interrupted')
    gate.open()
    t.type(`again${KEYS.enter}`)
    await t.waitFor('Second answer.')
    t.type(KEYS.ctrlD)
    expect(await t.exited).toBe(0)
  })

  test('history survives the chat, per workspace; / and @ complete; @path attaches the file', async () => {
    const mock = await ui.start({ script: [{ text: 'Read it.' }, { text: 'Again.' }] })
    const repo = await makeRepo({ 'src/notes-file.md': 'the secret word is walrus\n' })
    const home = await makeRepo({}, 'penguin-home-')
    const args = ['--model', 'openai/gpt-4o', '--base-url', mock.url, '--cwd', repo]
    const env = { ...KEY, NO_COLOR: undefined }
    let t = await ui.terminal(args, { env, home })
    await t.waitFor('shift+tab: mode')
    t.type('/und')
    await t.waitFor('revert the last turn that changed files')
    t.type(KEYS.ctrlC) // clears the prompt
    t.type('what is in @src/no')
    await t.waitFor('@src/notes-file.md')
    t.type(KEYS.tab)
    t.type(`?${KEYS.enter}`)
    await t.waitFor('attached src/notes-file.md')
    await t.waitFor('Read it.')
    expect(ui.userTexts(0)[0]).toContain('what is in @src/notes-file.md ?')
    expect(ui.userTexts(0)[0]).toContain('the secret word is walrus')
    t.type(KEYS.ctrlD)
    expect(await t.exited).toBe(0)

    t = await ui.terminal(args, { env, home })
    await t.waitFor('shift+tab: mode')
    expect(t.text()).not.toContain('notes-file')
    t.type(KEYS.up)
    await t.waitFor('› what is in @src/notes-file.md ?')
    t.type(KEYS.ctrlC + KEYS.ctrlD)
    expect(await t.exited).toBe(0)
  })

  test('!command runs in the workspace and the agent sees it with the next message', async () => {
    await ui.start({ script: [{ text: 'I see the listing.' }] })
    const repo = await makeRepo({ 'alpha.txt': 'a' })
    const t = await ui.chat(repo)
    t.type(`!ls${KEYS.enter}`)
    await t.waitFor('the agent sees this with your next message')
    expect(t.text()).toContain('│ alpha.txt')
    t.type(`what files?${KEYS.enter}`)
    await t.waitFor('I see the listing.')
    expect(ui.userTexts(0)[0]).toContain('$ ls\nalpha.txt')
    expect(ui.userTexts(0)[0]).toContain('what files?')
    t.type(KEYS.ctrlD)
    expect(await t.exited).toBe(0)
  })

  test('Enter during a turn steers it: read right after the tool calls it is running; Tab queues a follow-up for when it stops', async () => {
    const gate = createGate()
    const mock = await ui.start({
      script: [
        { toolCalls: [{ name: 'list_files', arguments: {} }], holdUntil: gate.promise },
        { text: 'Steered: only the readme.' },
        { text: 'Follow-up handled.' },
      ],
    })
    const repo = await makeRepo({ 'README.md': '# r\n' })
    const t = await ui.chat(repo)
    t.type(`look around${KEYS.enter}`)
    await mock.waitForRequests(1)
    await t.waitFor(/thinking \d+s/)
    t.type(`only the readme${KEYS.enter}`)
    await t.waitFor('↳ steering: only the readme')
    t.type(`then say bye${KEYS.tab}`)
    await t.waitFor('↳ follow-up: then say bye')
    expect(t.text()).toContain('2 queued')
    expect(mock.requests).toHaveLength(1)
    gate.open()
    await t.waitFor('Follow-up handled.')
    // The steer went in right after the tool's result, the follow-up after the answer.
    expect(ui.userTexts(1)).toEqual(['look around', 'only the readme'])
    expect(ui.toolResults(1)).toHaveLength(1)
    expect(ui.userTexts(2)).toEqual(['look around', 'only the readme', 'then say bye'])
    const shown = t.text()
    expect(shown).toContain('› only the readme · read before its next step')
    expect(shown).toContain('› then say bye · follow-up')
    expect(shown).not.toContain('↳ steering')
    expect(mock.requests).toHaveLength(3)
    t.type(KEYS.ctrlD)
    expect(await t.exited).toBe(0)
  })

  test('a /command typed during a turn waits for the turn to end', async () => {
    const gate = createGate()
    const mock = await ui.start({
      script: [{ text: 'Working on it.', holdUntil: gate.promise, holdAfterChunks: 2 }],
    })
    const repo = await makeRepo({})
    const t = await ui.chat(repo)
    t.type(`first${KEYS.enter}`)
    await mock.waitForRequests(1)
    await t.waitFor(/(thinking|responding) \d+s/)
    t.type(`/mode plan${KEYS.enter}`)
    await t.waitFor('↳ queued: /mode plan')
    gate.open()
    await t.waitFor('Mode: plan')
    expect(mock.requests).toHaveLength(1)
    t.type(KEYS.ctrlD)
    expect(await t.exited).toBe(0)
  })
})

describe('penguin chat UI: narrow and colourless', () => {
  test('80 columns with NO_COLOR: no colour codes, nothing wider than the screen', async () => {
    const long =
      'This paragraph is deliberately much longer than eighty columns so that the renderer must wrap it at word boundaries.'
    await ui.start({
      script: [
        { toolCalls: [{ name: 'run_command', arguments: { command: `echo ${'x'.repeat(150)}` } }] },
        {
          text: `${long}\n\n- a list item that is also long enough to need wrapping under its own bullet point, surely\n\n\`\`\`js\nconst a = "${'y'.repeat(100)}"\n\`\`\``,
        },
      ],
    })
    const repo = await makeRepo({})
    // Without the sandbox, so the command's ask (its preview at 80 columns) is shown.
    const t = await ui.chat(repo, { NO_COLOR: '1' }, ['--sandbox', 'off'])
    t.type(`go${KEYS.enter}`)
    await t.waitFor('[a] always (this session)')
    t.type('y')
    await t.waitFor('✓ done')
    expect(t.raw()).not.toMatch(new RegExp(`${'\u001b'}\\[(1|2|3|4|7|3\\d|9\\d)m`))
    expect(t.wrappedRows()).toEqual([])
    expect(t.text()).toContain('deliberately much longer')
    expect(t.text()).toMatch(/• a list item/)
    t.type(KEYS.ctrlD)
    expect(await t.exited).toBe(0)
  })
})

describe('penguin chat UI: resizing and wide characters', () => {
  test('a narrower or wider window redraws the live area cleanly, with nothing left behind', async () => {
    await ui.start({ script: [] })
    const repo = await makeRepo({})
    const t = await ui.chat(repo, {}, [], { columns: 100, rows: 20 })
    const typed = 'The quick brown fox jumps over the lazy dog while the window is resized under it'
    t.type(typed)
    await t.waitFor('resized under it')
    const screen = () => t.screen().join('\n')
    const once = () => {
      expect(occurrences(screen(), 'The quick brown fox'), screen()).toBe(1)
      expect(occurrences(screen(), 'ask before edits'), screen()).toBe(1)
      // What was printed above the live area is still there, whole.
      expect(occurrences(screen(), 'Penguin · '), screen()).toBe(1)
      expect(occurrences(screen(), '!shell'), screen()).toBe(1)
    }
    once()
    // The terminal re-wraps the old rows first (the status line too, here); the redraw must clear
    // all of them, wherever the terminal left the cursor.
    t.resize(40, 20)
    await t.until(
      () => t.screen().some((row) => row.startsWith('› The quick') && row.length <= 39),
      'the prompt redrawn at 40 columns',
    )
    once()
    // The live area is the bottom of what is shown: prompt rows, then the status line.
    expect(screen().trimEnd()).toMatch(/› The quick[^›]*\n {2}der it\n.*ask before edits$/)
    t.resize(100, 20)
    await t.until(
      () => t.screen().some((row) => row.startsWith('› The quick') && row.includes('resized under it')),
      'the prompt redrawn on one row at 100 columns',
    )
    once()
    // Still a working prompt: the cursor is at the end of what was typed.
    expect(t.cursor().column).toBe(2 + typed.length)
    t.type(`\u0015${KEYS.ctrlD}`) // Ctrl+U empties the prompt; Ctrl-D on an empty prompt exits
    expect(await t.exited).toBe(0)
  })

  test('CJK and emoji: the cursor sits after the wide characters, and they wrap by their width', async () => {
    await ui.start({ script: [] })
    const repo = await makeRepo({})
    const t = await ui.chat(repo, {}, [], { columns: 40, rows: 20 })
    t.type('日本語のテキストab👍')
    await t.waitFor('日本語のテキストab👍')
    const inputRow = () => t.screen()[t.cursor().row] ?? ''
    // Two columns each for the eight CJK characters and the emoji.
    await t.until(() => t.cursor().column === 2 + 16 + 2 + 2, 'the cursor after the emoji')
    expect(inputRow()).toContain('› 日本語')
    t.type('\u001b[D\u001b[D') // Left twice: over the emoji (one step), then over "b"
    await t.until(() => t.cursor().column === 2 + 16 + 1, 'the cursor between a and b')
    t.type('X')
    await t.waitFor('日本語のテキストaXb👍')
    t.type('\u007f\u007f\u0005\u007f') // Backspace twice, End, Backspace: the emoji goes whole
    await t.until(() => /› 日本語のテキストb\s*$/.test(inputRow()), 'only "b" left after the CJK text')
    expect(t.cursor().column).toBe(2 + 16 + 1)
    // 20 CJK characters at 40 columns: rows of 37 columns after the prompt hold 18 of them; the
    // terminal never has to split one.
    t.type('\u0015') // Ctrl+U: empty the line
    t.type('一二三四五六七八九十一二三四五六七八九十')
    await t.waitFor('一二三四五六七八九十一二三四五六七八\n')
    expect(t.wrappedRows()).toEqual([])
    await t.until(
      () => t.cursor().column === 2 + 2 * 2,
      'the cursor after the last two characters, on the second row',
    )
    expect(inputRow().trim()).toBe('九十')
    t.type(`\u0015${KEYS.ctrlD}`) // Ctrl+U empties the prompt; Ctrl-D on an empty prompt exits
    expect(await t.exited).toBe(0)
  })
})
