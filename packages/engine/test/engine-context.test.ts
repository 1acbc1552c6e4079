import { assistantMessage, ContextTooLongError, textOf, userMessage } from '@penguin-ai/llm'
import { type ScriptStep, testModel } from '@penguin-ai/testkit'
import { defineTool } from '@penguin-ai/tools'
import { describe, expect, test } from 'vitest'
import { z } from 'zod'
import { setup, types } from './engine-setup.js'

describe('Engine context and hooks', () => {
  test('oldest tool outputs are elided when the conversation nears the window', async () => {
    const big = 'x'.repeat(8000)
    const bigTool = defineTool({
      name: 'big',
      description: 'big output',
      readOnly: true,
      parameters: z.object({}),
      execute: async () => big,
    })
    const steps: ScriptStep[] = [
      ...Array.from({ length: 6 }, () => ({ calls: [{ name: 'big', args: {} }] })),
      { text: 'done' },
    ]
    const { engine, requests } = await setup(steps, {
      tools: [bigTool],
      model: testModel({ contextWindow: 8000, maxOutputTokens: 1000 }),
    })
    const result = await engine.run('go')
    expect(result.status).toBe('completed')
    const last = requests.at(-1)!.messages
    const tools = last.filter((message) => message.role === 'tool')
    expect(tools.length).toBe(6)
    expect(textOf(tools.at(-1)!)).toBe(big)
    expect(textOf(tools[0]!)).toMatch(/elided/)
    const chars = last.reduce((sum, message) => sum + textOf(message).length, 0)
    expect(chars / 3.5).toBeLessThan(8000)
  })

  test('a context-too-long reply elides older tool outputs and retries the turn once more', async () => {
    const big = 'y'.repeat(4000)
    const bigTool = defineTool({
      name: 'big',
      description: 'big output',
      readOnly: true,
      parameters: z.object({}),
      execute: async () => big,
    })
    const steps: ScriptStep[] = [
      { calls: [{ name: 'big', args: {} }] },
      { calls: [{ name: 'big', args: {} }] },
      { error: new ContextTooLongError('maximum context length exceeded') },
      { text: 'fits now' },
    ]
    const { engine, requests, events } = await setup(steps, { tools: [bigTool] })
    const result = await engine.run('go')
    expect(result.status).toBe('completed')
    expect(result.text).toBe('fits now')
    expect(requests).toHaveLength(4)
    const size = (index: number) => JSON.stringify(requests[index]!.messages).length
    expect(size(3)).toBeLessThan(size(2) * 0.7)
    const tools = requests[3]!.messages.filter((message) => message.role === 'tool')
    expect(textOf(tools[0]!)).toMatch(/elided/)
    expect(types(events)).toContain('turn.retry')
  })

  test('beforeChanges is awaited before a turn that can change files, never for read-only turns', async () => {
    const seen: string[] = []
    const { engine, probe } = await setup(
      [
        { calls: [{ name: 'look', args: { what: 'a' } }] },
        {
          calls: [
            { name: 'look', args: { what: 'b' } },
            { name: 'change', args: { what: 'c' } },
          ],
        },
        { text: 'done' },
      ],
      {
        autoApprove: true,
        beforeChanges: async (calls) => {
          seen.push(`${calls.map((call) => call.name).join('+')} after ${engine.messages.at(-1)?.role}`)
          // A turn of the event loop: tools started without waiting for this hook would log here.
          await new Promise((resolve) => setImmediate(resolve))
          seen.push(`tools so far: ${probe.log.length}`)
        },
      },
    )
    const result = await engine.run('go')
    expect(result.status).toBe('completed')
    expect(seen).toEqual(['look+change after assistant', 'tools so far: 2'])
  })

  test('replaceHistory swaps the conversation between runs', async () => {
    const { engine, requests } = await setup([{ text: 'ok' }])
    engine.replaceHistory([userMessage('earlier'), assistantMessage('noted')])
    await engine.run('now')
    expect(requests[0]!.messages.slice(1).map((message) => textOf(message))).toEqual([
      'earlier',
      'noted',
      'now',
    ])
  })
})
