import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { MockServer } from '@penguin-ai/mock-llm'
import { TEST_BUILD } from './test-build.js'

/** The `penguin` the tests run: the tests' own build (see global-setup.ts). */
export const PENGUIN_BIN = join(TEST_BUILD, 'bin', 'penguin.js')

export interface CliResult {
  code: number | null
  signal: NodeJS.Signals | null
  stdout: string
  stderr: string
}

export interface SpawnOptions {
  cwd?: string
  env?: Record<string, string | undefined>
  stdin?: string
  timeoutMs?: number
  /** Called with each stdout chunk, e.g. to send a signal when something appears. */
  onStdout?: (chunk: string, child: ChildProcess) => void
  /** Called with each stderr chunk. */
  onStderr?: (chunk: string, child: ChildProcess) => void
  /** Called once the process is started, e.g. to kill it when something else happens. */
  onSpawn?: (child: ChildProcess) => void
  /** Another copy of the `penguin` script (an installed layout); default: this package's. */
  bin?: string
}

/**
 * Where every `penguin` a test starts keeps its compiled-code cache (src/vendored.ts): one place
 * shared by the whole run (the cache files are named after the content of the build), rather than
 * ~1 MB in each test's fresh home.
 */
export const TEST_CODE_CACHE = join(tmpdir(), 'penguin-test-code-cache')

/**
 * A clean environment: no user config, no keys, no model unless a test sets them; the code cache
 * shared by all tests.
 */
export function baseEnv(home: string): Record<string, string> {
  const env: Record<string, string> = {}
  for (const [key, value] of Object.entries(process.env)) {
    if (value === undefined) continue
    if (key.endsWith('_API_KEY') || key.startsWith('PENGUIN_') || key.startsWith('XDG_')) continue
    env[key] = value
  }
  env.HOME = home
  env.NO_COLOR = '1'
  env.PENGUIN_CODE_CACHE = TEST_CODE_CACHE
  return env
}

export async function runPenguin(args: string[], options: SpawnOptions = {}): Promise<CliResult> {
  const home = await mkdtemp(join(tmpdir(), 'penguin-home-'))
  const env = { ...baseEnv(home), ...options.env }
  for (const [key, value] of Object.entries(env)) if (value === undefined) delete env[key]
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [options.bin ?? PENGUIN_BIN, ...args], {
      cwd: options.cwd ?? home,
      env: env as NodeJS.ProcessEnv,
      stdio: ['pipe', 'pipe', 'pipe'],
    })
    options.onSpawn?.(child)
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk
      options.onStdout?.(chunk, child)
    })
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk
      options.onStderr?.(chunk, child)
    })
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`penguin ${args.join(' ')} timed out\nstdout: ${stdout}\nstderr: ${stderr}`))
    }, options.timeoutMs ?? 100_000)
    child.on('error', reject)
    child.on('close', (code, signal) => {
      clearTimeout(timer)
      resolve({ code, signal, stdout, stderr })
    })
    if (options.stdin !== undefined) child.stdin.end(options.stdin)
    else child.stdin.end()
  })
}

/** A tree of files under a new temp directory (removed after the test file): the kit's `tempTree`. */
export { tempTree as makeRepo } from '@penguin-ai/testkit'

/** The tool results the mock model was sent in request `index`, as text. */
export const toolContents = (server: MockServer, index: number) =>
  (server.requests[index]?.body?.messages ?? [])
    .filter((message) => message.role === 'tool')
    .map((message) =>
      typeof message.content === 'string' ? message.content : JSON.stringify(message.content),
    )

export function jsonLines(stdout: string): Array<Record<string, unknown> & { type: string }> {
  return stdout
    .split('\n')
    .filter((line) => line.trim())
    .map((line) => JSON.parse(line) as Record<string, unknown> & { type: string })
}

/** One step of a terminal conversation: when `expect` has appeared in the output, type `send`. */
export interface TerminalStep {
  expect: string
  send: string
}

/**
 * Runs `penguin` in a real pseudo-terminal (util-linux `script`), so stdin and stdout are TTYs as at
 * a person's terminal, and answers each step's prompt once it appears. Resolves at exit.
 */
export async function runPenguinInTerminal(
  args: string[],
  steps: TerminalStep[],
  options: { env?: Record<string, string | undefined>; timeoutMs?: number } = {},
): Promise<CliResult> {
  const home = await mkdtemp(join(tmpdir(), 'penguin-home-'))
  const env: Record<string, string | undefined> = { ...baseEnv(home), TERM: 'dumb', ...options.env }
  for (const [key, value] of Object.entries(env)) if (value === undefined) delete env[key]
  const quote = (text: string) => `'${text.replace(/'/g, `'\\''`)}'`
  const command = [process.execPath, PENGUIN_BIN, ...args].map(quote).join(' ')
  return new Promise((resolve, reject) => {
    const child = spawn('script', ['-qfec', command, '/dev/null'], {
      cwd: home,
      env: env as NodeJS.ProcessEnv,
      stdio: ['pipe', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    let seen = 0
    const pending = [...steps]
    const advance = () => {
      const step = pending[0]
      if (!step) return
      const at = stdout.indexOf(step.expect, seen)
      if (at === -1) return
      seen = at + step.expect.length
      pending.shift()
      child.stdin.write(step.send)
      advance()
    }
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk
      advance()
    })
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk
    })
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(
        new Error(`penguin ${args.join(' ')} (terminal) timed out\noutput: ${stdout}\nstderr: ${stderr}`),
      )
    }, options.timeoutMs ?? 100_000)
    child.on('error', reject)
    child.on('close', (code, signal) => {
      clearTimeout(timer)
      resolve({ code, signal, stdout, stderr })
    })
  })
}
