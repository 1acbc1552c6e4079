/**
 * Engine extensions around a run: prompts, stop verdicts and model options, errors they throw, and
 * the events they hear. At a tool call: engine-extension-tools.test.ts.
 */
import { textOf } from '@penguin-ai/llm'
import { testModel } from '@penguin-ai/testkit'
import { defineTool } from '@penguin-ai/tools'
import { describe, expect, test } from 'vitest'
import { z } from 'zod'
import { finishedOf, notices, setup, types } from './engine-setup.js'

describe('prompts, stops and model options', () => {
  test('a blocked prompt ends the run before any request and stays out of the conversation', async () => {
    const { engine, requests } = await setup([{ text: 'never' }], {
      extensions: [{ name: 'gate', promptSubmit: () => ({ block: 'contains a secret' }) }],
    })
    const result = await engine.run('my password is hunter2')
    expect(result.status).toBe('failed')
    expect(result.error).toEqual({ kind: 'blocked', message: 'The prompt was blocked: contains a secret' })
    expect(requests).toHaveLength(0)
    expect(engine.messages).toHaveLength(0)
  })

  test('session-start context comes with the first prompt only; prompt context with each', async () => {
    let starts = 0
    const { engine, requests } = await setup([{ text: 'one' }, { text: 'two' }], {
      extensions: [
        {
          name: 'ctx',
          sessionStart: (_ctx, info) => {
            starts++
            return { context: `started (${info.source})` }
          },
          promptSubmit: (_ctx, info) => ({ context: `about: ${info.prompt}` }),
        },
      ],
    })
    await engine.run('first')
    await engine.run('second')
    expect(starts).toBe(1)
    const firstUser = requests[0]?.messages.find((message) => message.role === 'user')
    expect(firstUser && textOf(firstUser)).toBe('first\n\nstarted (startup)\n\nabout: first')
    const users = requests[1]?.messages.filter((message) => message.role === 'user') ?? []
    expect(textOf(users[1]!)).toBe('second\n\nabout: second')
  })

  test('a stop verdict keeps the run going with the reason, and says it is active the second time', async () => {
    const seen: boolean[] = []
    const { engine, requests } = await setup([{ text: 'done?' }, { text: 'really done' }], {
      extensions: [
        {
          name: 'stopper',
          beforeStop: (_ctx, info) => {
            seen.push(info.stopHookActive)
            return info.stopHookActive ? undefined : { continue: 'Tests are failing; fix them first.' }
          },
        },
      ],
    })
    const result = await engine.run('go')
    expect(result).toMatchObject({ status: 'completed', text: 'really done', iterations: 2 })
    expect(seen).toEqual([false, true])
    const last = requests[1]?.messages.at(-1)
    expect(last?.role).toBe('user')
    expect(last && textOf(last)).toBe('Tests are failing; fix them first.')
  })

  test('chat params can be changed before each request', async () => {
    const { engine, requests } = await setup([{ text: 'ok' }], {
      temperature: 0.7,
      extensions: [
        { name: 'cold', chatParams: (_ctx, params) => ({ temperature: (params.temperature ?? 1) / 7 }) },
      ],
    })
    await engine.run('go')
    expect(requests[0]?.temperature).toBeCloseTo(0.1)
  })

  test('a stop from any verdict ends the run; the other calls of the turn are not run', async () => {
    const { engine, probe, events } = await setup(
      [
        {
          calls: [
            { name: 'change', args: { what: 'a' } },
            { name: 'change', args: { what: 'b' } },
          ],
        },
        { text: 'never' },
      ],
      {
        autoApprove: true,
        extensions: [{ name: 'halt', beforeToolCall: () => ({ stop: 'enough for today' }) }],
      },
    )
    const result = await engine.run('go')
    expect(result.status).toBe('failed')
    expect(result.error).toEqual({ kind: 'stopped', message: 'Stopped by a hook: enough for today' })
    expect(probe.log).toEqual([])
    expect(finishedOf(events).map((event) => event.output)).toEqual([
      'enough for today',
      'Not run: the run was stopped (enough for today).',
    ])
  })
})

describe('robustness and events', () => {
  test('an extension that throws is reported and skipped; the run goes on', async () => {
    const { engine, events, probe } = await setup(
      [{ calls: [{ name: 'look', args: { what: 'a' } }] }, { text: 'ok' }],
      {
        extensions: [
          {
            name: 'broken',
            beforeToolCall: () => {
              throw new Error('kaput')
            },
          },
        ],
      },
    )
    const result = await engine.run('go')
    expect(result.status).toBe('completed')
    expect(probe.log).toContain('start look a')
    expect(notices(events)).toEqual([
      expect.objectContaining({ source: 'broken', level: 'error', message: 'beforeToolCall failed: kaput' }),
    ])
  })

  test('every event reaches extensions, with the session id they were given', async () => {
    const seen: string[] = []
    let session = ''
    const { engine, events } = await setup([{ text: 'ok' }], {
      sessionId: 'session-42',
      extensions: [
        {
          name: 'watch',
          event: (event) => seen.push(event.type),
          promptSubmit: (ctx) => {
            session = ctx.sessionId
            return undefined
          },
        },
      ],
    })
    await engine.run('go')
    expect(seen).toEqual(types(events))
    expect(session).toBe('session-42')
  })

  test("a tool's images reach a model that takes images; others read a note", async () => {
    const picture = defineTool({
      name: 'picture',
      description: 'draws',
      readOnly: true,
      parameters: z.object({}),
      async execute() {
        return { output: 'a picture', images: [{ mediaType: 'image/png' as const, data: 'iVBORw0KGgo=' }] }
      },
    })
    for (const images of [true, false]) {
      const { engine, requests } = await setup([{ calls: [{ name: 'picture', args: {} }] }, { text: 'ok' }], {
        tools: [picture],
        model: testModel({ images }),
      })
      await engine.run('go')
      const toolMessage = requests[1]?.messages.find((message) => message.role === 'tool')
      if (images) {
        expect(toolMessage?.content).toEqual([
          { type: 'text', text: 'a picture' },
          { type: 'image', mediaType: 'image/png', data: 'iVBORw0KGgo=' },
        ])
      } else {
        expect(toolMessage && textOf(toolMessage)).toBe(
          'a picture\n\n[1 image left out: this model does not take images]',
        )
      }
    }
  })
})
