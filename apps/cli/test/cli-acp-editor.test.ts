/**
 * `penguin acp` using what the editor lends it (issue 19): its file system (unsaved buffers),
 * its MCP servers and its session modes — through the official ACP SDK's client side against the
 * real CLI, with the mock model over real HTTP.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { MockServer } from '@penguin-ai/mock-llm'
import { afterEach, describe, expect, test } from 'vitest'
import {
  type AcpPeer,
  choose,
  editorBuffers,
  initializeClient,
  startAcp,
  startMock,
  tempDatabase,
  useAcpCleanup,
} from './acp-client.js'
import { makeRepo, runPenguin } from './cli-helpers.js'
import { EVERYTHING, everythingOverHttp } from './mcp-servers.js'

let mock: MockServer | undefined
let peer: AcpPeer | undefined
const cleanups: (() => Promise<void>)[] = []
useAcpCleanup()
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup()
})

/** The tool results the model was sent in request `n`, by call id. */
function toolResults(server: MockServer, n: number): Map<string, string> {
  const body = server.requests[n]!.json as {
    messages: Array<{ role: string; tool_call_id?: string; content: unknown }>
  }
  return new Map(
    body.messages
      .filter((m) => m.role === 'tool')
      .map((m) => [
        m.tool_call_id ?? '',
        typeof m.content === 'string' ? m.content : JSON.stringify(m.content),
      ]),
  )
}

describe('penguin acp with the editor file system', () => {
  test('reads and edits go through fs/read_text_file and fs/write_text_file: the model sees the unsaved buffer, the edit lands in the editor', async () => {
    const repo = await makeRepo({
      'src/app.ts': 'export const greeting = "saved"\n',
      'closed.ts': 'on disk only\n',
      'broken.ts': 'x\n',
    })
    const outside = await makeRepo({ 'secret.txt': 'not for the model\n' })
    const app = join(repo, 'src', 'app.ts')
    const editor = editorBuffers({ [app]: 'export const greeting = "unsaved"\nexport const extra = 1\n' }, [
      join(repo, 'broken.ts'),
    ])
    const db = await tempDatabase()
    mock = await startMock({
      script: [
        {
          toolCalls: [
            { id: 'read-app', name: 'read_file', arguments: { path: 'src/app.ts' } },
            { id: 'read-closed', name: 'read_file', arguments: { path: 'closed.ts' } },
            { id: 'read-broken', name: 'read_file', arguments: { path: 'broken.ts' } },
            { id: 'read-outside', name: 'read_file', arguments: { path: join(outside, 'secret.txt') } },
          ],
        },
        {
          toolCalls: [
            {
              id: 'edit-app',
              name: 'edit_file',
              arguments: { path: 'src/app.ts', old_string: 'extra = 1', new_string: 'extra = 2' },
            },
          ],
        },
        {
          toolCalls: [
            { id: 'write-new', name: 'write_file', arguments: { path: 'src/new.ts', content: 'new\n' } },
          ],
        },
        { text: 'Edited the buffer.' },
      ],
    })
    peer = await startAcp(['--model', 'openai/gpt-4o', '--base-url', mock.url, '--sandbox', 'off'], {
      env: { OPENAI_API_KEY: 'sk-test', PENGUIN_DB: db },
      answer: choose('allow_once'),
      fs: editor.fs,
    })
    await initializeClient(peer.connection, { readTextFile: true, writeTextFile: true })
    const { sessionId } = await peer.connection.newSession({ cwd: repo, mcpServers: [] })
    const { stopReason } = await peer.connection.prompt({
      sessionId,
      prompt: [{ type: 'text', text: 'bump extra' }],
    })
    expect(stopReason).toBe('end_turn')

    // What the model read: the editor's buffer, not the disk; a file without a buffer as the editor
    // gives it (from the disk here); the editor's error as the tool's; nothing outside the workspace.
    const read = toolResults(mock, 1)
    expect(read.get('read-app')).toBe(
      '     1\texport const greeting = "unsaved"\n     2\texport const extra = 1',
    )
    expect(read.get('read-closed')).toBe('     1\ton disk only')
    expect(read.get('read-broken')).toMatch(/^Reading broken\.ts from the editor failed: Resource not found/)
    expect(read.get('read-outside')).toMatch(/outside the workspace/)
    expect(editor.reads).not.toContain(join(outside, 'secret.txt'))

    // The edit matched the buffer (it is not on disk), was asked about with the buffer's text as
    // the old side, and was written to the editor; the disk keeps the saved text.
    const [editQuestion, writeQuestion] = peer.questions
    expect(editQuestion!.toolCall.content).toEqual([
      {
        type: 'diff',
        path: app,
        oldText: 'export const greeting = "unsaved"\nexport const extra = 1\n',
        newText: 'export const greeting = "unsaved"\nexport const extra = 2\n',
      },
    ])
    expect(toolResults(mock, 2).get('edit-app')).toBe('Edited src/app.ts: replaced 1 occurrence.')
    expect(editor.held.get(app)).toBe('export const greeting = "unsaved"\nexport const extra = 2\n')
    expect(readFileSync(app, 'utf8')).toBe('export const greeting = "saved"\n')
    const edited = peer.updates
      .map((n) => n.update)
      .find((u) => u.sessionUpdate === 'tool_call_update' && u.status === 'completed' && u.kind === 'edit')
    expect(edited && 'content' in edited ? edited.content : undefined).toEqual(editQuestion!.toolCall.content)

    // A new file goes through the editor too (its folder made on disk for it).
    expect(writeQuestion!.toolCall.content).toEqual([
      { type: 'diff', path: join(repo, 'src', 'new.ts'), oldText: null, newText: 'new\n' },
    ])
    expect(editor.writes).toEqual([app, join(repo, 'src', 'new.ts')])
    expect(editor.held.get(join(repo, 'src', 'new.ts'))).toBe('new\n')

    // Checkpoints still snapshot the workspace before the file-changing turns.
    expect(await peer.close()).toBe(0)
    peer = undefined
    const checkpoints = await runPenguin(['checkpoint', 'list', '--session', sessionId, '--json'], {
      env: { PENGUIN_DB: db },
    })
    expect(checkpoints.code, checkpoints.stderr).toBe(0)
    expect((JSON.parse(checkpoints.stdout) as unknown[]).length).toBeGreaterThanOrEqual(2)
  })

  test('a client that lends only reading: writes go to the disk, reads to the editor', async () => {
    const repo = await makeRepo({ 'a.txt': 'disk\n' })
    const editor = editorBuffers({ [join(repo, 'a.txt')]: 'buffer\n' })
    mock = await startMock({
      script: [
        {
          toolCalls: [
            { name: 'edit_file', arguments: { path: 'a.txt', old_string: 'buffer', new_string: 'edited' } },
          ],
        },
        { text: 'Done.' },
      ],
    })
    peer = await startAcp(['--model', 'openai/gpt-4o', '--base-url', mock.url, '--sandbox', 'off', '--yes'], {
      env: { OPENAI_API_KEY: 'sk-test', PENGUIN_DB: await tempDatabase() },
      fs: editor.fs,
    })
    await initializeClient(peer.connection, { readTextFile: true, writeTextFile: false })
    const { sessionId } = await peer.connection.newSession({ cwd: repo, mcpServers: [] })
    await peer.connection.prompt({ sessionId, prompt: [{ type: 'text', text: 'edit' }] })
    expect(readFileSync(join(repo, 'a.txt'), 'utf8')).toBe('edited\n')
    expect(editor.writes).toEqual([])
    expect(editor.reads).toContain(join(repo, 'a.txt'))
  })

  test('without the capability, the disk is used and the client is never asked', async () => {
    const repo = await makeRepo({ 'a.txt': 'disk\n' })
    const editor = editorBuffers({ [join(repo, 'a.txt')]: 'buffer\n' })
    mock = await startMock({
      script: [{ toolCalls: [{ id: 'r', name: 'read_file', arguments: { path: 'a.txt' } }] }, { text: 'ok' }],
    })
    peer = await startAcp(['--model', 'openai/gpt-4o', '--base-url', mock.url], {
      env: { OPENAI_API_KEY: 'sk-test', PENGUIN_DB: await tempDatabase() },
      fs: editor.fs,
    })
    await initializeClient(peer.connection, { readTextFile: false, writeTextFile: false })
    const { sessionId } = await peer.connection.newSession({ cwd: repo, mcpServers: [] })
    await peer.connection.prompt({ sessionId, prompt: [{ type: 'text', text: 'read' }] })
    expect(toolResults(mock, 1).get('r')).toBe('     1\tdisk')
    expect(editor.reads).toEqual([])
  })
})

describe('penguin acp with the editor MCP servers', () => {
  const ECHO = (id: string) => ({
    toolCalls: [{ id, name: 'mcp__everything__echo', arguments: { message: `hello ${id}` } }],
  })

  test('session/new: a stdio server the editor names is connected for that session; its tools ask first', async () => {
    const repo = await makeRepo({ 'a.txt': 'x' })
    const db = await tempDatabase()
    mock = await startMock({ script: [ECHO('stdio'), { text: 'It echoed.' }, { text: 'Hi.' }] })
    peer = await startAcp(['--model', 'openai/gpt-4o', '--base-url', mock.url], {
      env: { OPENAI_API_KEY: 'sk-test', PENGUIN_DB: db },
      answer: choose('allow_once'),
    })
    const init = await initializeClient(peer.connection)
    expect(init.agentCapabilities?.mcpCapabilities).toMatchObject({ http: true, sse: true })
    const { sessionId } = await peer.connection.newSession({
      cwd: repo,
      mcpServers: [{ name: 'everything', command: process.execPath, args: [EVERYTHING, 'stdio'], env: [] }],
    })
    const { stopReason } = await peer.connection.prompt({
      sessionId,
      prompt: [{ type: 'text', text: 'echo' }],
    })
    expect(stopReason).toBe('end_turn')
    const offered = (mock.requests[0]!.json as { tools: Array<{ function: { name: string } }> }).tools.map(
      (tool) => tool.function.name,
    )
    expect(offered).toContain('mcp__everything__echo')
    expect(peer.questions.map((q) => q.toolCall.title)).toEqual(['mcp__everything__echo'])
    expect(toolResults(mock, 1).get('stdio')).toBe('Echo: hello stdio')

    // Another session on the same connection without it: the server is that session's only.
    const other = await peer.connection.newSession({ cwd: repo, mcpServers: [] })
    await peer.connection.prompt({ sessionId: other.sessionId, prompt: [{ type: 'text', text: 'hi' }] })
    const tools = (mock.requests[2]!.json as { tools: Array<{ function: { name: string } }> }).tools
    expect(tools.map((tool) => tool.function.name)).not.toContain('mcp__everything__echo')
  })

  test('session/load: an HTTP server the editor names is connected for the loaded session', async () => {
    const server = await everythingOverHttp()
    cleanups.push(() => server.stop())
    const repo = await makeRepo({ 'a.txt': 'x' })
    const db = await tempDatabase()
    mock = await startMock({ script: [{ text: 'First.' }, ECHO('http'), { text: 'It echoed.' }] })
    const args = ['--model', 'openai/gpt-4o', '--base-url', mock.url, '--yes']
    const env = { OPENAI_API_KEY: 'sk-test', PENGUIN_DB: db }
    peer = await startAcp(args, { env })
    await initializeClient(peer.connection)
    const { sessionId } = await peer.connection.newSession({ cwd: repo, mcpServers: [] })
    await peer.connection.prompt({ sessionId, prompt: [{ type: 'text', text: 'first' }] })
    expect(await peer.close()).toBe(0)

    peer = await startAcp(args, { env })
    await initializeClient(peer.connection)
    await peer.connection.loadSession({
      sessionId,
      cwd: repo,
      mcpServers: [{ type: 'http', name: 'everything', url: server.url, headers: [] }],
    })
    const { stopReason } = await peer.connection.prompt({
      sessionId,
      prompt: [{ type: 'text', text: 'echo' }],
    })
    expect(stopReason).toBe('end_turn')
    expect(toolResults(mock, 2).get('http')).toBe('Echo: hello http')
  })
})
