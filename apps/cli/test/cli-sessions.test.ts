import { mkdtemp, readFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type MockServer, type MockTurn, startMockServer } from '@penguin-ai/mock-llm'
import { lineWrittenTo } from '@penguin-ai/testkit'
import { afterEach, describe, expect, test } from 'vitest'
import { makeRepo, runPenguin } from './cli-helpers.js'

let mock: MockServer | undefined
afterEach(async () => {
  await mock?.close()
  mock = undefined
})

interface WireMessage {
  role: string
  content?: unknown
  tool_calls?: Array<{ id: string }>
  tool_call_id?: string
}

async function setup(script: MockTurn[] | ((request: never, index: number) => MockTurn)) {
  mock = await startMockServer({ script: script as MockTurn[] })
  const db = join(await mkdtemp(join(tmpdir(), 'penguin-db-')), 'penguin.db')
  const repo = await makeRepo({ 'notes.txt': 'v1\n' })
  const env = { PENGUIN_DB: db, OPENAI_API_KEY: 'sk-test' }
  const server = mock
  const penguin = (...args: string[]) => runPenguin(args, { env, cwd: repo })
  const run = (...args: string[]) =>
    penguin('run', '--model', 'openai/gpt-4o', '--base-url', server.url, '--yes', ...args)
  return { server, repo, db, env, penguin, run }
}

const write = (content: string): MockTurn => ({
  toolCalls: [{ name: 'write_file', arguments: { path: 'notes.txt', content } }],
})

function messagesOf(server: MockServer, index: number): WireMessage[] {
  return (server.requests[index]?.body?.messages ?? []) as WireMessage[]
}

function everyCallAnswered(messages: WireMessage[]): boolean {
  const answered = new Set(messages.filter((m) => m.role === 'tool').map((m) => m.tool_call_id))
  return messages.flatMap((m) => m.tool_calls ?? []).every((call) => answered.has(call.id))
}

describe('sessions end to end', () => {
  test('a run is saved as a session; --continue and --session resume it; list, show, export', async () => {
    const { server, run, penguin } = await setup([
      write('v2\n'),
      { text: 'Wrote v2.' },
      { text: 'It is v2 now.' },
      { text: 'Yes.' },
    ])
    const first = await run('set notes to v2')
    expect(first.code, first.stderr).toBe(0)
    const id = /session (ses_\w+)/.exec(first.stderr)?.[1]
    expect(id).toBeDefined()

    const second = await run('--continue', 'what is in notes?')
    expect(second.code, second.stderr).toBe(0)
    const resumed = messagesOf(server, 2)
    expect(resumed.map((m) => m.role)).toEqual(['system', 'user', 'assistant', 'tool', 'assistant', 'user'])
    expect(resumed[1]?.content).toBe('set notes to v2')

    const third = await run('--session', id!.slice(0, 10), 'sure?')
    expect(third.code, third.stderr).toBe(0)
    expect(messagesOf(server, 3)).toHaveLength(8)

    const list = JSON.parse((await penguin('sessions', 'list', '--json')).stdout) as Array<{
      id: string
      messageCount: number
      title: string
    }>
    expect(list).toHaveLength(1)
    expect(list[0]).toMatchObject({ id, messageCount: 8, title: 'set notes to v2' })

    const shown = await penguin('sessions', 'show', id!)
    expect(shown.stdout).toContain('set notes to v2')
    expect(shown.stdout).toContain('write_file')
    const exported = JSON.parse((await penguin('sessions', 'export', id!, '--format', 'json')).stdout) as {
      session: { id: string }
      messages: unknown[]
    }
    expect(exported.session.id).toBe(id)
    expect(exported.messages).toHaveLength(8)

    const missing = await run('--session', 'ses_doesnotexist', 'x')
    expect(missing.code).toBe(2)
    expect(missing.stderr).toMatch(/not found/)
  })

  test('a run killed mid-turn resumes cleanly with --continue', async () => {
    const { server, repo, env, run } = await setup((_request, index) =>
      index === 0
        ? {
            toolCalls: [
              { name: 'run_command', arguments: { command: 'echo started > started.txt && sleep 600' } },
            ],
          }
        : index === 1
          ? write('v2\n')
          : { text: 'Done after resuming.' },
    )
    const killed = await runPenguin(
      ['run', '--model', 'openai/gpt-4o', '--base-url', server.url, '--yes', 'long job'],
      {
        env,
        cwd: repo,
        // Killed once the command has visibly started (it wrote its marker).
        onSpawn: (child) => {
          void lineWrittenTo(join(repo, 'started.txt')).then(() => child.kill('SIGKILL'))
        },
      },
    )
    expect(killed.signal).toBe('SIGKILL')

    const resumed = await run('--continue', 'please finish')
    expect(resumed.code, resumed.stderr).toBe(0)
    const sent = messagesOf(server, 1)
    expect(sent[1]).toMatchObject({ role: 'user', content: 'long job' })
    expect(sent.at(-1)).toMatchObject({ role: 'user', content: 'please finish' })
    expect(everyCallAnswered(sent)).toBe(true)
    for (let i = 1; i < server.requests.length; i++)
      expect(everyCallAnswered(messagesOf(server, i))).toBe(true)
    expect(await readFile(join(repo, 'notes.txt'), 'utf8')).toBe('v2\n')
  })

  test('checkpoints: list, diff, restore needs --yes, and the restore can be undone', async () => {
    const { run, penguin, repo } = await setup([write('v2\n'), { text: 'v2' }, write('v3\n'), { text: 'v3' }])
    await run('make v2')
    await run('--continue', 'make v3')
    expect(await readFile(join(repo, 'notes.txt'), 'utf8')).toBe('v3\n')

    const checkpoints = JSON.parse((await penguin('checkpoint', 'list', '--json')).stdout) as Array<{
      id: number
      kind: string
      messageCount: number
    }>
    expect(checkpoints.map((c) => c.kind)).toEqual(['turn', 'turn'])
    const first = checkpoints.at(-1)!

    const diff = await penguin('checkpoint', 'diff', String(first.id))
    expect(diff.stdout).toContain('-v1')
    expect(diff.stdout).toContain('+v3')

    const refused = await penguin('checkpoint', 'restore', String(first.id))
    expect(refused.code).toBe(2)
    expect(refused.stderr).toMatch(/M notes\.txt/)
    expect(refused.stderr).toMatch(/--yes/)
    expect(await readFile(join(repo, 'notes.txt'), 'utf8')).toBe('v3\n')

    const restored = await penguin('checkpoint', 'restore', String(first.id), '--yes')
    expect(restored.code, restored.stderr).toBe(0)
    expect(await readFile(join(repo, 'notes.txt'), 'utf8')).toBe('v1\n')
    const sessions = JSON.parse((await penguin('sessions', 'list', '--json')).stdout) as Array<{
      messageCount: number
    }>
    expect(sessions[0]!.messageCount).toBe(first.messageCount)

    const undoId = /checkpoint restore (\d+)/.exec(restored.stdout)?.[1]
    expect(undoId).toBeDefined()
    expect((await penguin('checkpoint', 'restore', undoId!, '--yes')).code).toBe(0)
    expect(await readFile(join(repo, 'notes.txt'), 'utf8')).toBe('v3\n')
    const after = JSON.parse((await penguin('sessions', 'list', '--json')).stdout) as Array<{
      messageCount: number
    }>
    expect(after[0]!.messageCount).toBe(8)
  })

  test('fork at a checkpoint branches the conversation and leaves the original untouched', async () => {
    const { run, penguin, repo } = await setup([write('v2\n'), { text: 'v2' }, write('v3\n'), { text: 'v3' }])
    await run('make v2')
    await run('--continue', 'make v3')
    const [session] = JSON.parse((await penguin('sessions', 'list', '--json')).stdout) as Array<{
      id: string
    }>
    const checkpoints = JSON.parse((await penguin('checkpoint', 'list', '--json')).stdout) as Array<{
      id: number
      messageCount: number
    }>
    const beforeV3 = checkpoints[0]!
    const forked = await penguin(
      'sessions',
      'fork',
      session!.id,
      '--at',
      String(beforeV3.id),
      '--yes',
      '--json',
    )
    expect(forked.code, forked.stderr).toBe(0)
    const fork = JSON.parse(forked.stdout) as { id: string; messageCount: number; parentId: string }
    expect(fork).toMatchObject({ parentId: session!.id, messageCount: beforeV3.messageCount })
    expect(await readFile(join(repo, 'notes.txt'), 'utf8')).toBe('v2\n')
    const all = JSON.parse((await penguin('sessions', 'list', '--json')).stdout) as Array<{
      id: string
      messageCount: number
    }>
    expect(all.find((s) => s.id === session!.id)?.messageCount).toBe(8)

    expect((await penguin('sessions', 'delete', fork.id)).code).toBe(0)
    expect((await penguin('sessions', 'show', fork.id)).code).toBe(2)
  })

  test('show and export redact secrets that reached the conversation (issue 12 §6)', async () => {
    const { penguin, env, repo } = await setup([{ text: 'Noted: https://bob:hunter2-db@db.example/app' }])
    const secrets = {
      ...env,
      DEPLOY_TOKEN: 'plain-deploy-value-77',
      AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI-K7MDENG',
    }
    const first = await runPenguin(
      [
        'run',
        '--model',
        'openai/gpt-4o',
        '--base-url',
        mock!.url,
        'deploy with plain-deploy-value-77 and wJalrXUtnFEMI-K7MDENG',
      ],
      { env: secrets, cwd: repo },
    )
    expect(first.code, first.stderr).toBe(0)
    const id = /session (ses_\w+)/.exec(first.stderr)?.[1]
    expect(id).toBeDefined()
    for (const format of ['markdown', 'json']) {
      const exported = await runPenguin(['sessions', 'export', id!, '--format', format], { env: secrets })
      expect(exported.code, exported.stderr).toBe(0)
      expect(exported.stdout).toContain('[REDACTED]')
      for (const secret of ['plain-deploy-value-77', 'wJalrXUtnFEMI-K7MDENG', 'hunter2-db'])
        expect(exported.stdout, format).not.toContain(secret)
      expect(exported.stdout).toContain('https://bob:[REDACTED]@db.example/app')
    }
    // Still valid JSON after redaction.
    const shown = await penguin('sessions', 'show', id!, '--json')
    expect(shown.code, shown.stderr).toBe(0)
    expect(() => JSON.parse(shown.stdout)).not.toThrow()
  })
})
