import { execFileSync } from 'node:child_process'
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

describe('penguin demo', () => {
  test('runs a real session on the sample and leaves its tests passing', async () => {
    const result = await runPenguin(['demo', '--fast'], { timeoutMs: 60_000 })
    expect(result.code).toBe(0)
    const dir = /The edited sample is in (.+)$/m.exec(result.stdout)?.[1]
    expect(dir).toBeTruthy()
    execFileSync(process.execPath, ['--test'], { cwd: dir!, stdio: 'pipe' })
    expect(result.stdout).toMatch(/--model/)
  }, 60_000)
})
