import { type MockServer, startMockServer } from '@penguin-ai/mock-llm'
import { afterEach, expect, test } from 'vitest'
import { jsonLines, makeRepo, runPenguin } from './cli-helpers.js'

let mock: MockServer | undefined
afterEach(async () => {
  await mock?.close()
  mock = undefined
})

test('tool arguments nested 5,000 levels deep are an error the model sees, not a crash of --json', async () => {
  const depth = 5_000
  const deep = `{"path":${'['.repeat(depth)}${']'.repeat(depth)}}`
  mock = await startMockServer({
    script: [
      { toolCalls: [{ name: 'read_file', arguments: deep }] },
      { text: 'I will send flat arguments.' },
    ],
  })
  const repo = await makeRepo({ 'a.txt': 'alpha\n' })
  const result = await runPenguin(
    ['run', '--json', '--model', 'openai/gpt-4o', '--base-url', mock.url, '--cwd', repo, 'read'],
    { env: { OPENAI_API_KEY: 'sk-test-123' } },
  )
  expect(result.stderr).not.toMatch(/unexpected error|Maximum call stack/)
  expect(result.code).toBe(0)
  const events = jsonLines(result.stdout)
  expect(events.find((event) => event.type === 'tool.finished')).toMatchObject({
    tool: 'read_file',
    isError: true,
    output: expect.stringMatching(/at most 64 are accepted/),
  })
  expect(events.at(-1)).toMatchObject({ type: 'run.finished', status: 'completed' })
  const body = mock.requests[1]!.body as { messages: Array<{ role: string; content: string }> }
  expect(body.messages.find((message) => message.role === 'tool')?.content).toMatch(/at most 64/)
})
