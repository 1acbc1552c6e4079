/**
 * The chat UI, driven as a person drives it: the real `penguin` binary in a pseudo-terminal, keys
 * typed, and the screen (rendered by a headless xterm) read back. This file: a turn (streaming,
 * permission asks, modes, undo); tui-chat-input.test.ts: the prompt and the screen itself.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { createGate } from '@penguin-ai/mock-llm'
import { describe, expect, test } from 'vitest'
import { makeRepo } from './cli-helpers.js'
import { useChatUi } from './tui-chat-setup.js'
import { KEYS } from './tui-terminal.js'

const ui = useChatUi()

describe('penguin chat UI', () => {
  test('streams rendered Markdown with a status line, and exits on Ctrl-D', async () => {
    const gate = createGate()
    await ui.start({
      script: [
        {
          text: '# Plan\n\nFirst **bold** part.\n\nThen `code`:\n\n```ts\nconst answer = 42\n```\nAll done.',
          holdUntil: gate.promise,
          holdAfterChunks: 3,
        },
      ],
    })
    const repo = await makeRepo({})
    const t = await ui.chat(repo)
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

describe('penguin chat UI: permissions', () => {
  test('shows the numbered diff before an edit is approved; yes writes it', async () => {
    await ui.start({
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
    const t = await ui.chat(repo)
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
    await ui.start({
      script: [
        { toolCalls: [{ name: 'run_command', arguments: { command: 'rm -rf build && make all' } }] },
        { text: 'Understood, I will not clean.' },
      ],
    })
    const repo = await makeRepo({ Makefile: 'all:\n\techo hi\n' })
    // Without the sandbox, where commands are asked about (in it they run without asking).
    const t = await ui.chat(repo, {}, ['--sandbox', 'off'])
    t.type(`build it${KEYS.enter}`)
    await t.waitFor('[a] always (this session)')
    expect(t.text()).toContain('rm -rf build && make all')
    expect(t.text()).toContain(`command, in . (${repo})`)
    t.type('n')
    await t.waitFor('Tell the agent why')
    t.type(`keep the build folder${KEYS.enter}`)
    await t.waitFor('Understood, I will not clean.')
    expect(ui.toolResults(1).join('\n')).toContain(
      'The user declined this call and said: keep the build folder',
    )
    t.type(KEYS.ctrlD)
    expect(await t.exited).toBe(0)
  })

  test('always in this workspace writes the rule to the workspace config', async () => {
    await ui.start({
      script: [
        { toolCalls: [{ name: 'run_command', arguments: { command: 'echo one' } }] },
        { text: 'Ran it.' },
      ],
    })
    const repo = await makeRepo({})
    // Without the sandbox, where commands are asked about (in it they run without asking).
    const t = await ui.chat(repo, {}, ['--sandbox', 'off'])
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

describe('penguin chat UI: modes and undo', () => {
  test('Shift+Tab into plan mode: an edit is refused, the plan can be accepted', async () => {
    await ui.start({
      script: [
        { toolCalls: [{ name: 'write_file', arguments: { path: 'new.txt', content: 'x' } }] },
        { text: '1. Create new.txt' },
        { text: 'Building now.' },
      ],
    })
    const repo = await makeRepo({})
    const t = await ui.chat(repo)
    t.type(KEYS.shiftTab)
    await t.waitFor('auto-accept edits')
    t.type(KEYS.shiftTab)
    await t.waitFor('plan mode')
    t.type(`make new.txt${KEYS.enter}`)
    await t.waitFor('Accept this plan and start building?')
    expect(t.text()).toMatch(/✗ write_file/)
    expect(ui.toolResults(1).join('\n')).toContain('plan mode is on')
    expect(ui.userTexts(0)[0]).toMatch(/^make new.txt\n/)
    expect(() => readFileSync(join(repo, 'new.txt'))).toThrow()
    t.type('y')
    await t.waitFor('Building now.')
    expect(ui.userTexts(2).at(-1)).toContain('The user accepted the plan')
    expect(t.screen().join('\n')).toContain('ask before edits')
    t.type(KEYS.ctrlD)
    expect(await t.exited).toBe(0)
  })

  test('/undo reverts the last turn that changed files, /redo brings it back, /diff shows the session', async () => {
    const mock = await ui.start({
      script: [
        { toolCalls: [{ name: 'write_file', arguments: { path: 'notes.txt', content: 'v2\n' } }] },
        { text: 'Wrote v2.' },
        { toolCalls: [{ name: 'write_file', arguments: { path: 'notes.txt', content: 'v3\n' } }] },
        { text: 'Wrote v3.' },
        { text: 'It says v2.' },
      ],
    })
    const repo = await makeRepo({ 'notes.txt': 'v1\n' })
    const t = await ui.chat(repo, { PENGUIN_HOME: await makeRepo({}, 'penguin-data-') })
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
    const [, , , , next] = await mock.waitForRequests(5)
    expect(ui.userTexts(4)).toEqual(['write v2', 'what does it say now?'])
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
    await ui.start({
      script: [
        { toolCalls: [{ name: 'write_file', arguments: { path: 'notes.txt', content: 'v2\n' } }] },
        { text: 'Wrote v2.' },
        { text: 'Nothing to change.' },
      ],
    })
    const repo = await makeRepo({ 'notes.txt': 'v1\n' })
    const data = { PENGUIN_HOME: await makeRepo({}, 'penguin-data-') }
    const first = await ui.chat(repo, data)
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

    const t = await ui.chat(repo, data, ['--continue'])
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
