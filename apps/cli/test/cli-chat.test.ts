import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startMockServer } from '@penguin-ai/mock-llm'
import { describe, expect, test } from 'vitest'
import { makeRepo, runPenguin } from './cli-helpers.js'

describe('penguin chat', () => {
  test('reads prompts line by line, keeps the conversation, and handles slash commands', async () => {
    const server = await startMockServer({ script: [{ text: 'First answer.' }, { text: 'Second answer.' }] })
    try {
      const repo = await makeRepo({})
      const result = await runPenguin(['--model', 'openai/gpt-4o', '--base-url', server.url, '--cwd', repo], {
        env: { OPENAI_API_KEY: 'sk-test' },
        stdin: 'hello\n/help\n/model\nand again\n/clear\n/exit\n',
      })
      expect(result.code).toBe(0)
      expect(result.stdout).toContain('First answer.')
      expect(result.stdout).toContain('Second answer.')
      expect(result.stdout).toContain('/clear')
      expect(result.stdout).toContain('Model: openai/gpt-4o')
      const second = server.requests[1]!.body as { messages: Array<{ role: string }> }
      expect(second.messages.map((message) => message.role)).toEqual(['system', 'user', 'assistant', 'user'])
    } finally {
      await server.close()
    }
  })

  test('asks permission at the prompt; "n" leaves the file alone', async () => {
    const server = await startMockServer({
      script: [
        { toolCalls: [{ name: 'write_file', arguments: { path: 'a.txt', content: 'new' } }] },
        { text: 'Okay, I did not write it.' },
      ],
    })
    try {
      const repo = await makeRepo({ 'a.txt': 'old' })
      const result = await runPenguin(['--model', 'openai/gpt-4o', '--base-url', server.url, '--cwd', repo], {
        env: { OPENAI_API_KEY: 'sk-test' },
        stdin: 'write it\nn\n/exit\n',
      })
      expect(result.code).toBe(0)
      expect(result.stdout).toMatch(/Allow write_file a\.txt/)
      expect(execFileSync('cat', ['a.txt'], { cwd: repo, encoding: 'utf8' })).toBe('old')
    } finally {
      await server.close()
    }
  })
})

describe('penguin chat sessions and checkpoints', () => {
  test('/checkpoints, /undo, /sessions, /new and /resume', async () => {
    const server = await startMockServer({
      script: [
        { toolCalls: [{ name: 'write_file', arguments: { path: 'notes.txt', content: 'v2\n' } }] },
        { text: 'Wrote v2.' },
        { text: 'Hello in a new session.' },
        { text: 'Back in the first one.' },
      ],
    })
    try {
      const repo = await makeRepo({ 'notes.txt': 'v1\n' })
      const db = join(await mkdtemp(join(tmpdir(), 'penguin-db-')), 'penguin.db')
      const env = { OPENAI_API_KEY: 'sk-test', PENGUIN_DB: db }
      const args = ['--model', 'openai/gpt-4o', '--base-url', server.url, '--cwd', repo, '--yes']
      const first = await runPenguin(args, {
        env,
        stdin: 'make it v2\n/checkpoints\n/undo\n/sessions\n/new\nhi\n/exit\n',
      })
      expect(first.code, first.stderr).toBe(0)
      expect(first.stdout).toContain('Wrote v2.')
      expect(first.stdout).toMatch(/ID\s+CREATED\s+KIND/)
      expect(first.stdout).toMatch(/M notes\.txt/)
      expect(first.stdout).toContain('Undid “make it v2”:')
      expect(readFileSync(join(repo, 'notes.txt'), 'utf8')).toBe('v1\n')
      expect(first.stdout).toMatch(/New session ses_\w+/)
      expect(first.stdout).toContain('Hello in a new session.')

      const list = await runPenguin(['sessions', 'list', '--json'], { env })
      const sessions = JSON.parse(list.stdout) as Array<{ id: string; title: string; messageCount: number }>
      expect(sessions).toHaveLength(2)
      const original = sessions.find((session) => session.title === 'make it v2')!
      // The undo took the whole turn that wrote the file out of the conversation, its prompt too.
      expect(original.messageCount).toBe(0)

      const second = await runPenguin(args, { env, stdin: `/resume ${original.id}\nand now?\n/exit\n` })
      expect(second.code, second.stderr).toBe(0)
      expect(second.stdout).toContain(`Resumed ${original.id}`)
      const last = server.requests.at(-1)!.body as { messages: Array<{ role: string; content: string }> }
      expect(last.messages.map((message) => message.role)).toEqual(['system', 'user'])
      expect(last.messages[1]!.content).toBe('and now?')
    } finally {
      await server.close()
    }
  })
})

describe('penguin demo', () => {
  test('runs a real session on the sample and leaves its tests passing', async () => {
    const result = await runPenguin(['demo', '--fast'])
    expect(result.code).toBe(0)
    const dir = /The edited sample is in (.+)$/m.exec(result.stdout)?.[1]
    expect(dir).toBeTruthy()
    execFileSync(process.execPath, ['--test'], { cwd: dir!, stdio: 'pipe' })
    expect(result.stdout).toMatch(/--model/)
  })
})
