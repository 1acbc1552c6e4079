import { describe, expect, it } from 'vitest'
import type { RecordedChange } from '../src/index.js'
import { BACKENDS, openBackend, setupBackend } from './helpers.js'

const text = (t: string) => [{ type: 'text' as const, text: t }]

describe.each(BACKENDS)('messages (%s)', (backend) => {
  it('appends messages in order with their usage and adds it to the session', async () => {
    const { store, emitted } = await setupBackend(backend)
    const session = await store.createSession({ workspace: '/w', model: 'm' })
    const stored = await store.appendMessages(session.id, [
      { role: 'user', parts: text('add a test') },
      {
        role: 'assistant',
        parts: [
          { type: 'text', text: 'on it' },
          { type: 'tool_call', id: 'c1', name: 'bash', arguments: '{"cmd":"ls"}' },
        ],
        model: 'm',
        inputTokens: 100,
        outputTokens: 20,
        costUsd: 0.01,
      },
      {
        role: 'tool',
        parts: [
          {
            type: 'tool_result',
            toolCallId: 'c1',
            name: 'bash',
            content: 'a\nb',
            isError: false,
            details: { kind: 'command', summary: 'ls — exit 0', exitCode: 0 },
          },
        ],
      },
    ])
    expect(stored.map((m) => m.role)).toEqual(['user', 'assistant', 'tool'])
    expect(stored[1]).toMatchObject({ model: 'm', inputTokens: 100, outputTokens: 20, costUsd: 0.01 })
    expect(stored[0]).toMatchObject({ model: null, inputTokens: 0, sessionId: session.id })
    await store.appendMessages(session.id, [
      { role: 'user', parts: [{ type: 'summary', text: 'earlier: tests added', keptMessages: 2 }] },
      { role: 'assistant', parts: text('done'), inputTokens: 50, outputTokens: 5, costUsd: 0.005 },
    ])
    const listed = await store.listMessages(session.id)
    expect(listed.slice(0, 3)).toEqual(stored)
    expect(listed.map((m) => m.id)).toEqual([...listed.map((m) => m.id)].sort((a, b) => a - b))
    expect(listed[3]?.parts).toEqual([{ type: 'summary', text: 'earlier: tests added', keptMessages: 2 }])
    const after = await store.requireSession(session.id)
    expect(after).toMatchObject({ messageCount: 5, inputTokens: 150, outputTokens: 25 })
    expect(after.costUsd).toBeCloseTo(0.015)
    expect(after.updatedAt >= session.updatedAt).toBe(true)
    expect(await store.appendMessages(session.id, [])).toEqual([])
    const updates = emitted.filter(
      (e): e is Extract<RecordedChange, { type: 'session.updated' }> => e.type === 'session.updated',
    )
    expect(updates.map((e) => e.session.messageCount)).toEqual([3, 5])
  })

  it('sets the title with an append, in the same write (and alone when there is nothing to append)', async () => {
    const { store, emitted } = await setupBackend(backend)
    const session = await store.createSession({ workspace: '/w' })
    const before = emitted.length
    await store.appendMessages(session.id, [{ role: 'user', parts: text('fix the bug') }], {
      title: 'fix the bug',
    })
    const changes = emitted.slice(before)
    expect(changes.map((e) => e.type)).toEqual(['session.updated'])
    expect(changes[0]).toMatchObject({ session: { title: 'fix the bug', messageCount: 1 } })
    expect(await store.requireSession(session.id)).toMatchObject({ title: 'fix the bug', messageCount: 1 })
    expect(await store.appendMessages(session.id, [], { title: 'renamed' })).toEqual([])
    expect(await store.requireSession(session.id)).toMatchObject({ title: 'renamed', messageCount: 1 })
    await expect(
      store.appendMessages(session.id, [{ role: 'user', parts: text('x') }], { title: 7 as never }),
    ).rejects.toMatchObject({ field: 'title' })
    await expect(
      store.appendMessages('ses_nope', [{ role: 'user', parts: text('x') }], { title: 't' }),
    ).rejects.toMatchObject({ code: 'not_found' })
    expect(await store.listMessages(session.id)).toHaveLength(1)
  })

  it('stores images and reasoning with its opaque provider fields exactly, and rejects malformed ones', async () => {
    const { store } = await setupBackend(backend)
    const session = await store.createSession({ workspace: '/w' })
    const image = { type: 'image' as const, mediaType: 'image/png' as const, data: 'iVBORw0KGgo=' }
    const parts = [
      { type: 'reasoning' as const, text: 'think', api: 'anthropic-messages', signature: 'c2ln' },
      {
        type: 'reasoning' as const,
        text: 'a',
        api: 'openai-responses',
        id: 'rs_1',
        summary: ['a'],
        encrypted: 'gAAA',
      },
      { type: 'tool_call' as const, id: 'c1', name: 'read_file', arguments: '{}' },
    ]
    await store.appendMessages(session.id, [
      { role: 'user', parts: [...text('see'), image] },
      { role: 'assistant', parts },
      {
        role: 'tool',
        parts: [
          {
            type: 'tool_result',
            toolCallId: 'c1',
            name: 'read_file',
            content: '',
            isError: false,
            images: [image],
          },
        ],
      },
    ])
    expect((await store.listMessages(session.id)).map((m) => m.parts)).toEqual([
      [...text('see'), image],
      parts,
      [
        {
          type: 'tool_result',
          toolCallId: 'c1',
          name: 'read_file',
          content: '',
          isError: false,
          images: [image],
        },
      ],
    ])
    const bad = (part: unknown) =>
      store.appendMessages(session.id, [{ role: 'user', parts: [part as never] }])
    await expect(bad({ type: 'image', mediaType: 'image/tiff', data: 'x' })).rejects.toThrow(
      /mediaType must be one of/,
    )
    await expect(bad({ type: 'image', mediaType: 'image/png' })).rejects.toThrow(/data must be a string/)
    await expect(bad({ type: 'reasoning', text: 'x', signature: 5 })).rejects.toThrow(
      /signature must be a string/,
    )
    await expect(bad({ type: 'reasoning', text: 'x', summary: [1] })).rejects.toThrow(
      /summary must be a list of strings/,
    )
    await expect(
      bad({
        type: 'tool_result',
        toolCallId: 'c',
        name: 'n',
        content: '',
        isError: false,
        images: [{ type: 'text', text: 'x' }],
      }),
    ).rejects.toThrow(/type must be image/)
  })

  it('keeps sessions apart', async () => {
    const store = await openBackend(backend)
    const a = await store.createSession({ workspace: '/w' })
    const b = await store.createSession({ workspace: '/w' })
    await store.appendMessages(a.id, [{ role: 'user', parts: text('a1') }])
    await store.appendMessages(b.id, [{ role: 'user', parts: text('b1') }])
    await store.appendMessages(a.id, [{ role: 'user', parts: text('a2') }])
    expect((await store.listMessages(a.id)).map((m) => m.parts[0])).toEqual([text('a1')[0], text('a2')[0]])
    expect((await store.requireSession(b.id)).messageCount).toBe(1)
  })

  it('lists a 1,000-message conversation quickly', async () => {
    const store = await openBackend(backend)
    const session = await store.createSession({ workspace: '/w' })
    const parts = [
      { type: 'text' as const, text: 'x'.repeat(400) },
      {
        type: 'tool_call' as const,
        id: 'c',
        name: 'read_file',
        arguments: JSON.stringify({ path: 'src/a.ts' }),
      },
    ]
    await store.appendMessages(
      session.id,
      Array.from({ length: 1000 }, (_, i) => ({
        role: i % 2 ? ('assistant' as const) : ('user' as const),
        parts,
      })),
    )
    // Its speed is measured by `pnpm bench:sessions`, not asserted here.
    const listed = await store.listMessages(session.id)
    expect(listed).toHaveLength(1000)
    expect(listed[999]?.parts).toEqual(parts)
  })
})
