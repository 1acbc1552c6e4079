import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdir, mkdtemp, readFile, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type MockServer, type MockTurn, startMockServer } from '@penguin-ai/mock-llm'
import { fifo, tempDir } from '@penguin-ai/testkit'
import { afterEach, describe, expect, test } from 'vitest'
import { jsonLines, makeRepo, runPenguin } from './cli-helpers.js'

let mock: MockServer | undefined
afterEach(async () => {
  await mock?.close()
  mock = undefined
})

async function withMock(script: MockTurn[]): Promise<MockServer> {
  mock = await startMockServer({ script })
  return mock
}

function agentArgs(server: MockServer, ...rest: string[]): string[] {
  return ['run', '--model', 'openai/gpt-4o', '--base-url', server.url, ...rest]
}

const KEY = { OPENAI_API_KEY: 'sk-test-123' }

const BUGGY_REPO = {
  'package.json': JSON.stringify({ name: 'buggy', type: 'module', scripts: { test: 'node --test' } }),
  'src/add.js': 'export function add(a, b) {\n  return a - b\n}\n',
  'test/add.test.js':
    "import { test } from 'node:test'\nimport assert from 'node:assert/strict'\nimport { add } from '../src/add.js'\n\ntest('adds', () => assert.equal(add(2, 3), 5))\n",
}

function toolMessages(server: MockServer, requestIndex: number): Array<{ role: string; content: string }> {
  const body = server.requests[requestIndex]!.body as { messages: Array<{ role: string; content: string }> }
  return body.messages.filter((message) => message.role === 'tool')
}

describe('penguin run end to end', () => {
  test('fixes a bug by reading, editing and running the tests', async () => {
    const repo = await makeRepo(BUGGY_REPO)
    const server = await withMock([
      { text: 'Let me look.', toolCalls: [{ name: 'read_file', arguments: { path: 'src/add.js' } }] },
      { toolCalls: [{ name: 'run_command', arguments: { command: 'node --test' } }] },
      {
        toolCalls: [
          { name: 'edit_file', arguments: { path: 'src/add.js', old_string: 'a - b', new_string: 'a + b' } },
        ],
      },
      { toolCalls: [{ name: 'run_command', arguments: { command: 'node --test' } }] },
      { text: 'Fixed add(): it subtracted instead of adding. Tests pass.' },
    ])
    const result = await runPenguin(agentArgs(server, '--yes', '--cwd', repo, 'fix the failing test'), {
      env: KEY,
    })
    expect(result.stderr).not.toMatch(/\n\s+at /)
    expect(result.code).toBe(0)
    expect(await readFile(join(repo, 'src/add.js'), 'utf8')).toContain('return a + b')
    execFileSync(process.execPath, ['--test'], { cwd: repo, stdio: 'pipe' })
    expect(result.stdout).toContain('Fixed add()')
    expect(result.stderr).toMatch(/edit_file src\/add\.js/)
    expect(result.stderr).toMatch(/tokens/)
    // The first test run failed, the second passed, and the model saw both.
    expect(toolMessages(server, 2).at(-1)!.content).toMatch(/exit code: 1/i)
    expect(toolMessages(server, 4).at(-1)!.content).toMatch(/exit code: 0/i)
    const first = server.requests[0]!.body as {
      messages: Array<{ role: string; content: string }>
      tools: Array<{ function: { name: string } }>
    }
    expect(first.messages[0]!.role).toBe('system')
    // Spelled out, not read from the tools package: the tool names and their order are a public
    // contract (tools' tool.test.ts checks the built-ins the same way).
    expect(first.tools.map((tool) => tool.function.name)).toEqual([
      'read_file',
      'write_file',
      'edit_file',
      'apply_patch',
      'list_files',
      'grep',
      'run_command',
      'todo_write',
      'memory_save',
      'memory_search',
      'task',
    ])
  })

  test('two tool calls in one turn, reported in --json', async () => {
    const repo = await makeRepo({ 'a.txt': 'alpha\n', 'b.txt': 'beta\n' })
    const server = await withMock([
      {
        toolCalls: [
          { name: 'read_file', arguments: { path: 'a.txt' } },
          { name: 'read_file', arguments: { path: 'b.txt' } },
        ],
      },
      { text: 'Both read.' },
    ])
    const result = await runPenguin(agentArgs(server, '--json', '--cwd', repo, 'read both'), { env: KEY })
    expect(result.code).toBe(0)
    const events = jsonLines(result.stdout)
    expect(events[0]!.type).toBe('run.started')
    expect(events.at(-1)).toMatchObject({ type: 'run.finished', status: 'completed', text: 'Both read.' })
    expect(events.filter((event) => event.type === 'tool.finished')).toHaveLength(2)
    const results = toolMessages(server, 1)
    expect(results.map((message) => message.content)).toEqual([
      expect.stringContaining('alpha'),
      expect.stringContaining('beta'),
    ])
  })

  test('malformed tool-call JSON is answered with an error result and the run continues', async () => {
    const repo = await makeRepo({ 'a.txt': 'alpha\n' })
    const server = await withMock([
      { toolCalls: [{ name: 'read_file', arguments: '{"path": "a.txt"' }] },
      { toolCalls: [{ name: 'read_file', arguments: { path: 'a.txt' } }] },
      { text: 'Recovered.' },
    ])
    const result = await runPenguin(agentArgs(server, '--cwd', repo, 'read'), { env: KEY })
    expect(result.code).toBe(0)
    expect(toolMessages(server, 1)[0]!.content).toMatch(/not valid JSON/)
    expect(toolMessages(server, 2)[1]!.content).toContain('alpha')
  })

  test('../, absolute and symlink escapes are denied even with --yes', async () => {
    const outside = await mkdtemp(join(tmpdir(), 'penguin-outside-'))
    await writeFile(join(outside, 'secret.txt'), 'top secret\n')
    const repo = await makeRepo({ 'in.txt': 'inside\n' })
    await symlink(outside, join(repo, 'link'))
    const server = await withMock([
      {
        toolCalls: [
          { name: 'read_file', arguments: { path: '../secret.txt' } },
          { name: 'read_file', arguments: { path: join(outside, 'secret.txt') } },
          { name: 'read_file', arguments: { path: 'link/secret.txt' } },
        ],
      },
      {
        toolCalls: [
          { name: 'write_file', arguments: { path: join(outside, 'pwned.txt'), content: 'x' } },
          { name: 'write_file', arguments: { path: 'link/pwned.txt', content: 'x' } },
          { name: 'write_file', arguments: { path: '../pwned.txt', content: 'x' } },
        ],
      },
      { text: 'Denied.' },
    ])
    const result = await runPenguin(agentArgs(server, '--yes', '--cwd', repo, 'escape'), { env: KEY })
    expect(result.code).toBe(0)
    const reads = toolMessages(server, 1)
    expect(reads).toHaveLength(3)
    for (const message of reads) {
      expect(message.content).toMatch(/outside the workspace/)
      expect(message.content).not.toContain('top secret')
    }
    const writes = toolMessages(server, 2).slice(3)
    for (const message of writes) expect(message.content).toMatch(/outside the workspace/)
    expect(existsSync(join(outside, 'pwned.txt'))).toBe(false)
  })

  test('429 with Retry-After and 500 are retried', async () => {
    const repo = await makeRepo({})
    const server = await withMock([
      { fault: { status: 429, retryAfter: 0.5 } },
      { fault: { status: 500 } },
      { text: 'Made it.' },
    ])
    const result = await runPenguin(agentArgs(server, '--json', '--cwd', repo, 'hello'), { env: KEY })
    expect(result.code).toBe(0)
    const events = jsonLines(result.stdout)
    expect(result.stdout).toContain('Made it.')
    // The rate limit's Retry-After is the wait announced (and the retry schedule's own tests check
    // that the wait is kept); the 500 is retried on the backoff schedule.
    const retries = events.filter((event) => event.type === 'turn.retry')
    expect(retries).toHaveLength(2)
    expect(retries[0]).toMatchObject({ attempt: 1, delayMs: 500 })
    expect(String(retries[0]?.reason)).toMatch(/rate limited/)
    expect(retries[1]).toMatchObject({ attempt: 2 })
    expect(server.requests).toHaveLength(3)
  })

  test('an unreachable endpoint exits 1 with "cannot reach" and no stack trace', async () => {
    const repo = await makeRepo({})
    const url = 'http://127.0.0.1:9/v1'
    const result = await runPenguin(
      ['run', '--model', 'openai/gpt-4o', '--base-url', url, '--cwd', repo, 'hi'],
      { env: KEY },
    )
    expect(result.code).toBe(1)
    expect(result.stderr).toContain(`cannot reach ${url}`)
    expect(result.stderr).not.toMatch(/\n\s+at /)
  })

  test('a password in the base URL shows in no retry line, error or JSON event', async () => {
    const repo = await makeRepo({})
    for (const json of [false, true]) {
      const result = await runPenguin(
        [
          'run',
          ...(json ? ['--json'] : []),
          '--model',
          'openai/gpt-4o',
          '--base-url',
          'http://alice:s3cret-pw@127.0.0.1:9/v1',
          '--cwd',
          repo,
          'hi',
        ],
        { env: KEY },
      )
      expect(result.code).toBe(1)
      const output = `${result.stdout}\n${result.stderr}`
      expect(output).toContain('cannot reach http://alice:[redacted]@127.0.0.1:9/v1')
      expect(output).not.toContain('s3cret-pw')
    }
  })

  test('non-interactive runs without --yes deny writes, say so, and exit 1', async () => {
    const repo = await makeRepo({ 'a.txt': 'original\n' })
    const server = await withMock([
      { toolCalls: [{ name: 'write_file', arguments: { path: 'a.txt', content: 'changed\n' } }] },
      { text: 'I could not write.' },
    ])
    const result = await runPenguin(agentArgs(server, '--cwd', repo, 'change it'), { env: KEY })
    // Every change the run tried was denied: it did not do its task, whatever the model said.
    expect(result.code).toBe(1)
    expect(result.stderr).toMatch(/denied 1 call: write_file a\.txt \(needs approval/)
    expect(result.stderr).toMatch(/✗ not done: every change it tried was denied/)
    expect(result.stderr).not.toMatch(/✓ done/)
    expect(await readFile(join(repo, 'a.txt'), 'utf8')).toBe('original\n')
    expect(toolMessages(server, 1)[0]!.content).toMatch(/--yes/)
    expect(result.stderr).toMatch(/--yes/)
  })

  test('a write that failed is no change: denials beside it still mean not done (exit 1)', async () => {
    const repo = await makeRepo({ 'a.txt': 'original\n' })
    const server = await withMock([
      {
        toolCalls: [
          { name: 'write_file', arguments: { path: 'a.txt', content: 'changed\n' } },
          // Refused by the tool itself (not a denial): it changed nothing either.
          { name: 'write_file', arguments: { path: 'no\u0000where.txt', content: 'x' } },
        ],
      },
      { text: 'Done!' },
    ])
    const result = await runPenguin(agentArgs(server, '--cwd', repo, 'change it'), { env: KEY })
    expect(result.code).toBe(1)
    expect(result.stderr).toMatch(/denied 1 call: write_file a\.txt/)
    expect(result.stderr).toMatch(/✗ not done: every change it tried was denied/)
    expect(await readFile(join(repo, 'a.txt'), 'utf8')).toBe('original\n')
  })

  test('Ctrl-C during a command kills its process tree and exits 130', async () => {
    const repo = await makeRepo({})
    // The shell and its background sleeper hold a pipe (fd 3) outside the workspace: a line in it
    // says the command is running; its end says every process of the tree has exited.
    // Without the sandbox, so the command may write there (see cli-sandbox for the sandbox).
    const pipe = fifo(tempDir())
    const server = await withMock([
      {
        toolCalls: [
          {
            name: 'run_command',
            arguments: { command: `exec 3>'${pipe.path}'; sleep 30 & echo started >&3; wait` },
          },
        ],
      },
      { text: 'never' },
    ])
    const result = await runPenguin(
      agentArgs(server, '--yes', '--sandbox', 'off', '--json', '--cwd', repo, 'sleep'),
      {
        env: KEY,
        onSpawn: (child) => {
          pipe.firstLine().then(
            () => child.kill('SIGINT'),
            () => undefined,
          )
        },
      },
    )
    expect(result.code).toBe(130)
    expect(pipe.text()).toBe('started\n')
    await pipe.closed()
    expect(jsonLines(result.stdout).at(-1)).toMatchObject({ type: 'run.finished', status: 'aborted' })
  })
})

describe('penguin configuration errors', () => {
  test('missing key: exit 2 naming the env var', async () => {
    const result = await runPenguin(['run', '--model', 'openai/gpt-4o', 'hi'])
    expect(result.code).toBe(2)
    expect(result.stderr).toContain('OPENAI_API_KEY')
    expect(result.stderr).not.toMatch(/\n\s+at /)
  })

  test('no model: exit 2 naming --model and PENGUIN_MODEL', async () => {
    const result = await runPenguin(['run', 'hi'], { env: KEY })
    expect(result.code).toBe(2)
    expect(result.stderr).toContain('--model')
    expect(result.stderr).toContain('PENGUIN_MODEL')
  })

  test('invalid config file: exit 2 naming the file, the key and the problem', async () => {
    const repo = await makeRepo({
      '.penguin/config.json': JSON.stringify({ model: 'openai/gpt-4o', maxIterations: 'ten' }),
    })
    const result = await runPenguin(['run', '--cwd', repo, 'hi'], { env: KEY })
    expect(result.code).toBe(2)
    expect(result.stderr).toContain(join(repo, '.penguin', 'config.json'))
    expect(result.stderr).toContain('maxIterations')
  })

  test('unknown config key and broken JSON are reported', async () => {
    const repo = await makeRepo({ '.penguin/config.json': JSON.stringify({ modle: 'x' }) })
    const unknown = await runPenguin(['run', '--cwd', repo, 'hi'], { env: KEY })
    expect(unknown.code).toBe(2)
    expect(unknown.stderr).toContain('modle')
    await mkdir(join(repo, '.penguin'), { recursive: true })
    await writeFile(join(repo, '.penguin', 'config.json'), '{ "model": ')
    const broken = await runPenguin(['run', '--cwd', repo, 'hi'], { env: KEY })
    expect(broken.code).toBe(2)
    expect(broken.stderr).toMatch(/not valid JSON/)
  })

  test('bad flags exit 2', async () => {
    expect((await runPenguin(['run', '--max-iterations', 'abc', 'hi'])).code).toBe(2)
    expect((await runPenguin(['run', '--frobnicate', 'hi'])).code).toBe(2)
    expect((await runPenguin(['run'])).code).toBe(2)
    expect((await runPenguin(['frobnicate'])).code).toBe(2)
  })

  test('--version and --help', async () => {
    const version = await runPenguin(['--version'])
    expect(version.code).toBe(0)
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/)
    const help = await runPenguin(['--help'])
    expect(help.code).toBe(0)
    expect(help.stdout).toContain('penguin run')
  })
})
