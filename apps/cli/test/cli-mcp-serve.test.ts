/**
 * `penguin mcp serve` through the real CLI and the official MCP client: penguin_run and
 * penguin_reply; what it refuses without --allow-writes and with it; what its hooks and the model
 * are told about it.
 */
import { existsSync } from 'node:fs'
import { mkdtemp, readFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Client } from '@modelcontextprotocol/sdk/client/index.js'
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js'
import type { MockTurn } from '@penguin-ai/mock-llm'
import { describe, expect, test } from 'vitest'
import { baseEnv, makeRepo, PENGUIN_BIN, toolContents } from './cli-helpers.js'
import { afterTest, mock, userConfig } from './mcp-helpers.js'

describe('penguin mcp serve', () => {
  async function connect(env: Record<string, string>, home: string, ...flags: string[]): Promise<Client> {
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [PENGUIN_BIN, 'mcp', 'serve', ...flags],
      env: { ...baseEnv(home), ...env },
      stderr: 'pipe',
    })
    const client = new Client({ name: 'test-agent', version: '1.0.0' })
    await client.connect(transport)
    afterTest(() => client.close())
    return client
  }

  test('answers tools/list and penguin_run from the official client; penguin_reply continues the session', async () => {
    const repo = await makeRepo({ 'notes.txt': 'the answer is 42' })
    const server = await mock([
      { toolCalls: [{ name: 'read_file', arguments: { path: 'notes.txt' } }] },
      { text: 'The notes say 42.' },
      { text: 'Still 42.' },
    ])
    const { env } = await userConfig({ model: 'openai/gpt-4o', baseUrl: server.url })
    const home = await mkdtemp(join(tmpdir(), 'penguin-home-'))
    const client = await connect(env, home)
    const { tools } = await client.listTools()
    expect(tools.map((tool) => tool.name).sort()).toEqual(['penguin_reply', 'penguin_run'])
    const run = await client.callTool({
      name: 'penguin_run',
      arguments: { prompt: 'what do the notes say?', cwd: repo },
    })
    expect(run.isError).toBeFalsy()
    const sessionId = (run.structuredContent as { session_id: string }).session_id
    expect(sessionId).toMatch(/\S/)
    expect(run.content).toEqual([
      { type: 'text', text: 'The notes say 42.' },
      { type: 'text', text: JSON.stringify({ session_id: sessionId }) },
    ])
    expect(run.structuredContent).toMatchObject({ status: 'completed', denied: [] })
    expect(toolContents(server, 1)[0]).toContain('the answer is 42')
    const reply = await client.callTool({
      name: 'penguin_reply',
      arguments: { session_id: sessionId, prompt: 'sure?' },
    })
    expect((reply.content as { text: string }[])[0]).toEqual({ type: 'text', text: 'Still 42.' })
    expect(reply.structuredContent).toMatchObject({ session_id: sessionId })
    // The reply carried the conversation so far.
    expect(JSON.stringify(server.requests[2]?.body?.messages)).toContain('The notes say 42.')
  })

  test('never writes or runs commands without --allow-writes; refusals are reported', async () => {
    const repo = await makeRepo({ 'a.txt': 'x' })
    const turns: MockTurn[] = [
      {
        toolCalls: [
          { name: 'write_file', arguments: { path: 'new.txt', content: 'hi' } },
          { name: 'run_command', arguments: { command: 'touch ran.txt' } },
        ],
      },
      { text: 'I could not.' },
    ]
    const server = await mock(turns)
    const { env } = await userConfig({ model: 'openai/gpt-4o', baseUrl: server.url })
    const home = await mkdtemp(join(tmpdir(), 'penguin-home-'))
    const client = await connect(env, home)
    const run = await client.callTool({ name: 'penguin_run', arguments: { prompt: 'write', cwd: repo } })
    expect(existsSync(join(repo, 'new.txt'))).toBe(false)
    expect(existsSync(join(repo, 'ran.txt'))).toBe(false)
    const text = (run.content as { text: string }[])[0]?.text ?? ''
    expect(text).toContain('I could not.')
    expect(text).toContain('Refused calls')
    expect(text).toContain('write_file')
    expect(toolContents(server, 1).join('\n')).toContain('without --allow-writes')

    const writer = await mock(turns)
    const writes = await userConfig({ model: 'openai/gpt-4o', baseUrl: writer.url })
    const allowed = await connect(writes.env, home, '--allow-writes')
    await allowed.callTool({ name: 'penguin_run', arguments: { prompt: 'write', cwd: repo } })
    expect(existsSync(join(repo, 'new.txt'))).toBe(true)
    expect(existsSync(join(repo, 'ran.txt'))).toBe(true)
  })

  test('--allow-writes approves only the default asks of the file and command tools: an ask rule still refuses', async () => {
    const repo = await makeRepo({ 'a.txt': 'x' })
    const server = await mock([
      {
        toolCalls: [
          { name: 'write_file', arguments: { path: 'new.txt', content: 'hi' } },
          { name: 'run_command', arguments: { command: 'touch ran.txt' } },
        ],
      },
      { text: 'Wrote it; the command was refused.' },
    ])
    const { env } = await userConfig({
      model: 'openai/gpt-4o',
      baseUrl: server.url,
      permissions: [{ tool: 'run_command', action: 'ask' }],
    })
    const home = await mkdtemp(join(tmpdir(), 'penguin-home-'))
    const client = await connect(env, home, '--allow-writes')
    const run = await client.callTool({ name: 'penguin_run', arguments: { prompt: 'write', cwd: repo } })
    expect(await readFile(join(repo, 'new.txt'), 'utf8')).toBe('hi')
    expect(existsSync(join(repo, 'ran.txt'))).toBe(false)
    const text = (run.content as { text: string }[])[0]?.text ?? ''
    expect(text).toContain('Wrote it; the command was refused.')
    expect(text).toContain('Refused calls')
    expect(text).toContain('run_command touch ran.txt')
    expect(text).not.toContain('write_file')
    expect(run.structuredContent).toMatchObject({ denied: [expect.stringContaining('run_command')] })
    // The model is told what could allow it here: not `penguin run`'s "rerun with --yes".
    const told = toolContents(server, 1).join('\n')
    expect(told).toContain('nobody can approve a call in penguin mcp serve')
    expect(told).not.toContain('--yes')
  })

  test('hooks are told the mode it works in: plan (read-only), acceptEdits with --allow-writes', async () => {
    const repo = await makeRepo({ 'a.txt': 'x' })
    const log = join(repo, 'prompts.jsonl')
    const { env } = await userConfig({
      model: 'openai/gpt-4o',
      baseUrl: (await mock([{ text: 'one' }, { text: 'two' }])).url,
      sandbox: { mode: 'off' },
      hooks: {
        UserPromptSubmit: [{ hooks: [{ type: 'command', command: `cat >> ${log}; echo >> ${log}` }] }],
      },
    })
    const home = await mkdtemp(join(tmpdir(), 'penguin-home-'))
    const reading = await connect(env, home)
    await reading.callTool({ name: 'penguin_run', arguments: { prompt: 'read', cwd: repo } })
    const writing = await connect(env, home, '--allow-writes')
    await writing.callTool({ name: 'penguin_run', arguments: { prompt: 'write', cwd: repo } })
    const told = (await readFile(log, 'utf8'))
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as { prompt: string; permission_mode: string })
    expect(told.map(({ prompt, permission_mode }) => [prompt, permission_mode])).toEqual([
      ['read', 'plan'],
      ['write', 'acceptEdits'],
    ])
  })
})
