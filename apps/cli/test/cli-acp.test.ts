/**
 * `penguin acp` (issue 19): an editor's view of Penguin, through the official ACP SDK's client side
 * against the real CLI, with the mock model over real HTTP.
 */
import { readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import * as acp from '@agentclientprotocol/sdk'
import { createGate, type MockServer } from '@penguin-ai/mock-llm'
import { describe, expect, test } from 'vitest'
import { type AcpPeer, choose, startAcp, startMock, tempDatabase, useAcpCleanup } from './acp-client.js'
import { makeRepo, runPenguin } from './cli-helpers.js'

let mock: MockServer | undefined
let peer: AcpPeer | undefined
useAcpCleanup()

async function initialize(connection: acp.ClientSideConnection): Promise<acp.InitializeResponse> {
  return connection.initialize({
    protocolVersion: acp.PROTOCOL_VERSION,
    clientCapabilities: { fs: { readTextFile: false, writeTextFile: false }, terminal: false },
  })
}

function updatesOf(peerNow: AcpPeer, kind: acp.SessionUpdate['sessionUpdate']): acp.SessionUpdate[] {
  return peerNow.updates.map((n) => n.update).filter((u) => u.sessionUpdate === kind)
}

describe('penguin acp', () => {
  test('a prompt streams the answer, tool calls with diffs and output, the plan and permission questions; the session is saved', async () => {
    const repo = await makeRepo({ 'a.txt': 'alpha\nbeta\n' })
    const db = await tempDatabase()
    mock = await startMock({
      script: [
        {
          toolCalls: [
            {
              name: 'todo_write',
              arguments: {
                todos: [
                  { content: 'Change a.txt', status: 'in_progress' },
                  { content: 'Check it', status: 'pending' },
                ],
              },
            },
          ],
        },
        {
          toolCalls: [
            { name: 'edit_file', arguments: { path: 'a.txt', old_string: 'alpha', new_string: 'omega' } },
          ],
        },
        { toolCalls: [{ name: 'run_command', arguments: { command: 'echo checked && touch ran.txt' } }] },
        { text: 'Changed alpha to omega.' },
        { text: 'It is omega now.' },
      ],
    })
    peer = await startAcp(['--model', 'openai/gpt-4o', '--base-url', mock.url, '--sandbox', 'off'], {
      env: { OPENAI_API_KEY: 'sk-test', PENGUIN_DB: db },
      // Edits allowed once; the command refused.
      answer: (request) => choose(request.toolCall.kind === 'edit' ? 'allow_once' : 'reject_once')(request),
    })
    const init = await initialize(peer.connection)
    expect(init.protocolVersion).toBe(acp.PROTOCOL_VERSION)
    expect(init.agentCapabilities?.promptCapabilities).toMatchObject({ image: true, embeddedContext: true })
    expect(init.agentInfo?.name).toBe('penguin')

    const { sessionId } = await peer.connection.newSession({ cwd: repo, mcpServers: [] })
    const { stopReason } = await peer.connection.prompt({
      sessionId,
      prompt: [{ type: 'text', text: 'rename alpha' }],
    })
    expect(stopReason).toBe('end_turn')

    // The plan, from todo_write.
    expect(updatesOf(peer, 'plan')).toEqual([
      {
        sessionUpdate: 'plan',
        entries: [
          { content: 'Change a.txt', status: 'in_progress', priority: 'medium' },
          { content: 'Check it', status: 'pending', priority: 'medium' },
        ],
      },
    ])
    // The edit: a tool call of kind edit at the file, asked about with the diff, then done with it.
    const calls = updatesOf(peer, 'tool_call') as Array<acp.ToolCall & { sessionUpdate: 'tool_call' }>
    expect(calls.map((call) => call.kind)).toEqual(['think', 'edit', 'execute'])
    const edit = calls[1]!
    expect(edit.locations).toEqual([{ path: join(repo, 'a.txt') }])
    expect(peer.questions).toHaveLength(2)
    const [editQuestion, commandQuestion] = peer.questions
    expect(editQuestion!.sessionId).toBe(sessionId)
    expect(editQuestion!.toolCall.toolCallId).toBe(edit.toolCallId)
    expect(editQuestion!.options.map((option) => option.kind)).toEqual([
      'allow_once',
      'allow_always',
      'reject_once',
    ])
    expect(editQuestion!.toolCall.content).toEqual([
      {
        type: 'diff',
        path: expect.stringMatching(/a\.txt$/),
        oldText: 'alpha\nbeta\n',
        newText: 'omega\nbeta\n',
      },
    ])
    const finished = updatesOf(peer, 'tool_call_update') as acp.ToolCallUpdate[]
    const editDone = finished.find((u) => u.toolCallId === edit.toolCallId && u.status === 'completed')
    expect(editDone?.content).toEqual([
      {
        type: 'diff',
        path: expect.stringMatching(/a\.txt$/),
        oldText: 'alpha\nbeta\n',
        newText: 'omega\nbeta\n',
      },
    ])
    expect(readFileSync(join(repo, 'a.txt'), 'utf8')).toBe('omega\nbeta\n')
    // The command: asked about (whole command shown), refused, reported failed; nothing ran.
    expect(JSON.stringify(commandQuestion!.toolCall.content)).toContain('echo checked && touch ran.txt')
    const commandDone = finished.find((u) => u.toolCallId === calls[2]!.toolCallId && u.status)
    expect(commandDone?.status).toBe('failed')
    expect(() => readFileSync(join(repo, 'ran.txt'))).toThrow()
    // The answer, streamed.
    const text = updatesOf(peer, 'agent_message_chunk')
      .map((u) =>
        u.sessionUpdate === 'agent_message_chunk' && u.content.type === 'text' ? u.content.text : '',
      )
      .join('')
    expect(text).toBe('Changed alpha to omega.')

    expect(await peer.close()).toBe(0)
    peer = undefined
    // An ordinary saved session.
    const list = await runPenguin(['sessions', 'list', '--json'], { env: { PENGUIN_DB: db } })
    expect(list.code, list.stderr).toBe(0)
    const sessions = JSON.parse(list.stdout) as Array<{ id: string; title: string; messageCount: number }>
    expect(sessions).toEqual([expect.objectContaining({ id: sessionId, title: 'rename alpha' })])

    // session/load in a new connection: the conversation replayed, then it goes on from there.
    peer = await startAcp(['--model', 'openai/gpt-4o', '--base-url', mock.url, '--sandbox', 'off'], {
      env: { OPENAI_API_KEY: 'sk-test', PENGUIN_DB: db },
    })
    expect((await initialize(peer.connection)).agentCapabilities?.loadSession).toBe(true)
    await peer.connection.loadSession({ sessionId, cwd: repo, mcpServers: [] })
    const replayed = peer.updates.map((n) => n.update)
    expect(peer.updates.every((n) => n.sessionId === sessionId)).toBe(true)
    expect(replayed[0]).toEqual({
      sessionUpdate: 'user_message_chunk',
      content: { type: 'text', text: 'rename alpha' },
    })
    expect(
      replayed.filter((u) => u.sessionUpdate === 'tool_call').map((u) => (u as acp.ToolCall).kind),
    ).toEqual(['think', 'edit', 'execute'])
    const replayedEdit = replayed.find(
      (u) => u.sessionUpdate === 'tool_call_update' && u.toolCallId === edit.toolCallId,
    ) as acp.ToolCallUpdate
    expect(replayedEdit.status).toBe('completed')
    expect(JSON.stringify(replayedEdit.content)).toContain('+omega')
    expect(replayed.at(-1)).toEqual({
      sessionUpdate: 'agent_message_chunk',
      content: { type: 'text', text: 'Changed alpha to omega.' },
    })
    expect(
      (await peer.connection.prompt({ sessionId, prompt: [{ type: 'text', text: 'and now?' }] })).stopReason,
    ).toBe('end_turn')
    const resumed = mock.requests.at(-1)!.json as { messages: Array<{ role: string }> }
    expect(resumed.messages.map((m) => m.role)).toEqual([
      'system',
      'user',
      'assistant',
      'tool',
      'assistant',
      'tool',
      'assistant',
      'tool',
      'assistant',
      'user',
    ])
  })

  test('a command that runs shows its output; embedded editor buffers and images reach the model', async () => {
    const repo = await makeRepo({ 'notes.md': 'saved text\n' })
    const db = await tempDatabase()
    mock = await startMock({
      script: [
        { toolCalls: [{ name: 'run_command', arguments: { command: 'echo hello-from-command' } }] },
        { text: 'Ran it.' },
      ],
    })
    peer = await startAcp(['--model', 'openai/gpt-4o', '--base-url', mock.url, '--sandbox', 'off'], {
      env: { OPENAI_API_KEY: 'sk-test', PENGUIN_DB: db },
      answer: choose('allow_always'),
    })
    await initialize(peer.connection)
    const { sessionId } = await peer.connection.newSession({ cwd: repo, mcpServers: [] })
    // A 1×1 PNG.
    const png =
      'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=='
    const { stopReason } = await peer.connection.prompt({
      sessionId,
      prompt: [
        { type: 'text', text: 'look at this' },
        {
          type: 'resource',
          resource: {
            uri: `file://${join(repo, 'notes.md')}`,
            mimeType: 'text/markdown',
            text: 'UNSAVED buffer text',
          },
        },
        { type: 'image', mimeType: 'image/png', data: png },
      ],
    })
    expect(stopReason).toBe('end_turn')
    const call = updatesOf(peer, 'tool_call')[0] as acp.ToolCall
    expect(call.kind).toBe('execute')
    const done = (updatesOf(peer, 'tool_call_update') as acp.ToolCallUpdate[]).find(
      (u) => u.toolCallId === call.toolCallId && u.status === 'completed',
    )
    expect(JSON.stringify(done?.content)).toContain('hello-from-command')
    // What the model was sent: the buffer's text inline, the image as an image part.
    const first = mock.requests[0]!.json as { messages: Array<{ role: string; content: unknown }> }
    const user = first.messages.find((m) => m.role === 'user')!
    const parts = user.content as Array<{ type: string; text?: string; image_url?: { url: string } }>
    expect(parts.find((p) => p.type === 'text')?.text).toContain('UNSAVED buffer text')
    expect(parts.find((p) => p.type === 'image_url')?.image_url?.url).toBe(`data:image/png;base64,${png}`)
  })

  test('--yes: writes and commands go ahead without a question to the editor', async () => {
    const repo = await makeRepo({ 'a.txt': 'a\n' })
    mock = await startMock({
      script: [
        { toolCalls: [{ name: 'run_command', arguments: { command: 'touch made-by-yes.txt' } }] },
        { text: 'Done.' },
      ],
    })
    peer = await startAcp(['--model', 'openai/gpt-4o', '--base-url', mock.url, '--sandbox', 'off', '--yes'], {
      env: { OPENAI_API_KEY: 'sk-test', PENGUIN_DB: await tempDatabase() },
    })
    await initialize(peer.connection)
    const { sessionId } = await peer.connection.newSession({ cwd: repo, mcpServers: [] })
    expect(
      (await peer.connection.prompt({ sessionId, prompt: [{ type: 'text', text: 'go' }] })).stopReason,
    ).toBe('end_turn')
    expect(peer.questions).toEqual([])
    expect(readFileSync(join(repo, 'made-by-yes.txt'), 'utf8')).toBe('')
  })

  test('session/cancel stops a running prompt: stop reason cancelled', async () => {
    const repo = await makeRepo({ 'a.txt': 'a\n' })
    const gate = createGate()
    mock = await startMock({
      script: [{ text: 'Thinking about it for a long while', holdAfterChunks: 3, holdUntil: gate.promise }],
    })
    peer = await startAcp(['--model', 'openai/gpt-4o', '--base-url', mock.url], {
      env: { OPENAI_API_KEY: 'sk-test', PENGUIN_DB: await tempDatabase() },
    })
    await initialize(peer.connection)
    const { sessionId } = await peer.connection.newSession({ cwd: repo, mcpServers: [] })
    const prompt = peer.connection.prompt({ sessionId, prompt: [{ type: 'text', text: 'go' }] })
    await peer.nextUpdate((u) => u.sessionUpdate === 'agent_message_chunk')
    await peer.connection.cancel({ sessionId })
    expect((await prompt).stopReason).toBe('cancelled')
    gate.open()
  })

  test('reasoning streams as agent_thought_chunk', async () => {
    const repo = await makeRepo({ 'a.txt': 'a\n' })
    mock = await startMock({ script: [{ reasoning: 'Consider the file first.', text: 'Fine.' }] })
    peer = await startAcp(['--model', 'anthropic/claude-sonnet-4-5', '--reasoning', 'low'], {
      env: {
        ANTHROPIC_API_KEY: 'sk-ant-test',
        ANTHROPIC_BASE_URL: mock.root,
        PENGUIN_DB: await tempDatabase(),
      },
    })
    await initialize(peer.connection)
    const { sessionId } = await peer.connection.newSession({ cwd: repo, mcpServers: [] })
    expect(
      (await peer.connection.prompt({ sessionId, prompt: [{ type: 'text', text: 'hi' }] })).stopReason,
    ).toBe('end_turn')
    const thought = updatesOf(peer, 'agent_thought_chunk')
      .map((u) =>
        u.sessionUpdate === 'agent_thought_chunk' && u.content.type === 'text' ? u.content.text : '',
      )
      .join('')
    expect(thought).toBe('Consider the file first.')
  })

  test('a bad workspace is an error the editor can show, and the connection lives on', async () => {
    peer = await startAcp(['--model', 'openai/gpt-4o'], {
      env: { OPENAI_API_KEY: 'sk-test', PENGUIN_DB: await tempDatabase() },
    })
    await initialize(peer.connection)
    await expect(
      peer.connection.newSession({ cwd: join(tmpdir(), 'penguin-no-such-dir-acp'), mcpServers: [] }),
    ).rejects.toMatchObject({ message: expect.stringMatching(/penguin-no-such-dir-acp/) })
    const repo = await makeRepo({})
    await expect(peer.connection.newSession({ cwd: repo, mcpServers: [] })).resolves.toHaveProperty(
      'sessionId',
    )
  })
})
