import { execFileSync } from 'node:child_process'
import { createReadStream } from 'node:fs'
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises'
import { createServer, type ServerResponse } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type MockServer, startMockServer } from '@penguin-ai/mock-llm'
import { isAlive, pidsWith, until } from '@penguin-ai/testkit'
import { afterEach, describe, expect, test } from 'vitest'
import { makeRepo, runPenguin } from './cli-helpers.js'

// Commands lead process groups of their own, so a signal to penguin never reaches them: penguin
// must stop them itself. Before, SIGTERM and SIGHUP killed penguin alone and orphaned them.

let mock: MockServer | undefined
const leftovers: number[] = []
afterEach(async () => {
  await mock?.close()
  mock = undefined
  for (const pid of leftovers.splice(0)) {
    try {
      process.kill(pid, 'SIGKILL')
    } catch {}
  }
})

/** The pids a command writes into the FIFO, once it has written them all: it is running then. */
function readPids(fifo: string, count: number): Promise<number[]> {
  return new Promise((resolve, reject) => {
    let text = ''
    const stream = createReadStream(fifo, 'utf8')
    stream.on('data', (chunk) => {
      text += chunk
      const pids = text.split(/\s+/).filter(Boolean).map(Number)
      if (pids.length >= count) {
        stream.destroy()
        resolve(pids)
      }
    })
    stream.on('error', reject)
    stream.on('end', () => reject(new Error(`the command wrote only ${JSON.stringify(text)}`)))
  })
}

/**
 * `penguin run` whose command starts a tree that ignores SIGTERM: a shell, a background child and
 * a foreground one. Resolves the pids once they all run, and the CLI's result when it ends. In the
 * sandbox (the default) the command's own pids are those of its PID namespace, so the host's are
 * found by a marker in their command lines (bubblewrap's processes included).
 */
async function runTree(signal: NodeJS.Signals, again = false, sandbox = true) {
  const repo = await makeRepo({ 'README.md': '# x\n' })
  const fifo = join(repo, 'pids.fifo')
  execFileSync('mkfifo', [fifo])
  const marker = `300.${Math.floor(Math.random() * 1e9)}`
  // All three ignore SIGTERM (an ignored signal stays ignored across exec), so only SIGKILL stops them.
  const command = [
    "trap '' TERM",
    `sh -c 'trap "" TERM; exec sleep ${marker}' & a=$!`,
    `sh -c 'trap "" TERM; exec sleep ${marker}' & b=$!`,
    'echo $$ $a $b > pids.fifo',
    'wait',
  ].join('; ')
  mock = await startMockServer({
    script: [{ toolCalls: [{ name: 'run_command', arguments: { command } }] }, { text: 'done' }],
  })
  let child: import('node:child_process').ChildProcess | undefined
  let stderr = ''
  const result = runPenguin(
    [
      'run',
      '--yes',
      ...(sandbox ? [] : ['--sandbox', 'off']),
      '--model',
      'openai/gpt-4o',
      '--base-url',
      mock.url,
      '--cwd',
      repo,
      'start things',
    ],
    {
      env: { OPENAI_API_KEY: 'sk-test-123' },
      onSpawn: (spawned) => (child = spawned),
      // The second Ctrl-C once the first was taken (signals sent together may merge into one).
      onStderr: (chunk, spawned) => {
        stderr += chunk
        if (again && stderr.includes('interrupting')) {
          again = false
          spawned.kill(signal)
        }
      },
    },
  )
  const written = await readPids(fifo, 3)
  // In the sandbox: bubblewrap (outside and init), the shell, two sleeps. A process in the middle
  // of exec briefly has an empty command line (the kernel sets the new one up after switching
  // memory), and the sleeps may still be exec'ing when the shell writes the pids: wait for all five.
  if (sandbox)
    await until(() => pidsWith(marker).length >= 5, {
      what: 'the five processes to show the marker',
    })
  const pids = sandbox ? pidsWith(marker) : written
  leftovers.push(...pids)
  expect(pids.every(isAlive)).toBe(true)
  child!.kill(signal)
  return { pids, result: await result }
}

describe('signals to penguin stop the commands it started', () => {
  test('SIGTERM kills the whole process tree of a running command', async () => {
    const { pids, result } = await runTree('SIGTERM')
    await until(() => pids.every((pid) => !isAlive(pid)), {
      what: 'every process of the command to be gone',
    })
    expect(result.code).toBe(130)
  })

  test('… and without the sandbox (--sandbox off), where the tree is a plain process group', async () => {
    const { pids, result } = await runTree('SIGTERM', false, false)
    await until(() => pids.every((pid) => !isAlive(pid)), {
      what: 'every process of the command to be gone',
    })
    expect(result.code).toBe(130)
  })

  test('SIGHUP (the terminal closed) kills it too', async () => {
    const { pids, result } = await runTree('SIGHUP')
    await until(() => pids.every((pid) => !isAlive(pid)), {
      what: 'every process of the command to be gone',
    })
    expect(result.code).toBe(130)
  })

  test('Ctrl-C twice exits at once, and still kills the tree', async () => {
    const { pids, result } = await runTree('SIGINT', true)
    await until(() => pids.every((pid) => !isAlive(pid)), {
      what: 'every process of the command to be gone',
    })
    expect(result.code).toBe(130)
  })
})

/**
 * A user plugin whose module never finishes loading: `penguin run` is held in its start-up (after
 * the config, before the session and the first model request) once the plugin's line is out.
 */
async function slowPluginUser(): Promise<Record<string, string>> {
  const xdg = await mkdtemp(join(tmpdir(), 'penguin-xdg-'))
  await mkdir(join(xdg, 'penguin', 'plugins'), { recursive: true })
  await writeFile(
    join(xdg, 'penguin', 'plugins', 'slow.mjs'),
    "process.stderr.write('slow plugin: loading\\n')\nawait new Promise(() => setInterval(() => {}, 1 << 30))\nexport default {}\n",
  )
  return { XDG_CONFIG_HOME: xdg, OPENAI_API_KEY: 'sk-test-123' }
}

/**
 * `penguin ARGS` (model: the mock) held in its start-up by the slow plugin, sent `signal` once the
 * plugin is loading.
 */
async function signalDuringStartUp(args: string[], signal: NodeJS.Signals) {
  mock = await startMockServer({ script: [{ text: 'never asked' }] })
  const repo = await makeRepo({ 'README.md': '# x\n' })
  let stderr = ''
  const result = await runPenguin(
    [...args, '--model', 'openai/gpt-4o', '--base-url', mock.url, '--cwd', repo],
    {
      env: await slowPluginUser(),
      onStderr: (chunk, child) => {
        const before = stderr
        stderr += chunk
        if (!before.includes('slow plugin: loading') && stderr.includes('slow plugin: loading'))
          child.kill(signal)
      },
    },
  )
  expect(result.signal).toBeNull()
  expect(result.code).toBe(130)
  expect(result.stderr).toContain('slow plugin: loading')
  expect(result.stderr).not.toMatch(/\n\s+at /)
  expect(mock.requests).toHaveLength(0)
  return result
}

describe('a signal during start-up', () => {
  test.each(['SIGINT', 'SIGTERM', 'SIGHUP'] as const)(
    '%s before the first model request stops penguin cleanly: exit 130, one line, nothing sent',
    async (signal) => {
      const result = await signalDuringStartUp(['run', 'do it'], signal)
      expect(result.stderr).toContain('penguin: interrupted before the run started.')
    },
  )

  test.each(['SIGINT', 'SIGTERM'] as const)(
    '%s while the extensions load stops `penguin` (the chat) cleanly: exit 130, one line, nothing sent',
    async (signal) => {
      const result = await signalDuringStartUp([], signal)
      expect(result.stderr).toContain('penguin: interrupted before the chat started.')
      expect(result.stdout).not.toContain('Type /help')
    },
  )
})

describe('a signal while the chat reaches its server', () => {
  test.each(['SIGINT', 'SIGTERM'] as const)(
    '%s while `penguin --server URL` opens its session stops it cleanly: exit 130, one line',
    async (signal) => {
      // A server that takes the session request and never answers: penguin is held in its start-up.
      const held: ServerResponse[] = []
      let child: { kill(signal: NodeJS.Signals): unknown } | undefined
      const server = createServer((_request, response) => {
        held.push(response)
        child?.kill(signal)
      })
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
      const { port } = server.address() as { port: number }
      try {
        const result = await runPenguin(['--server', `http://127.0.0.1:${port}`, '--token', 'tok'], {
          onSpawn: (spawned) => {
            child = spawned
          },
        })
        expect(held.length).toBeGreaterThan(0)
        expect(result.signal).toBeNull()
        expect(result.code).toBe(130)
        expect(result.stderr).toBe('penguin: interrupted before the chat started.\n')
      } finally {
        for (const response of held) response.destroy()
        await new Promise<void>((resolve) => server.close(() => resolve()))
      }
    },
  )
})
