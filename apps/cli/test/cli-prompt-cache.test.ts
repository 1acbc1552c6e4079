/**
 * Issue 11, "the request prefix is stable between turns": through the real CLI against the mock's
 * simulated provider cache, a `--continue` in a new process sends the same tools and the same system
 * prompt as the run before it — even though that run changed a file in the git repository — so the
 * whole earlier conversation is read from the cache, and `--json` usage events say so.
 */
import { execFileSync } from 'node:child_process'
import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type MockServer, type MockTurn, startMockServer } from '@penguin-ai/mock-llm'
import { afterEach, describe, expect, test } from 'vitest'
import { jsonLines, makeRepo, runPenguin } from './cli-helpers.js'

let mock: MockServer | undefined
afterEach(async () => {
  await mock?.close()
  mock = undefined
})

/** A committed repository: its working tree is clean until the agent edits a file. */
async function committedRepo(): Promise<string> {
  const repo = await makeRepo({ 'notes.txt': 'draft\n' })
  const git = (...args: string[]) => execFileSync('git', args, { cwd: repo, stdio: 'pipe' })
  git('init', '-q', '-b', 'main')
  git('add', '.')
  git('-c', 'user.email=test@example.com', '-c', 'user.name=Test', 'commit', '-q', '-m', 'start')
  return repo
}

/** Run 1 edits a file (two requests); run 2, a `--continue`, asks a question (one request). */
const SCRIPT: MockTurn[] = [
  {
    toolCalls: [
      { name: 'edit_file', arguments: { path: 'notes.txt', old_string: 'draft', new_string: 'final' } },
    ],
  },
  { text: 'Marked the notes final.' },
  { text: 'I changed notes.txt.' },
]

const WIRES = [
  {
    name: 'anthropic/claude-sonnet-4-5 (Messages)',
    args: () => ['--model', 'anthropic/claude-sonnet-4-5'],
    env: (server: MockServer) => ({ ANTHROPIC_API_KEY: 'sk-ant-test', ANTHROPIC_BASE_URL: server.root }),
    /** The part of a request body before the conversation. */
    prefix: (body: Record<string, unknown>) => ({ tools: body.tools, system: body.system }),
    /** Anthropic reads the prefix up to the previous request's last block exactly. */
    expectedRead: (previousInput: number) => previousInput,
  },
  {
    name: 'openai/gpt-5 (Responses)',
    args: (server: MockServer) => ['--model', 'openai/gpt-5', '--api', 'responses', '--base-url', server.url],
    env: () => ({ OPENAI_API_KEY: 'sk-test' }),
    prefix: (body: Record<string, unknown>) => ({ tools: body.tools, instructions: body.instructions }),
    /** OpenAI serves cached prefixes in steps of 128 tokens. */
    expectedRead: (previousInput: number) => Math.floor(previousInput / 128) * 128,
  },
]

describe('prompt caching across --continue', () => {
  for (const wire of WIRES) {
    test(`${wire.name}: the second run's request starts with the first run's bytes and is read from the cache`, async () => {
      const repo = await committedRepo()
      const db = join(await mkdtemp(join(tmpdir(), 'penguin-db-')), 'penguin.db')
      mock = await startMockServer({ script: SCRIPT })
      const env = { ...wire.env(mock), PENGUIN_DB: db }
      const base = ['run', ...wire.args(mock), '--yes', '--cwd', repo, '--json']

      const first = await runPenguin([...base, 'mark the notes final'], { env, timeoutMs: 60_000 })
      expect(first.code).toBe(0)
      // The run changed the repository: git now reports a modified file.
      expect(execFileSync('git', ['status', '--porcelain'], { cwd: repo }).toString()).toContain('notes.txt')

      const second = await runPenguin([...base, '--continue', 'what did you change?'], {
        env,
        timeoutMs: 60_000,
      })
      expect(second.code).toBe(0)
      expect(mock.requests).toHaveLength(3)
      const [opening, last, resumed] = mock.requests.map((request) => request.json as Record<string, unknown>)

      // Tools and system prompt: byte-identical on every request, across the two processes.
      const prefix = JSON.stringify(wire.prefix(opening!))
      expect(prefix).toContain('git: branch main')
      expect(JSON.stringify(wire.prefix(last!))).toBe(prefix)
      expect(JSON.stringify(wire.prefix(resumed!))).toBe(prefix)

      // Everything the first run's last request sent was served from the cache.
      const previous = mock.requests[1]!.usage!
      const read = mock.requests[2]!.usage!.cacheRead
      expect(read).toBeGreaterThan(0)
      expect(read).toBeGreaterThanOrEqual(wire.expectedRead(previous.input))

      // The second run's --json usage event reports that cache read.
      const usage = jsonLines(second.stdout).filter((event) => event.type === 'usage')
      expect(usage).toHaveLength(1)
      expect((usage[0]!.usage as { cacheReadTokens: number }).cacheReadTokens).toBe(read)
    })
  }
})
