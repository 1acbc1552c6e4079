// `/undo`, `/redo` and `/diff` in the line chat (a real pty with TERM=dumb, so not the terminal UI),
// including after `penguin chat --continue`: the undo history is read from the stored session.
import { readFileSync } from 'node:fs'
import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type MockServer, startMockServer } from '@penguin-ai/mock-llm'
import { afterEach, describe, expect, test } from 'vitest'
import { makeRepo, runPenguinInTerminal } from './cli-helpers.js'

let mock: MockServer | undefined

afterEach(async () => {
  await mock?.close()
  mock = undefined
})

const write = (content: string) => ({
  toolCalls: [{ name: 'write_file', arguments: { path: 'notes.txt', content } }],
})

function userTexts(request: number): string[] {
  const body = mock!.requests[request]!.body as { messages: Array<{ role: string; content: unknown }> }
  return body.messages.filter((m) => m.role === 'user').map((m) => String(m.content))
}

describe('line chat /undo, /redo, /diff', () => {
  test('undo reverts whole turns (files and conversation), redo brings one back, and both survive --continue', async () => {
    mock = await startMockServer({
      script: [
        write('v2\n'),
        { text: 'Wrote v2.' },
        { text: 'Nothing to change.' },
        write('v3\n'),
        { text: 'Wrote v3.' },
        { text: 'It says v2.' },
      ],
    })
    const repo = await makeRepo({ 'notes.txt': 'v1\n' })
    const data = await mkdtemp(join(tmpdir(), 'penguin-data-'))
    const env = { OPENAI_API_KEY: 'sk-test', PENGUIN_HOME: data }
    const args = ['--model', 'openai/gpt-4o', '--base-url', mock.url, '--cwd', repo, '--yes']
    const notes = () => readFileSync(join(repo, 'notes.txt'), 'utf8')

    const first = await runPenguinInTerminal(
      args,
      [
        { expect: '› ', send: 'write v2\r' },
        { expect: 'Wrote v2.', send: '' },
        { expect: '› ', send: 'just look\r' },
        { expect: 'Nothing to change.', send: '' },
        { expect: '› ', send: 'write v3\r' },
        { expect: 'Wrote v3.', send: '' },
        { expect: '› ', send: '/diff\r' },
        { expect: '(+1 -1)', send: '' },
        { expect: '› ', send: '/undo\r' },
        { expect: 'conversation:', send: '' },
        { expect: '› ', send: '/exit\r' },
      ],
      { env },
    )
    expect(first.code, first.stdout).toBe(0)
    expect(first.stdout).toMatch(/notes\.txt \(\+1 -1\)/)
    expect(first.stdout).toMatch(/1 - v1/)
    expect(first.stdout).toMatch(/1 \+ v3/)
    // The last turn that changed files goes whole: its prompt, the call, the result and the reply.
    expect(first.stdout).toContain('Undid “write v3”:')
    expect(first.stdout).toMatch(/M notes\.txt \(\+1 -1\)/)
    expect(first.stdout).toContain('conversation: 10 → 6 messages')
    expect(first.stdout).toContain('/redo brings it back.')
    expect(notes()).toBe('v2\n')

    // A new process: the history comes from the stored session, not from memory.
    const second = await runPenguinInTerminal(
      [...args, '--continue'],
      [
        { expect: '› ', send: '/undo\r' },
        { expect: 'conversation:', send: '' },
        { expect: '› ', send: '/undo\r' },
        { expect: 'Nothing to undo', send: '' },
        { expect: '› ', send: '/redo\r' },
        { expect: 'conversation:', send: '' },
        { expect: '› ', send: '/redo\r' },
        { expect: 'conversation:', send: '' },
        { expect: '› ', send: '/redo\r' },
        { expect: 'Nothing to redo.', send: '' },
        { expect: '› ', send: '/undo\r' },
        { expect: 'conversation:', send: '' },
        { expect: '› ', send: 'what does it say now?\r' },
        { expect: 'It says v2.', send: '' },
        // A new turn: what was undone before it cannot be redone any more.
        { expect: '› ', send: '/redo\r' },
        { expect: 'Nothing to redo.', send: '' },
        { expect: '› ', send: '/exit\r' },
      ],
      { env },
    )
    expect(second.code, second.stdout).toBe(0)
    // The second undo is the turn before (across the restart), never the undo undone.
    expect(second.stdout).toContain('Undid “write v2”:')
    expect(second.stdout).toContain('conversation: 6 → 0 messages')
    // Redo walks forward again: the turn undone last comes back first.
    expect(second.stdout).toContain('Redid “write v2”:')
    expect(second.stdout).toContain('conversation: 0 → 6 messages')
    expect(second.stdout).toContain('Redid “write v3”:')
    expect(second.stdout).toContain('conversation: 6 → 10 messages')
    expect(second.stdout.match(/Nothing to redo\./g)).toHaveLength(2)
    expect(second.stdout.match(/Undid “write v3”:/g)).toHaveLength(1)
    expect(notes()).toBe('v2\n')
    // The next request holds the redone turns; the undone "write v3" is nowhere in it.
    expect(userTexts(5)).toEqual(['write v2', 'just look', 'what does it say now?'])
    const sent = JSON.stringify(mock.requests[5]!.body)
    expect(sent).toContain('Wrote v2.')
    expect(sent).not.toContain('write v3')
  })
})
