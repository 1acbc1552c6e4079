// `penguin --server URL run …` and chat against a real server (in this process, on a real port)
// with the mock model: the built CLI talks to it over HTTP and SSE like any remote client.
import { existsSync } from 'node:fs'
import { mkdir, mkdtemp, readFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { serve } from '@penguin-ai/server'
import { describe, expect, test } from 'vitest'
import { jsonLines, runPenguin, runPenguinInTerminal } from './cli-helpers.js'
import { useRemoteServer } from './remote-server.js'

const world = useRemoteServer('penguin-remote-root-')

const READ_THEN_WRITE = [
  { text: 'Let me look.\n', toolCalls: [{ name: 'read_file', arguments: { path: 'a.txt' } }] },
  { toolCalls: [{ name: 'write_file', arguments: { path: 'b.txt', content: 'two\n' } }] },
  { text: 'Done: b.txt says two.' },
]

describe('penguin --server URL run', () => {
  test('streams the answer and tool lines like a local run, and exits 0', async () => {
    const dir = await world.workspace({ 'a.txt': 'one\n' })
    world.mock.push(...READ_THEN_WRITE)
    const result = await runPenguin(['--server', world.server.url, 'run', '--yes', 'copy a to b'], {
      cwd: dir,
    })
    expect(result.stderr).not.toMatch(/\n\s+at /)
    expect(result.code).toBe(0)
    expect(result.stdout).toBe('Let me look.\nDone: b.txt says two.\n')
    expect(result.stderr).toMatch(/✓ read_file a\.txt\n✓ write_file b\.txt \(new, \+1\)\n✓ done · 3 turns · /)
    expect(result.stderr).toMatch(
      /session ses_\w+ · continue with: penguin --server http:\/\/127\.0\.0\.1:\d+ run --session ses_\w+/,
    )
    expect(await readFile(join(dir, 'b.txt'), 'utf8')).toBe('two\n')
    const sessions = await world.client.sessions.list({ workspace: dir })
    expect(sessions.items).toHaveLength(1)
    expect(sessions.items[0]).toMatchObject({ message_count: 6, auto_approve: true })
  })

  test('--json prints the engine events, one per line, exactly as a local run does', async () => {
    const dir = await world.workspace({ 'a.txt': 'one\n' })
    world.mock.push(...READ_THEN_WRITE)
    const result = await runPenguin([
      'run',
      '--server',
      world.server.url,
      '--json',
      '--yes',
      '--cwd',
      dir,
      'copy a to b',
    ])
    expect(result.code).toBe(0)
    expect(result.stderr).toBe('')
    const events = jsonLines(result.stdout)
    expect(events[0]).toMatchObject({ type: 'run.started', workspace: dir, prompt: 'copy a to b' })
    expect(events.at(-1)).toMatchObject({
      type: 'run.finished',
      status: 'completed',
      text: 'Done: b.txt says two.',
    })
    expect(events.map((e) => e.type)).toEqual(
      expect.arrayContaining(['tool.started', 'tool.finished', 'usage']),
    )
    expect(events.every((e) => !('session_id' in e) && !('run_id' in e) && typeof e.runId === 'string')).toBe(
      true,
    )
  })

  test('PENGUIN_SERVER and --continue reuse the workspace session; a denied write without --yes', async () => {
    const dir = await world.workspace({ 'a.txt': 'one\n' })
    world.mock.push({ text: 'First.' })
    const first = await runPenguin(['run', 'hello'], { cwd: dir, env: { PENGUIN_SERVER: world.server.url } })
    expect(first.code).toBe(0)
    world.mock.push(
      { toolCalls: [{ name: 'write_file', arguments: { path: 'c.txt', content: 'x' } }] },
      { text: 'Could not write.' },
    )
    const second = await runPenguin(['run', '--continue', 'write c'], {
      cwd: dir,
      env: { PENGUIN_SERVER: world.server.url },
    })
    expect(second.code).toBe(0)
    expect(second.stderr).toContain(
      '! write_file needs approval: denied (non-interactive; rerun with --yes to allow)',
    )
    expect(existsSync(join(dir, 'c.txt'))).toBe(false)
    const { items } = await world.client.sessions.list({ workspace: dir })
    expect(items).toHaveLength(1)
    expect(items[0]!.message_count).toBe(6)
  })

  test('a failed run exits 1', async () => {
    const dir = await world.workspace()
    world.mock.push({ fault: { status: 400, message: 'bad request from the mock' } })
    const result = await runPenguin(['--server', world.server.url, 'run', '--cwd', dir, 'hi'])
    expect(result.code).toBe(1)
    expect(result.stderr).toMatch(/✗ failed: .*bad request from the mock/)
  })

  test('Ctrl-C cancels the run on the server and exits 130', async () => {
    const dir = await world.workspace()
    // The answer starts (so the CLI prints), then stalls until the run is cancelled.
    world.mock.push({ text: 'slow '.repeat(200), holdUntil: new Promise(() => {}), holdAfterChunks: 2 })
    let sent = false
    const result = await runPenguin(['--server', world.server.url, 'run', '--cwd', dir, 'take your time'], {
      onStdout: (_chunk, child) => {
        if (!sent) {
          sent = true
          child.kill('SIGINT')
        }
      },
    })
    expect(result.code).toBe(130)
    expect(result.stderr).toContain('■ interrupted')
    const { items } = await world.client.sessions.list({ workspace: dir })
    expect(items[0]!.active_run_id).toBeNull()
  })
})

describe('remote errors', () => {
  test('an unreachable server: exit 1 with the address and a hint, no stack', async () => {
    const result = await runPenguin(['--server', 'http://127.0.0.1:1', 'run', 'hi'])
    expect(result.code).toBe(1)
    expect(result.stderr).toMatch(
      /^penguin: Cannot reach the Penguin server at http:\/\/127\.0\.0\.1:1: .*Is "penguin serve" running there\?/,
    )
    expect(result.stderr).not.toMatch(/\n\s+at /)
  })

  test('a workspace outside the server root: exit 2', async () => {
    const outside = await mkdtemp(join(tmpdir(), 'penguin-outside-'))
    const result = await runPenguin(['--server', world.server.url, 'run', '--cwd', outside, 'hi'])
    expect(result.code).toBe(2)
    expect(result.stderr).toMatch(/outside the server's root/)
  })

  test('usage errors: bad URL, local-only flags, other commands, --token alone', async () => {
    const bad = await runPenguin(['--server', 'localhost:8787', 'run', 'hi'])
    expect([bad.code, bad.stderr]).toEqual([
      2,
      'penguin: --server must be an http:// or https:// URL (got "localhost:8787").\n',
    ])
    const local = await runPenguin(['--server', world.server.url, 'run', '--max-iterations', '3', 'hi'])
    expect(local.code).toBe(2)
    expect(local.stderr).toContain('--max-iterations does not apply to a remote server')
    const reasoning = await runPenguin(['--server', world.server.url, 'run', '--reasoning', 'high', 'hi'])
    expect(reasoning.code).toBe(2)
    expect(reasoning.stderr).toContain('--reasoning does not apply to a remote server')
    const other = await runPenguin(['--server', world.server.url, 'sessions', 'list'])
    expect(other.code).toBe(2)
    expect(other.stderr).toContain('work with "penguin run" and chat')
    const token = await runPenguin(['run', '--token', 'abc', 'hi'])
    expect(token.code).toBe(2)
    expect(token.stderr).toContain('--token needs a server')
  })

  test('a server that wants a token: exit 2 saying how to pass one', async () => {
    const authed = await serve({
      port: 0,
      root: world.root,
      dbPath: join(world.root, '.penguin-auth', 'penguin.db'),
      handleSignals: false,
      log: () => undefined,
    })
    try {
      const result = await runPenguin(['--server', authed.url, '--token', 'wrong', 'run', 'hi'], {
        cwd: world.root,
      })
      expect(result.code).toBe(2)
      expect(result.stderr).toMatch(/refused the request: .*--token TOKEN or set PENGUIN_TOKEN/)
    } finally {
      await authed.close()
    }
  })
})

describe('penguin --server URL (chat)', () => {
  test('prompts line by line on one server session; /sessions and a permission answered "n"', async () => {
    const dir = await world.workspace()
    await mkdir(join(dir, 'sub'))
    world.mock.push(
      { text: 'First answer.' },
      { toolCalls: [{ name: 'write_file', arguments: { path: 'a.txt', content: 'new' } }] },
      { text: 'Okay, I did not write it.' },
    )
    const result = await runPenguin(['--server', world.server.url, '--cwd', dir], {
      stdin: 'hello\n/sessions\nwrite it\nn\n/model\n/exit\n',
    })
    expect(result.code).toBe(0)
    expect(result.stdout).toContain(`Penguin · openai/gpt-4o · ${dir} · ${world.server.url}`)
    expect(result.stdout).toContain('First answer.')
    expect(result.stdout).toMatch(/\* +ses_\w+ /)
    expect(result.stdout).toMatch(/Allow write_file a\.txt/)
    expect(result.stdout).toContain('Okay, I did not write it.')
    expect(result.stdout).toContain('Model: openai/gpt-4o')
    expect(existsSync(join(dir, 'a.txt'))).toBe(false)
    const { items } = await world.client.sessions.list({ workspace: dir })
    expect(items).toHaveLength(1)
  })
})

describe('penguin --server URL (chat): /undo, /redo, /diff', () => {
  test('whole turns are undone on the server (files and conversation), redone, and still undoable after --continue', async () => {
    const dir = await world.workspace({ 'notes.txt': 'v1\n' })
    const write = (content: string) => ({
      toolCalls: [{ name: 'write_file', arguments: { path: 'notes.txt', content } }],
    })
    world.mock.push(write('v2\n'), { text: 'Wrote v2.' }, write('v3\n'), { text: 'Wrote v3.' })
    const notes = () => readFile(join(dir, 'notes.txt'), 'utf8')
    const args = ['--server', world.server.url, '--cwd', dir, '--yes']
    const first = await runPenguinInTerminal(args, [
      { expect: '› ', send: 'write v2\r' },
      { expect: 'Wrote v2.', send: '' },
      { expect: '› ', send: 'write v3\r' },
      { expect: 'Wrote v3.', send: '' },
      { expect: '› ', send: '/diff\r' },
      { expect: '(+1 -1)', send: '' },
      { expect: '› ', send: '/undo\r' },
      { expect: 'conversation:', send: '' },
      { expect: '› ', send: '/exit\r' },
    ])
    expect(first.code, first.stdout).toBe(0)
    expect(first.stdout).toMatch(/notes\.txt \(\+1 -1\)/)
    expect(first.stdout).toMatch(/1 \+ v3/)
    expect(first.stdout).toContain('Undid “write v3”:')
    expect(first.stdout).toMatch(/M notes\.txt \(\+1 -1\)/)
    expect(first.stdout).toContain('conversation: 8 → 4 messages')
    expect(await notes()).toBe('v2\n')
    const { items } = await world.client.sessions.list({ workspace: dir })
    expect(items).toHaveLength(1)
    expect(items[0]!.message_count).toBe(4)

    // Another process, the same server session: the history is the server's, not the client's.
    const second = await runPenguinInTerminal(
      [...args, '--continue'],
      [
        { expect: '› ', send: '/undo\r' },
        { expect: 'conversation:', send: '' },
        { expect: '› ', send: '/undo\r' },
        { expect: 'Nothing to undo', send: '' },
        { expect: '› ', send: '/redo\r' },
        { expect: 'conversation:', send: '' },
        { expect: '› ', send: '/exit\r' },
      ],
    )
    expect(second.code, second.stdout).toBe(0)
    expect(second.stdout).toContain('Undid “write v2”:')
    expect(second.stdout).toContain('conversation: 4 → 0 messages')
    expect(second.stdout).toContain('Redid “write v2”:')
    expect(second.stdout).toContain('conversation: 0 → 4 messages')
    expect(await notes()).toBe('v2\n')
    const messages = await world.client.sessions.messages(items[0]!.id)
    expect(messages.items.map((m) => m.role)).toEqual(['user', 'assistant', 'tool', 'assistant'])
  })
})
