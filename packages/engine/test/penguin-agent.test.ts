// The library facade, as a user of `penguin-ai` calls it: a model id and a base URL (the mock LLM
// over real HTTP through the official SDK), a workspace directory, the built-in tools.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { useMockLlm } from '@penguin-ai/mock-llm/vitest'
import { tempTree } from '@penguin-ai/testkit'
import { describe, expect, test } from 'vitest'
import { type EngineEvent, PenguinAgent } from '../src/index.js'

const mock = useMockLlm()

describe('PenguinAgent', () => {
  test('runs a task with tools, reports events, and continues the conversation on the next run', async () => {
    const workspace = tempTree({ 'notes.md': '# notes\n' })
    const server = await mock([
      { toolCalls: [{ name: 'write_file', arguments: { path: 'hello.txt', content: 'hi\n' } }] },
      { text: 'Wrote hello.txt.' },
      { text: 'It says hi.' },
    ])
    const agent = new PenguinAgent({
      model: 'openai/gpt-4o',
      baseUrl: server.url,
      apiKey: 'sk-test',
      workspace,
      autoApprove: true,
    })
    const seen: EngineEvent['type'][] = []
    const stop = agent.on((event) => seen.push(event.type))
    const first = await agent.run('Create hello.txt saying hi')
    expect(first).toMatchObject({ status: 'completed', text: 'Wrote hello.txt.' })
    expect(readFileSync(join(workspace, 'hello.txt'), 'utf8')).toBe('hi\n')
    expect(seen).toContain('tool.started')
    expect(seen).toContain('tool.finished')
    expect(seen.at(-1)).toBe('run.finished')
    stop()

    const second = await agent.run('What does it say?', { onEvent: (event) => seen.push(event.type) })
    expect(second).toMatchObject({ status: 'completed', text: 'It says hi.' })
    // The third request carries the whole first run: the agent keeps one conversation.
    const last = JSON.stringify(server.requests.at(-1)?.json)
    expect(last).toContain('Create hello.txt saying hi')
    expect(last).toContain('Wrote hello.txt.')
    expect(last).toContain('What does it say?')
    expect(server.requests.at(-1)?.headers.authorization).toBe('Bearer sk-test')
    const roles = (await agent.messages()).map((message) => message.role)
    expect(roles.filter((role) => role === 'user')).toHaveLength(2)
  })

  test('without autoApprove a write is asked, and a refusal reaches the model', async () => {
    const workspace = tempTree()
    const server = await mock([
      { toolCalls: [{ name: 'write_file', arguments: { path: 'x.txt', content: 'x' } }] },
      { text: 'Understood, nothing written.' },
    ])
    const asked: string[] = []
    const agent = new PenguinAgent({
      model: 'openai/gpt-4o',
      baseUrl: server.url,
      apiKey: 'sk-test',
      workspace,
      askPermission: async (request) => {
        asked.push(request.tool)
        return 'reject'
      },
    })
    const result = await agent.run('write x')
    expect(asked).toEqual(['write_file'])
    expect(result.text).toBe('Understood, nothing written.')
    expect(() => readFileSync(join(workspace, 'x.txt'))).toThrow()
    expect(JSON.stringify(server.requests.at(-1)?.json)).toMatch(/denied|declined|not allowed/i)
  })
})
