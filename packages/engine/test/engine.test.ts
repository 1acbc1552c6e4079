import { execFileSync } from 'node:child_process'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { assistantMessage, LlmError, makeUsage, textOf, toolResultMessage } from '@penguin-ai/llm'
import { type ScriptStep, tempDir } from '@penguin-ai/testkit'
import { defineTool, PermissionPolicy } from '@penguin-ai/tools'
import { describe, expect, test } from 'vitest'
import { z } from 'zod'
import { setup, types } from './engine-setup.js'

describe('Engine', () => {
  test('a plain answer completes with streamed text, usage and cost', async () => {
    const { engine, events } = await setup([{ text: 'Hello there friend', usage: [1000, 500] }])
    const result = await engine.run('hi')
    expect(result.status).toBe('completed')
    expect(result.text).toBe('Hello there friend')
    expect(result.iterations).toBe(1)
    expect(result.usage).toEqual(makeUsage({ input: 1000, output: 500 }))
    // 1000 * $1/M + 500 * $2/M
    expect(result.cost).toBeCloseTo(0.002, 10)
    expect(types(events)).toEqual([
      'run.started',
      'turn.started',
      'text.delta',
      'text.delta',
      'text.delta',
      'usage',
      'run.finished',
    ])
    const deltas = events.flatMap((event) => (event.type === 'text.delta' ? [event.delta] : []))
    expect(deltas.join('')).toBe('Hello there friend')
    expect(new Set(events.map((event) => event.runId)).size).toBe(1)
  })

  test('tool calls run and their results go back to the model in call order', async () => {
    const { engine, requests, events } = await setup(
      [
        {
          calls: [
            { name: 'look', args: { what: 'a' }, id: 'c1' },
            { name: 'look', args: { what: 'b' }, id: 'c2' },
          ],
        },
        { text: 'done' },
      ],
      { autoApprove: true },
    )
    const result = await engine.run('go')
    expect(result.status).toBe('completed')
    expect(result.iterations).toBe(2)
    const second = requests[1]!.messages
    expect(second[0]).toEqual({ role: 'system', content: 'test system prompt' })
    expect(second.slice(-2)).toEqual([
      toolResultMessage({ id: 'c1', name: 'look' }, 'saw a'),
      toolResultMessage({ id: 'c2', name: 'look' }, 'saw b'),
    ])
    const finished = events.filter((event) => event.type === 'tool.finished')
    expect(finished.map((event) => event.type === 'tool.finished' && event.callId).sort()).toEqual([
      'c1',
      'c2',
    ])
    expect(requests[0]!.tools!.map((tool) => tool.name)).toEqual(['look', 'change'])
  })

  test('independent reads run in parallel; writes run alone and in order', async () => {
    const { engine, probe } = await setup(
      [
        {
          calls: [
            { name: 'look', args: { what: 'a' } },
            { name: 'look', args: { what: 'b' } },
            { name: 'change', args: { what: 'c' } },
            { name: 'change', args: { what: 'd' } },
            { name: 'look', args: { what: 'e' } },
          ],
        },
        { text: 'ok' },
      ],
      { autoApprove: true },
    )
    await engine.run('go')
    expect(probe.log.slice(0, 2).sort()).toEqual(['start look a', 'start look b'])
    expect(probe.log.slice(4)).toEqual([
      'start change c',
      'end change c',
      'start change d',
      'end change d',
      'start look e',
      'end look e',
    ])
    expect(probe.maxActive).toBe(2)
  })

  test('malformed tool-call JSON and unknown tools become error results and the run continues', async () => {
    const { engine, requests } = await setup([
      {
        calls: [
          { name: 'look', args: '{"what": "a"', id: 'bad' },
          { name: 'nope', args: {}, id: 'unknown' },
          { name: 'look', args: { what: 42 }, id: 'invalid' },
        ],
      },
      { text: 'recovered' },
    ])
    const result = await engine.run('go')
    expect(result.status).toBe('completed')
    const results = requests[1]!.messages.filter((message) => message.role === 'tool')
    expect(results.map((message) => message.role === 'tool' && message.isError)).toEqual([true, true, true])
    expect(textOf(results[0]!)).toMatch(/not valid JSON/)
    expect(textOf(results[1]!)).toMatch(/Unknown tool "nope"/)
    expect(textOf(results[2]!)).toMatch(/what/)
  })

  test('non-interactive runs reject asks; the tool does not run', async () => {
    const { engine, probe, events, requests } = await setup([
      { calls: [{ name: 'change', args: { what: 'x' } }] },
      { text: 'could not' },
    ])
    await engine.run('go')
    expect(probe.log).toEqual([])
    const answered = events.find((event) => event.type === 'permission.answered')
    expect(answered).toMatchObject({ reply: 'reject', auto: true, tool: 'change' })
    const toolResult = requests[1]!.messages.at(-1)!
    expect(textOf(toolResult)).toMatch(/--yes/)
  })

  test('an interactive "always" answer is remembered for the session', async () => {
    const asked: string[] = []
    const { engine, probe, events } = await setup(
      [
        { calls: [{ name: 'change', args: { what: 'x' } }] },
        { calls: [{ name: 'change', args: { what: 'y' } }] },
        { text: 'done' },
      ],
      {
        askPermission: async (request) => {
          asked.push(request.subject)
          return 'always'
        },
      },
    )
    await engine.run('go')
    expect(asked).toEqual(['x'])
    expect(probe.log.filter((line) => line.startsWith('start'))).toEqual(['start change x', 'start change y'])
    expect(types(events)).toContain('permission.asked')
  })

  test('deny rules win even with --yes', async () => {
    const { engine, probe, requests } = await setup(
      [{ calls: [{ name: 'change', args: { what: 'secret' } }] }, { text: 'ok' }],
      {
        autoApprove: true,
        policy: new PermissionPolicy([{ tool: 'change', pattern: 'secret*', action: 'deny' }]),
      },
    )
    await engine.run('go')
    expect(probe.log).toEqual([])
    expect(textOf(requests[1]!.messages.at(-1)!)).toMatch(/Permission denied/)
  })

  test('an AutoApprove function approves only the asks it accepts, and learns which a rule makes', async () => {
    const seen: { tool: string; access: string; byRule: boolean }[] = []
    const { engine, probe, events } = await setup(
      [
        {
          calls: [
            { name: 'change', args: { what: 'plain' } },
            { name: 'change', args: { what: 'ruled' } },
          ],
        },
        { text: 'ok' },
      ],
      {
        autoApprove: (ask) => {
          seen.push(ask)
          return !ask.byRule
        },
        policy: new PermissionPolicy([{ tool: 'change', pattern: 'ruled', action: 'ask' }]),
      },
    )
    await engine.run('go')
    expect(seen).toEqual([
      { tool: 'change', access: 'write', byRule: false },
      { tool: 'change', access: 'write', byRule: true },
    ])
    expect(probe.log.filter((line) => line.startsWith('start'))).toEqual(['start change plain'])
    const answered = events.filter((event) => event.type === 'permission.answered')
    expect(answered).toEqual([expect.objectContaining({ reply: 'reject', auto: true, tool: 'change' })])
  })

  test('stops at max iterations', async () => {
    const steps: ScriptStep[] = Array.from({ length: 5 }, () => ({
      calls: [{ name: 'look', args: { what: 'a' } }],
    }))
    const { engine } = await setup(steps, { maxIterations: 3 })
    const result = await engine.run('loop')
    expect(result.status).toBe('max_iterations')
    expect(result.iterations).toBe(3)
  })

  test('stops when the token budget is spent, leaving a valid conversation', async () => {
    const { engine, probe } = await setup(
      [{ calls: [{ name: 'look', args: { what: 'a' } }], usage: [900, 200] }, { text: 'never' }],
      { budget: { maxTokens: 1000 } },
    )
    const result = await engine.run('go')
    expect(result.status).toBe('budget_exceeded')
    expect(probe.log).toEqual([])
    const last = engine.messages.at(-1)!
    expect(last.role).toBe('tool')
  })

  test('a model error fails the run with its kind and message', async () => {
    const { engine } = await setup([{ error: new LlmError('unreachable', 'cannot reach http://x/v1') }])
    const result = await engine.run('go')
    expect(result.status).toBe('failed')
    expect(result.error).toEqual({ kind: 'unreachable', message: 'cannot reach http://x/v1' })
  })

  test('abort during a tool call ends the run as aborted', async () => {
    const controller = new AbortController()
    const slow = defineTool({
      name: 'slow',
      description: 'waits for abort',
      readOnly: true,
      parameters: z.object({}),
      execute: (_args, ctx) =>
        new Promise((resolve) => {
          ctx.signal.addEventListener('abort', () => resolve({ output: 'stopped', isError: true }))
          setImmediate(() => controller.abort())
        }),
    })
    const { engine } = await setup([{ calls: [{ name: 'slow', args: {} }] }, { text: 'never' }], {
      tools: [slow],
    })
    const result = await engine.run('go', { signal: controller.signal })
    expect(result.status).toBe('aborted')
    expect(engine.messages.at(-1)!.role).toBe('tool')
  })

  test('a mid-stream retry voids the partial text', async () => {
    const { engine, events } = await setup([
      { retryAfterText: 'partial ', retried: { text: 'final answer' } },
    ])
    const result = await engine.run('go')
    expect(result.text).toBe('final answer')
    expect(types(events)).toContain('turn.retry')
    expect(engine.messages.at(-1)).toEqual(assistantMessage('final answer'))
  })

  test('successive runs continue the conversation', async () => {
    const { engine, requests } = await setup([{ text: 'first' }, { text: 'second' }])
    await engine.run('one')
    await engine.run('two')
    expect(requests[1]!.messages.map((message) => message.role)).toEqual([
      'system',
      'user',
      'assistant',
      'user',
    ])
  })
})

describe('system prompt', () => {
  test('includes the environment and PENGUIN.md', async () => {
    const dir = await tempDir()
    await writeFile(join(dir, 'PENGUIN.md'), 'Always run pnpm test.\n')
    const { buildSystemPrompt } = await import('../src/index.js')
    const prompt = await buildSystemPrompt(dir)
    expect(prompt).toContain(`workspace: ${dir}`)
    expect(prompt).toContain('Always run pnpm test.')
    expect(prompt).toMatch(/date: \d{4}-\d{2}-\d{2}/)
  })

  test('names the git branch and stays byte-identical when the agent changes files (prompt cache)', async () => {
    const dir = await tempDir()
    execFileSync('git', ['init', '-q', '-b', 'trunk'], { cwd: dir })
    const { buildSystemPrompt } = await import('../src/index.js')
    const before = await buildSystemPrompt(dir)
    expect(before).toContain('git: branch trunk')
    await writeFile(join(dir, 'changed.txt'), 'new\n')
    expect(await buildSystemPrompt(dir)).toBe(before)
    expect(await buildSystemPrompt(await tempDir())).not.toContain('git:')
  })
})
