/**
 * The chat UI, driven as a person drives it: the real `penguin` binary in a pseudo-terminal, keys
 * typed, and the screen (rendered by a headless xterm) read back.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { createGate, type MockServer, startMockServer } from '@penguin-ai/mock-llm'
import { afterEach, describe, expect, test } from 'vitest'
import { makeRepo } from './cli-helpers.js'
import { KEYS, occurrences, startTerminal, type TerminalSession } from './tui-terminal.js'

const KEY = { OPENAI_API_KEY: 'sk-test' }

let mock: MockServer | undefined
let session: TerminalSession | undefined
afterEach(async () => {
  session?.kill()
  session = undefined
  await mock?.close()
  mock = undefined
})

async function chat(
  repo: string,
  env: Record<string, string | undefined> = {},
  extra: string[] = [],
  size: { columns?: number; rows?: number } = {},
): Promise<TerminalSession> {
  if (!mock) throw new Error('start the mock first')
  session = await startTerminal(
    ['--model', 'openai/gpt-4o', '--base-url', mock.url, '--cwd', repo, ...extra],
    {
      env: { ...KEY, NO_COLOR: undefined, ...env },
      ...size,
    },
  )
  await session.waitFor((size.columns ?? 80) < 60 ? 'ask before edits' : 'shift+tab: mode')
  return session
}

describe('penguin chat UI', () => {
  test('streams rendered Markdown with a status line, and exits on Ctrl-D', async () => {
    const gate = createGate()
    mock = await startMockServer({
      script: [
        {
          text: '# Plan\n\nFirst **bold** part.\n\nThen `code`:\n\n```ts\nconst answer = 42\n```\nAll done.',
          holdUntil: gate.promise,
          holdAfterChunks: 3,
        },
      ],
    })
    const repo = await makeRepo({})
    const t = await chat(repo)
    t.type(`hello${KEYS.enter}`)
    // Part of the answer is on screen while the rest is still coming, under a working status line.
    await t.waitFor('Plan')
    await t.waitFor(/responding \d+s/)
    expect(t.text()).not.toContain('All done.')
    expect(t.text()).toContain('openai/gpt-4o')
    expect(t.text()).toContain('ask before edits')
    gate.open()
    await t.waitFor('✓ done')
    const shown = t.text()
    expect(shown).toContain('First bold part.')
    expect(shown).not.toContain('**')
    expect(shown).toContain('│ const answer = 42')
    expect(shown).toContain('╭ ts')
    expect(shown).toContain('All done.')
    // Colour is there (bold, the keyword highlighted), spelled as SGR codes in the raw output.
    expect(t.raw()).toContain('\u001b[1mbold\u001b[22m')
    expect(t.raw()).toContain('\u001b[35mconst\u001b[39m')
    t.type(KEYS.ctrlD)
    expect(await t.exited).toBe(0)
  })
})

/** The user messages the model received in request `index`, as text. */
function userTexts(index: number): string[] {
  const body = mock?.requests[index]?.body as { messages: Array<{ role: string; content: unknown }> }
  return body.messages
    .filter((message) => message.role === 'user')
    .map((message) =>
      typeof message.content === 'string'
        ? message.content
        : (message.content as Array<{ text?: string }>).map((part) => part.text ?? '').join(''),
    )
}

function toolResults(index: number): string[] {
  const body = mock?.requests[index]?.body as { messages: Array<{ role: string; content: unknown }> }
  return body.messages.filter((message) => message.role === 'tool').map((message) => String(message.content))
}

describe('penguin chat UI: permissions', () => {
  test('shows the numbered diff before an edit is approved; yes writes it', async () => {
    mock = await startMockServer({
      script: [
        {
          toolCalls: [
            { name: 'edit_file', arguments: { path: 'add.js', old_string: 'a - b', new_string: 'a + b' } },
          ],
        },
        { text: 'Fixed the sign.' },
      ],
    })
    const repo = await makeRepo({ 'add.js': 'export function add(a, b) {\n  return a - b\n}\n' })
    const t = await chat(repo)
    t.type(`fix add${KEYS.enter}`)
    await t.waitFor('[w] always in this workspace')
    const shown = t.text()
    expect(shown).toContain('Allow edit_file')
    expect(shown).toMatch(/modify add\.js \(\+1 -1\)/)
    expect(shown).toMatch(/2 - {3}return a - b/)
    expect(shown).toMatch(/2 \+ {3}return a \+ b/)
    // Nothing is written while the question is open.
    expect(readFileSync(join(repo, 'add.js'), 'utf8')).toContain('a - b')
    t.type('y')
    await t.waitFor('Fixed the sign.')
    await t.waitFor('✓ done')
    expect(readFileSync(join(repo, 'add.js'), 'utf8')).toContain('a + b')
    t.type(KEYS.ctrlD)
    expect(await t.exited).toBe(0)
  })

  test('no, with a message: the model reads why; the command shows whole, with its cwd', async () => {
    mock = await startMockServer({
      script: [
        { toolCalls: [{ name: 'run_command', arguments: { command: 'rm -rf build && make all' } }] },
        { text: 'Understood, I will not clean.' },
      ],
    })
    const repo = await makeRepo({ Makefile: 'all:\n\techo hi\n' })
    // Without the sandbox, where commands are asked about (in it they run without asking).
    const t = await chat(repo, {}, ['--sandbox', 'off'])
    t.type(`build it${KEYS.enter}`)
    await t.waitFor('[a] always (this session)')
    expect(t.text()).toContain('rm -rf build && make all')
    expect(t.text()).toContain(`command, in . (${repo})`)
    t.type('n')
    await t.waitFor('Tell the agent why')
    t.type(`keep the build folder${KEYS.enter}`)
    await t.waitFor('Understood, I will not clean.')
    expect(toolResults(1).join('\n')).toContain('The user declined this call and said: keep the build folder')
    t.type(KEYS.ctrlD)
    expect(await t.exited).toBe(0)
  })

  test('always in this workspace writes the rule to the workspace config', async () => {
    mock = await startMockServer({
      script: [
        { toolCalls: [{ name: 'run_command', arguments: { command: 'echo one' } }] },
        { text: 'Ran it.' },
      ],
    })
    const repo = await makeRepo({})
    // Without the sandbox, where commands are asked about (in it they run without asking).
    const t = await chat(repo, {}, ['--sandbox', 'off'])
    t.type(`run echo${KEYS.enter}`)
    await t.waitFor('[w] always in this workspace')
    t.type('w')
    await t.waitFor('Ran it.')
    await t.waitFor('.penguin/config.json')
    const config = JSON.parse(readFileSync(join(repo, '.penguin', 'config.json'), 'utf8'))
    expect(config.permissions).toEqual([{ tool: 'run_command', pattern: 'echo one', action: 'allow' }])
    t.type(KEYS.ctrlD)
    expect(await t.exited).toBe(0)
  })
})

describe('penguin chat UI: input', () => {
  test('a multi-line paste is one prompt; Alt+Enter and Shift+Enter add lines', async () => {
    mock = await startMockServer({ script: [{ text: 'Got all of it.' }, { text: 'And that.' }] })
    const repo = await makeRepo({})
    const t = await chat(repo)
    t.type(KEYS.paste('first line\nsecond line\r\nthird line'))
    await t.waitFor('third line')
    t.type(KEYS.enter)
    await t.waitFor('Got all of it.')
    await mock.waitForRequests(1)
    expect(userTexts(0)).toEqual(['first line\nsecond line\nthird line'])
    t.type(`one${KEYS.altEnter}two${KEYS.shiftEnter}three${KEYS.enter}`)
    await t.waitFor('And that.')
    expect(userTexts(1).at(-1)).toBe('one\ntwo\nthree')
    expect(mock.requests).toHaveLength(2)
    t.type(KEYS.ctrlD)
    expect(await t.exited).toBe(0)
  })

  test('Esc interrupts a streaming answer; the chat goes on', async () => {
    const gate = createGate()
    mock = await startMockServer({
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
    const t = await chat(repo)
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
    mock = await startMockServer({ script: [{ text: 'Read it.' }, { text: 'Again.' }] })
    const repo = await makeRepo({ 'src/notes-file.md': 'the secret word is walrus\n' })
    const home = await makeRepo({}, 'penguin-home-')
    const args = ['--model', 'openai/gpt-4o', '--base-url', mock.url, '--cwd', repo]
    const env = { ...KEY, NO_COLOR: undefined }
    let t = await startTerminal(args, { env, home })
    session = t
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
    expect(userTexts(0)[0]).toContain('what is in @src/notes-file.md ?')
    expect(userTexts(0)[0]).toContain('the secret word is walrus')
    t.type(KEYS.ctrlD)
    expect(await t.exited).toBe(0)

    t = await startTerminal(args, { env, home })
    session = t
    await t.waitFor('shift+tab: mode')
    expect(t.text()).not.toContain('notes-file')
    t.type(KEYS.up)
    await t.waitFor('› what is in @src/notes-file.md ?')
    t.type(KEYS.ctrlC + KEYS.ctrlD)
    expect(await t.exited).toBe(0)
  })

  test('!command runs in the workspace and the agent sees it with the next message', async () => {
    mock = await startMockServer({ script: [{ text: 'I see the listing.' }] })
    const repo = await makeRepo({ 'alpha.txt': 'a' })
    const t = await chat(repo)
    t.type(`!ls${KEYS.enter}`)
    await t.waitFor('the agent sees this with your next message')
    expect(t.text()).toContain('│ alpha.txt')
    t.type(`what files?${KEYS.enter}`)
    await t.waitFor('I see the listing.')
    expect(userTexts(0)[0]).toContain('$ ls\nalpha.txt')
    expect(userTexts(0)[0]).toContain('what files?')
    t.type(KEYS.ctrlD)
    expect(await t.exited).toBe(0)
  })

  test('typing during a turn queues a follow-up, sent when the model stops', async () => {
    const gate = createGate()
    mock = await startMockServer({
      script: [
        { text: 'Working on it.', holdUntil: gate.promise, holdAfterChunks: 2 },
        { text: 'Follow-up handled.' },
      ],
    })
    const repo = await makeRepo({})
    const t = await chat(repo)
    t.type(`first${KEYS.enter}`)
    await mock.waitForRequests(1)
    await t.waitFor(/(thinking|responding) \d+s/)
    t.type(`also this${KEYS.enter}`)
    await t.waitFor('↳ queued: also this')
    expect(mock.requests).toHaveLength(1)
    gate.open()
    await t.waitFor('Follow-up handled.')
    expect(userTexts(1).at(-1)).toBe('also this')
    t.type(KEYS.ctrlD)
    expect(await t.exited).toBe(0)
  })
})

describe('penguin chat UI: modes and undo', () => {
  test('Shift+Tab into plan mode: an edit is refused, the plan can be accepted', async () => {
    mock = await startMockServer({
      script: [
        { toolCalls: [{ name: 'write_file', arguments: { path: 'new.txt', content: 'x' } }] },
        { text: '1. Create new.txt' },
        { text: 'Building now.' },
      ],
    })
    const repo = await makeRepo({})
    const t = await chat(repo)
    t.type(KEYS.shiftTab)
    await t.waitFor('auto-accept edits')
    t.type(KEYS.shiftTab)
    await t.waitFor('plan mode')
    t.type(`make new.txt${KEYS.enter}`)
    await t.waitFor('Accept this plan and start building?')
    expect(t.text()).toMatch(/✗ write_file/)
    expect(toolResults(1).join('\n')).toContain('plan mode is on')
    expect(userTexts(0)[0]).toMatch(/^make new.txt\n/)
    expect(() => readFileSync(join(repo, 'new.txt'))).toThrow()
    t.type('y')
    await t.waitFor('Building now.')
    expect(userTexts(2).at(-1)).toContain('The user accepted the plan')
    expect(t.screen().join('\n')).toContain('ask before edits')
    t.type(KEYS.ctrlD)
    expect(await t.exited).toBe(0)
  })

  test('/undo reverts the last turn that changed files, /redo brings it back, /diff shows the session', async () => {
    mock = await startMockServer({
      script: [
        { toolCalls: [{ name: 'write_file', arguments: { path: 'notes.txt', content: 'v2\n' } }] },
        { text: 'Wrote v2.' },
        { toolCalls: [{ name: 'write_file', arguments: { path: 'notes.txt', content: 'v3\n' } }] },
        { text: 'Wrote v3.' },
        { text: 'It says v2.' },
      ],
    })
    const repo = await makeRepo({ 'notes.txt': 'v1\n' })
    const t = await chat(repo, { PENGUIN_HOME: await makeRepo({}, 'penguin-data-') })
    t.type(KEYS.shiftTab) // auto-accept edits
    t.type(`write v2${KEYS.enter}`)
    await t.waitFor('Wrote v2.')
    await t.waitFor('✓ done')
    // Accepted without asking: the diff is shown after the call instead.
    expect(t.text()).toMatch(/1 - v1\n\s+1 \+ v2/)
    t.type(`write v3${KEYS.enter}`)
    await t.waitFor('Wrote v3.')
    await t.waitFor('✓ done', { count: 2 })
    expect(readFileSync(join(repo, 'notes.txt'), 'utf8')).toBe('v3\n')
    t.type(`/diff${KEYS.enter}`)
    await t.waitFor(/^notes\.txt \(\+1 -1\)$/m)
    expect(t.text()).toMatch(/1 - v1/)
    expect(t.text()).toMatch(/1 \+ v3/)
    t.type(`/undo${KEYS.enter}`)
    await t.waitFor('Undid “write v3”')
    expect(readFileSync(join(repo, 'notes.txt'), 'utf8')).toBe('v2\n')
    // The whole turn goes, its prompt included: four messages (prompt, call, result, reply).
    expect(t.text()).toContain('conversation: 8 → 4 messages')
    t.type(`/undo${KEYS.enter}`)
    await t.waitFor('Undid “write v2”')
    expect(readFileSync(join(repo, 'notes.txt'), 'utf8')).toBe('v1\n')
    t.type(`/redo${KEYS.enter}`)
    await t.waitFor('Redid “write v2”')
    expect(readFileSync(join(repo, 'notes.txt'), 'utf8')).toBe('v2\n')
    // The next request: the redone turn is back, the undone one is nowhere in it.
    t.type(`what does it say now?${KEYS.enter}`)
    await t.waitFor('It says v2.')
    const [, , , , next] = await mock!.waitForRequests(5)
    expect(userTexts(4)).toEqual(['write v2', 'what does it say now?'])
    const sent = JSON.stringify(next!.body)
    expect(sent).toContain('Wrote v2.')
    expect(sent).not.toContain('write v3')
    expect(sent).not.toContain('Wrote v3.')
    const roles = (next!.body as { messages: Array<{ role: string }> }).messages.map((m) => m.role)
    expect(roles).toEqual(['system', 'user', 'assistant', 'tool', 'assistant', 'user'])
    t.type(KEYS.ctrlD)
    expect(await t.exited).toBe(0)
  })
})

describe('penguin chat UI: undo after a restart', () => {
  test("after --continue, /undo reverts the previous chat's last turn that changed files", async () => {
    mock = await startMockServer({
      script: [
        { toolCalls: [{ name: 'write_file', arguments: { path: 'notes.txt', content: 'v2\n' } }] },
        { text: 'Wrote v2.' },
        { text: 'Nothing to change.' },
      ],
    })
    const repo = await makeRepo({ 'notes.txt': 'v1\n' })
    const data = { PENGUIN_HOME: await makeRepo({}, 'penguin-data-') }
    const first = await chat(repo, data)
    first.type(KEYS.shiftTab) // auto-accept edits
    first.type(`write v2${KEYS.enter}`)
    await first.waitFor('Wrote v2.')
    await first.waitFor('✓ done')
    first.type(`just look${KEYS.enter}`)
    await first.waitFor('Nothing to change.')
    await first.waitFor('✓ done', { count: 2 })
    first.type(KEYS.ctrlD)
    expect(await first.exited).toBe(0)
    expect(readFileSync(join(repo, 'notes.txt'), 'utf8')).toBe('v2\n')

    const t = await chat(repo, data, ['--continue'])
    await t.waitFor('resumed')
    t.type(`/undo${KEYS.enter}`)
    await t.waitFor('Undid “write v2”')
    expect(readFileSync(join(repo, 'notes.txt'), 'utf8')).toBe('v1\n')
    // The later turn that changed nothing goes too: the conversation is back to before "write v2".
    expect(t.text()).toContain('conversation: 6 → 0 messages')
    t.type(`/redo${KEYS.enter}`)
    await t.waitFor('Redid “write v2”')
    expect(readFileSync(join(repo, 'notes.txt'), 'utf8')).toBe('v2\n')
    t.type(KEYS.ctrlD)
    expect(await t.exited).toBe(0)
  })
})

describe('penguin chat UI: narrow and colourless', () => {
  test('80 columns with NO_COLOR: no colour codes, nothing wider than the screen', async () => {
    const long =
      'This paragraph is deliberately much longer than eighty columns so that the renderer must wrap it at word boundaries.'
    mock = await startMockServer({
      script: [
        { toolCalls: [{ name: 'run_command', arguments: { command: `echo ${'x'.repeat(150)}` } }] },
        {
          text: `${long}\n\n- a list item that is also long enough to need wrapping under its own bullet point, surely\n\n\`\`\`js\nconst a = "${'y'.repeat(100)}"\n\`\`\``,
        },
      ],
    })
    const repo = await makeRepo({})
    // Without the sandbox, so the command's ask (its preview at 80 columns) is shown.
    const t = await chat(repo, { NO_COLOR: '1' }, ['--sandbox', 'off'])
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
    mock = await startMockServer({ script: [] })
    const repo = await makeRepo({})
    const t = await chat(repo, {}, [], { columns: 100, rows: 20 })
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
    mock = await startMockServer({ script: [] })
    const repo = await makeRepo({})
    const t = await chat(repo, {}, [], { columns: 40, rows: 20 })
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
