/** Engine extensions at a tool call: the tools they add, and what they do before and after a call. */
import { textOf } from '@penguin-ai/llm'
import { defineTool, PermissionPolicy } from '@penguin-ai/tools'
import { describe, expect, test } from 'vitest'
import { z } from 'zod'
import type { EngineExtension, PermissionRequest } from '../src/index.js'
import { finishedOf, notices, setup, types } from './engine-setup.js'

const echoTool = defineTool({
  name: 'ext_echo',
  description: 'echoes',
  readOnly: true,
  parameters: z.object({ text: z.string() }),
  async execute(args) {
    return `echo: ${args.text}`
  },
})

describe('extension tools', () => {
  test('join the request and can be called; a taken name is left out with a notice', async () => {
    const shadow = defineTool({
      name: 'look',
      description: 'would shadow a built-in',
      parameters: z.object({}),
      async execute() {
        return 'shadowed'
      },
    })
    const extension: EngineExtension = { name: 'toys', tools: () => [echoTool, shadow] }
    const { engine, requests, events } = await setup(
      [{ calls: [{ name: 'ext_echo', args: { text: 'hi' } }] }, { text: 'done' }],
      { extensions: [extension] },
    )
    const result = await engine.run('go')
    // Two requests, one notice: a clash is said once.
    expect(requests).toHaveLength(2)
    expect(notices(events)).toHaveLength(1)
    expect(result.status).toBe('completed')
    expect(requests[0]?.tools?.map((tool) => tool.name)).toEqual(['look', 'change', 'ext_echo'])
    expect(finishedOf(events)[0]).toMatchObject({ tool: 'ext_echo', output: 'echo: hi', isError: false })
    expect(notices(events)[0]).toMatchObject({ source: 'toys', level: 'warning' })
    expect(notices(events)[0]?.message).toMatch(/"look" is left out/)
    expect(engine.toolNames).toContain('ext_echo')
  })

  test('can change from one request to the next (a server that finished starting, or died)', async () => {
    let offered: (typeof echoTool)[] = []
    const { engine, requests } = await setup(
      [{ calls: [{ name: 'look', args: { what: 'a' } }] }, { text: 'done' }],
      {
        extensions: [
          {
            name: 'late',
            tools: () => offered,
            afterToolCall: () => {
              offered = [echoTool]
              return undefined
            },
          },
        ],
      },
    )
    await engine.run('go')
    expect(requests[0]?.tools?.map((tool) => tool.name)).not.toContain('ext_echo')
    expect(requests[1]?.tools?.map((tool) => tool.name)).toContain('ext_echo')
  })
})

describe('before a tool call', () => {
  test('a block refuses the call: the model reads why, the tool never runs, the denial is marked', async () => {
    const { engine, events, probe, requests } = await setup(
      [{ calls: [{ name: 'change', args: { what: 'x' } }] }, { text: 'ok' }],
      {
        autoApprove: true,
        extensions: [{ name: 'guard', beforeToolCall: () => ({ block: 'no changes today' }) }],
      },
    )
    await engine.run('go')
    expect(probe.log).toEqual([])
    const finished = finishedOf(events)[0]
    expect(finished).toMatchObject({ isError: true, output: 'no changes today' })
    expect(finished?.details).toMatchObject({ denied: 'hook', access: 'write', subject: 'x' })
    const toolMessage = requests[1]?.messages.find((message) => message.role === 'tool')
    expect(toolMessage && textOf(toolMessage)).toBe('no changes today')
  })

  test('replaced arguments are validated again and used', async () => {
    const { engine, probe, events } = await setup(
      [
        {
          calls: [
            { name: 'look', args: { what: 'a' }, id: 'first' },
            { name: 'look', args: { what: 'b' }, id: 'second' },
          ],
        },
        { text: 'ok' },
      ],
      {
        extensions: [
          {
            name: 'rewrite',
            beforeToolCall: (_ctx, call) =>
              (call.args as { what: string }).what === 'a' ? { args: { what: 'A!' } } : { args: { what: 7 } },
          },
        ],
      },
    )
    await engine.run('go')
    expect(probe.log).toContain('start look A!')
    // Read-only calls run in parallel: find each by its call id.
    const byCall = (id: string) => finishedOf(events).find((event) => event.callId === id)
    expect(byCall('first')?.output).toBe('saw A!')
    expect(byCall('second')?.isError).toBe(true)
    expect(byCall('second')?.output).toMatch(/Invalid arguments for look/)
  })

  test('"allow" answers what the rules would ask; a deny rule still wins', async () => {
    const allow: EngineExtension = { name: 'ok', beforeToolCall: () => ({ permission: 'allow' }) }
    const allowed = await setup([{ calls: [{ name: 'change', args: { what: 'x' } }] }, { text: 'ok' }], {
      extensions: [allow],
    })
    await allowed.engine.run('go')
    expect(allowed.probe.log).toEqual(['start change x', 'end change x'])
    expect(types(allowed.events)).not.toContain('permission.asked')

    const ruled = await setup([{ calls: [{ name: 'change', args: { what: 'x' } }] }, { text: 'ok' }], {
      extensions: [allow],
      policy: new PermissionPolicy([{ tool: 'change', action: 'deny' }]),
    })
    await ruled.engine.run('go')
    expect(ruled.probe.log).toEqual([])
    expect(finishedOf(ruled.events)[0]?.details).toMatchObject({ denied: 'rule' })
  })

  test('"deny" refuses with the reason; "ask" asks even under --yes', async () => {
    const denied = await setup([{ calls: [{ name: 'look', args: { what: 'x' } }] }, { text: 'ok' }], {
      extensions: [{ name: 'no', beforeToolCall: () => ({ permission: 'deny', reason: 'not on Fridays' }) }],
    })
    await denied.engine.run('go')
    expect(denied.probe.log).toEqual([])
    expect(finishedOf(denied.events)[0]?.output).toMatch(/by a hook: not on Fridays/)
    expect(finishedOf(denied.events)[0]?.details).toMatchObject({ denied: 'hook' })

    const asked: PermissionRequest[] = []
    const asking = await setup([{ calls: [{ name: 'look', args: { what: 'x' } }] }, { text: 'ok' }], {
      autoApprove: true,
      askPermission: async (request) => {
        asked.push(request)
        return 'once'
      },
      extensions: [
        { name: 'careful', beforeToolCall: () => ({ permission: 'ask', reason: 'check this one' }) },
      ],
    })
    await asking.engine.run('go')
    expect(asked).toHaveLength(1)
    expect(asked[0]?.reason).toBe('check this one')
    expect(asking.probe.log).toContain('start look x')
  })

  test('the strictest permission answer of several extensions wins', async () => {
    const { engine, probe } = await setup(
      [{ calls: [{ name: 'look', args: { what: 'x' } }] }, { text: 'ok' }],
      {
        extensions: [
          { name: 'a', beforeToolCall: () => ({ permission: 'deny' }) },
          { name: 'b', beforeToolCall: () => ({ permission: 'allow' }) },
        ],
      },
    )
    await engine.run('go')
    expect(probe.log).toEqual([])
  })

  test('an extension answers a permission ask in place of the user', async () => {
    const calls: string[] = []
    const { engine, probe, events } = await setup(
      [
        {
          calls: [
            { name: 'change', args: { what: 'ok' } },
            { name: 'change', args: { what: 'bad' } },
          ],
        },
        { text: 'ok' },
      ],
      {
        extensions: [
          {
            name: 'policy',
            permission: (_ctx, request) => {
              calls.push(request.subject)
              return request.subject === 'ok' ? 'allow' : 'deny'
            },
          },
        ],
      },
    )
    await engine.run('go')
    expect(calls).toEqual(['ok', 'bad'])
    expect(probe.log).toEqual(['start change ok', 'end change ok'])
    expect(finishedOf(events)[1]?.details).toMatchObject({ denied: 'hook' })
  })
})

describe('after a tool call', () => {
  test('context is appended for the model and output can be replaced', async () => {
    const { engine, events, requests } = await setup(
      [{ calls: [{ name: 'look', args: { what: 'a' } }] }, { text: 'ok' }],
      {
        extensions: [
          { name: 'one', afterToolCall: (_ctx, call) => ({ output: `${call.result.output} (checked)` }) },
          { name: 'two', afterToolCall: () => ({ context: 'Reminder: run the tests.' }) },
        ],
      },
    )
    await engine.run('go')
    expect(finishedOf(events)[0]?.output).toBe('saw a (checked)\n\nReminder: run the tests.')
    const toolMessage = requests[1]?.messages.find((message) => message.role === 'tool')
    expect(toolMessage && textOf(toolMessage)).toBe('saw a (checked)\n\nReminder: run the tests.')
  })
})
