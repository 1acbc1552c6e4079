/**
 * `penguin run` at a terminal shows the same renderer as the chat: Markdown, a line per call, the
 * diff of an edit, a command's output tail while it runs, a status line, the summary. Driven in a
 * real pseudo-terminal and read off the screen.
 */
import { execFileSync } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { createGate } from '@penguin-ai/mock-llm'
import { describe, expect, test } from 'vitest'
import { makeRepo } from './cli-helpers.js'
import { useChatUi } from './tui-chat-setup.js'
import { KEYS } from './tui-terminal.js'

const ui = useChatUi()

describe('penguin run at a terminal', () => {
  test('Markdown, tool lines, an edit diff, a live command tail, the summary', async () => {
    const mock = await ui.start({
      script: [
        {
          text: 'Let me **check** first.',
          toolCalls: [
            {
              name: 'run_command',
              arguments: {
                command: "printf 'tail-%s\\n' one two; read go < gate.fifo; echo released",
              },
            },
          ],
        },
        { toolCalls: [{ name: 'write_file', arguments: { path: 'notes.txt', content: 'new\n' } }] },
        { text: '## Result\n\n- wrote `notes.txt`\n- all good' },
      ],
    })
    const repo = await makeRepo({ 'notes.txt': 'old\n' })
    execFileSync('mkfifo', [join(repo, 'gate.fifo')])
    const t = await ui.terminal(
      ['run', '--yes', '--model', 'openai/gpt-4o', '--base-url', mock.url, '--cwd', repo, 'tidy up'],
      { env: { OPENAI_API_KEY: 'sk-test', NO_COLOR: undefined } },
    )
    // While the command waits on the fifo, its output so far is on screen under it, with a status line.
    await t.waitFor('│ tail-two')
    const running = t.screen().join('\n')
    expect(running).toContain('⋯ run_command')
    expect(running).toMatch(/running run_command \d+s/)
    expect(running).toContain('│ tail-one')
    expect(t.text()).toContain('Let me check first.')
    writeFileSync(join(repo, 'gate.fifo'), 'go\n')
    await t.waitFor('✓ done')
    const shown = t.text()
    expect(shown).toMatch(/✓ run_command printf/)
    expect(shown).toContain('✓ write_file notes.txt (+1 -1)')
    expect(shown).toMatch(/1 - old\n\s+1 \+ new/)
    expect(shown).toContain('Result')
    expect(shown).not.toContain('## Result')
    expect(shown).toContain('• wrote notes.txt')
    expect(await t.exited).toBe(0)
    expect(readFileSync(join(repo, 'notes.txt'), 'utf8')).toBe('new\n')
    // The live area hid the cursor while it ran; the shell gets it back visible.
    expect(cursorLeftVisible(t.raw())).toBe(true)
  })

  test('an interrupted run gives the shell its cursor back', async () => {
    const gate = createGate()
    const mock = await ui.start({
      script: [{ text: 'working on it', holdUntil: gate.promise, holdAfterChunks: 2 }],
    })
    const repo = await makeRepo({})
    const t = await ui.terminal(
      ['run', '--model', 'openai/gpt-4o', '--base-url', mock.url, '--cwd', repo, 'go'],
      { env: { OPENAI_API_KEY: 'sk-test' } },
    )
    await mock.waitForRequests(1)
    await t.waitFor(/responding|thinking/)
    t.type(KEYS.ctrlC)
    expect(await t.exited).toBe(130)
    gate.open()
    expect(t.raw()).toContain('\u001b[?25l')
    expect(cursorLeftVisible(t.raw())).toBe(true)
  })

  test('--json prints the engine events unchanged, with no live output events', async () => {
    const mock = await ui.start({
      script: [
        { toolCalls: [{ name: 'run_command', arguments: { command: 'echo hello' } }] },
        { text: 'Done.' },
      ],
    })
    const repo = await makeRepo({})
    const t = await ui.terminal(
      ['run', '--json', '--yes', '--model', 'openai/gpt-4o', '--base-url', mock.url, '--cwd', repo, 'go'],
      { env: { OPENAI_API_KEY: 'sk-test' } },
    )
    expect(await t.exited).toBe(0)
    const events = t
      .raw()
      .split(/\r?\n/)
      .filter((line) => line.startsWith('{'))
      .map((line) => (JSON.parse(line) as { type: string }).type)
    expect(events).toContain('tool.finished')
    expect(events).not.toContain('tool.output')
    expect(t.raw()).not.toContain('\u001b[?2026h')
  })
})

/** Whether the last cursor-visibility escape a program wrote shows the cursor (none written: yes). */
function cursorLeftVisible(raw: string): boolean {
  return raw.lastIndexOf('\u001b[?25h') >= raw.lastIndexOf('\u001b[?25l')
}
