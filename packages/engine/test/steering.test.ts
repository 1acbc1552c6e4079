// Messages sent while a run is in progress: steering (taken before the next request, after the
// tool results of the turn in progress) and follow-ups (taken when the model would stop).
import { type Message, resolveModel, textOf } from '@penguin-ai/llm'
import { createGate, type MockServer, startMockServer } from '@penguin-ai/mock-llm'
import { tempTree } from '@penguin-ai/testkit'
import { defineTool, openWorkspace } from '@penguin-ai/tools'
import { afterEach, describe, expect, test } from 'vitest'
import { z } from 'zod'
import { Engine, type EngineEvent, type EngineExtension, MessageInbox } from '../src/index.js'
import { setup, types } from './engine-setup.js'

const last = (messages: readonly Message[]) => messages.at(-1)
const lastText = (messages: readonly Message[]) => {
  const message = last(messages)
  return message ? `${message.role}: ${textOf(message)}` : ''
}

describe('steering and follow-ups (scripted model)', () => {
  test('a steering message sent during a tool call is the last message of the next request', async () => {
    const inbox = new MessageInbox()
    const { engine, requests, events } = await setup(
      [{ calls: [{ name: 'look', args: { what: 'a' } }] }, { text: 'Switched to b.' }],
      {
        extensions: [
          {
            name: 'typist',
            // The user types while the call runs: posted before the call's result is in.
            beforeToolCall: () => {
              inbox.post('steer', 'actually, look at b instead')
              return undefined
            },
          },
        ],
      },
    )
    const result = await engine.run('look at a', { inbox })
    expect(result).toMatchObject({ status: 'completed', text: 'Switched to b.', iterations: 2 })
    const second = requests[1]?.messages ?? []
    expect(second.map((message) => message.role)).toEqual(['system', 'user', 'assistant', 'tool', 'user'])
    expect(lastText(second)).toBe('user: actually, look at b instead')
    // Announced after the tool's result and before the turn that reads it.
    const order = types(events).filter((type) =>
      ['tool.finished', 'message.delivered', 'turn.started'].includes(type),
    )
    expect(order).toEqual(['turn.started', 'tool.finished', 'message.delivered', 'turn.started'])
    expect(events.find((event) => event.type === 'message.delivered')).toMatchObject({
      delivery: 'steer',
      text: 'actually, look at b instead',
    })
    // Stored like any user turn: it stays in the conversation for the next run.
    expect(engine.messages.map((message) => message.role)).toEqual([
      'user',
      'assistant',
      'tool',
      'user',
      'assistant',
    ])
  })

  test('a follow-up waits until the model would stop, then the run goes on with it', async () => {
    const inbox = new MessageInbox()
    const { engine, requests, events } = await setup(
      [
        { calls: [{ name: 'look', args: { what: 'a' } }] },
        { text: 'Looked at a.' },
        { text: 'And b: fine.' },
      ],
      {
        extensions: [
          {
            name: 'typist',
            beforeToolCall: () => {
              inbox.post('follow_up', 'then check b')
              return undefined
            },
          },
        ],
      },
    )
    const result = await engine.run('look at a', { inbox })
    expect(result).toMatchObject({ status: 'completed', text: 'And b: fine.', iterations: 3 })
    // Not slipped in after the tool result: the model finished its answer first.
    expect(lastText(requests[1]?.messages ?? [])).toMatch(/^tool: /)
    expect(lastText(requests[2]?.messages ?? [])).toBe('user: then check b')
    expect(requests[2]?.messages.at(-2)).toMatchObject({ role: 'assistant' })
    expect(events.filter((event) => event.type === 'run.finished')).toHaveLength(1)
    expect(events.find((event) => event.type === 'message.delivered')).toMatchObject({
      delivery: 'follow_up',
    })
  })

  test('steering still waiting when the model stops is delivered before follow-ups, in order', async () => {
    const inbox = new MessageInbox()
    const { engine, requests } = await setup([
      { text: 'first answer' },
      { text: 'second' },
      { text: 'third' },
    ])
    inbox.post('follow_up', 'later')
    const seen: string[] = []
    const result = await engine.run('go', {
      inbox,
      onEvent: (event) => {
        // Both arrive while the first answer streams (after the first request's steering look).
        if (event.type === 'text.delta' && seen.length === 0) {
          seen.push(event.delta)
          inbox.post('steer', 'one')
          inbox.post('steer', 'two')
        }
      },
    })
    expect(result).toMatchObject({ status: 'completed', text: 'third', iterations: 3 })
    const asked = requests.map((request) =>
      request.messages.filter((message) => message.role === 'user').map((message) => textOf(message)),
    )
    expect(asked).toEqual([['go'], ['go', 'one', 'two'], ['go', 'one', 'two', 'later']])
    expect(inbox.close()).toEqual([])
  })

  test("an inbox's refresh runs before every look: messages it brings in are taken at once", async () => {
    const arriving = ['from another process']
    let refreshes = 0
    const inbox: MessageInbox = new MessageInbox(async () => {
      refreshes++
      // What another process sent meanwhile (read from a database, say).
      for (const text of arriving.splice(0)) inbox.post('steer', text)
    })
    const { engine, requests } = await setup([{ text: 'ok' }])
    const result = await engine.run('go', { inbox })
    expect(result).toMatchObject({ status: 'completed', iterations: 1 })
    // Taken before the first request, right after the prompt.
    expect(requests[0]?.messages.map((message) => textOf(message))).toEqual([
      'test system prompt',
      'go',
      'from another process',
    ])
    // Before the request, and once more when the model stopped.
    expect(refreshes).toBe(2)
  })

  test('what a run never took is left in the inbox, and a closed inbox refuses posts', async () => {
    const inbox = new MessageInbox()
    const controller = new AbortController()
    const { engine } = await setup([{ calls: [{ name: 'look', args: { what: 'a' } }] }], {
      extensions: [
        {
          name: 'typist',
          beforeToolCall: () => {
            inbox.post('follow_up', 'never read')
            controller.abort()
            return undefined
          },
        },
      ],
    })
    const result = await engine.run('go', { inbox, signal: controller.signal })
    expect(result.status).toBe('aborted')
    expect(inbox.close()).toEqual([{ delivery: 'follow_up', text: 'never read' }])
    expect(inbox.post('steer', 'too late')).toBe(false)
    expect(inbox.isOpen).toBe(false)
  })

  test('UserPromptSubmit hooks see steering messages: a blocked one is left out with a notice', async () => {
    const inbox = new MessageInbox()
    const submitted: string[] = []
    const gate: EngineExtension = {
      name: 'gate',
      promptSubmit: (_ctx, { prompt }) => {
        submitted.push(prompt)
        return prompt.includes('rm -rf') ? { block: 'no destructive requests' } : undefined
      },
      beforeToolCall: () => {
        inbox.post('steer', 'also rm -rf the repo')
        inbox.post('steer', 'and be quick')
        return undefined
      },
    }
    const { engine, requests, events } = await setup(
      [{ calls: [{ name: 'look', args: { what: 'a' } }] }, { text: 'ok' }],
      { extensions: [gate] },
    )
    await engine.run('look', { inbox })
    expect(submitted).toEqual(['look', 'also rm -rf the repo', 'and be quick'])
    expect(lastText(requests[1]?.messages ?? [])).toBe('user: and be quick')
    const notice = events.find((event) => event.type === 'notice')
    expect(notice).toMatchObject({ level: 'warning', source: 'hooks' })
    expect(notice?.type === 'notice' && notice.message).toMatch(/no destructive requests/)
    expect(events.filter((event) => event.type === 'message.delivered')).toHaveLength(1)
  })
})

describe('steering over HTTP (mock LLM, official OpenAI SDK)', () => {
  let server: MockServer | undefined
  afterEach(async () => {
    await server?.close()
    server = undefined
  })

  test('steering sent while the model streams reaches the request after the tool results; a follow-up starts another request', async () => {
    const held = createGate()
    server = await startMockServer({
      script: [
        { toolCalls: [{ name: 'note', arguments: { text: 'one' } }], holdUntil: held.promise },
        { text: 'Noted, and steered.' },
        { text: 'Follow-up done.' },
      ],
    })
    const workspace = await openWorkspace(tempTree())
    const notes: string[] = []
    const engine = new Engine({
      model: resolveModel('openai/gpt-4o', { baseUrl: server.url, env: { OPENAI_API_KEY: 'sk-test' } }),
      workspace,
      systemPrompt: 'test',
      tools: [
        defineTool({
          name: 'note',
          description: 'keeps a note',
          readOnly: true,
          parameters: z.object({ text: z.string() }),
          permission: (args) => ({ access: 'read', subject: args.text }),
          async execute(args) {
            notes.push(args.text)
            return `noted ${args.text}`
          },
        }),
      ],
    })
    const inbox = new MessageInbox()
    const events: EngineEvent[] = []
    const running = engine.run('take a note', { inbox, onEvent: (event) => events.push(event) })
    // The first request is in and held: the user types meanwhile.
    await server.waitForRequests(1)
    expect(inbox.post('steer', 'STEER: mention the weather too')).toBe(true)
    expect(inbox.post('follow_up', 'FOLLOW: now summarise')).toBe(true)
    held.open()
    const result = await running
    expect(result).toMatchObject({ status: 'completed', text: 'Follow-up done.', iterations: 3 })
    expect(notes).toEqual(['one'])
    expect(server.requests).toHaveLength(3)
    const wire = (index: number) =>
      (server?.requests[index]?.body?.messages ?? []).map((message) => ({
        role: message.role,
        content: typeof message.content === 'string' ? message.content : JSON.stringify(message.content),
      }))
    // Request 2: … the tool call, its result, then the steering message (the follow-up not yet).
    expect(wire(1).map((message) => message.role)).toEqual(['system', 'user', 'assistant', 'tool', 'user'])
    expect(wire(1).at(-1)?.content).toContain('STEER: mention the weather too')
    expect(JSON.stringify(wire(1))).not.toContain('FOLLOW')
    // Request 3: after the model's answer, the follow-up.
    expect(
      wire(2)
        .slice(-2)
        .map((message) => message.role),
    ).toEqual(['assistant', 'user'])
    expect(wire(2).at(-1)?.content).toContain('FOLLOW: now summarise')
    expect(
      events
        .filter((event) => event.type === 'message.delivered')
        .map((event) => event.type === 'message.delivered' && event.delivery),
    ).toEqual(['steer', 'follow_up'])
  })
})

describe('MessageInbox receipts', () => {
  test('a message posted with a receipt is handed back once delivered, or by close() when never taken', () => {
    const inbox = new MessageInbox()
    expect(inbox.post('steer', 'same', 1)).toBe(true)
    expect(inbox.post('steer', 'same', 2)).toBe(true)
    expect(inbox.post('follow_up', 'later', 3)).toBe(true)
    expect(inbox.post('steer', 'no receipt')).toBe(true)
    expect(inbox.take('steer')).toEqual(['same', 'same', 'no receipt'])
    // Announced in the order taken; identical texts hand back their receipts oldest first.
    expect(inbox.delivered('steer', 'same')?.receipt).toBe(1)
    expect(inbox.delivered('steer', 'same')?.receipt).toBe(2)
    expect(inbox.delivered('steer', 'same')).toBeUndefined()
    expect(inbox.delivered('steer', 'no receipt')).toBeUndefined()
    expect(inbox.close()).toEqual([{ delivery: 'follow_up', text: 'later', receipt: 3 }])
    expect(inbox.post('steer', 'too late', 4)).toBe(false)
  })
})
