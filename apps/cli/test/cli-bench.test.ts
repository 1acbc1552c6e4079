import { existsSync } from 'node:fs'
import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { loadHumanEval } from '@penguin-ai/bench'
import { type MockServer, type RecordedRequest, startMockServer } from '@penguin-ai/mock-llm'
import { afterEach, describe, expect, test } from 'vitest'
import { runPenguin } from './cli-helpers.js'

// `penguin bench` exactly as users run it: the built CLI as a subprocess. It lives with the CLI's
// tests (not in bench/) so that it runs after the CLI is built, never while a build rewrites dist/.

/** The maintainers' HumanEval beside the repository (never copied into it); absent is an error. */
function requireHumanEval(): string {
  const candidates = [
    process.env.PENGUIN_SHARED_DATA ? join(process.env.PENGUIN_SHARED_DATA, 'HumanEval.jsonl.gz') : undefined,
    fileURLToPath(new URL('../../../../shared/data/HumanEval.jsonl.gz', import.meta.url)),
    '/work/shared/data/HumanEval.jsonl.gz',
  ].filter((path): path is string => path !== undefined)
  const found = candidates.find((path) => existsSync(path))
  if (!found)
    throw new Error(
      `HumanEval data is missing: expected ${candidates[0]} (../shared/data from the repository root).`,
    )
  return found
}

function userText(request: RecordedRequest): string {
  const messages = (request.body?.messages ?? []) as Array<{ role: string; content?: unknown }>
  const user = messages.find((m) => m.role === 'user')
  return typeof user?.content === 'string' ? user.content : ''
}

const tempDir = () => mkdtemp(join(tmpdir(), 'penguin-bench-cli-'))

function penguin(args: string[], env: Record<string, string> = {}) {
  return runPenguin(args, { env })
}

let server: MockServer | undefined
afterEach(async () => {
  await server?.close()
  server = undefined
})

describe('penguin bench (the built CLI as a subprocess)', () => {
  test('humaneval --limit 3 --json against the mock model scores 1.0 with the oracle', async () => {
    const { problems } = await loadHumanEval(requireHumanEval())
    server = await startMockServer({
      script: (request) => ({
        text: problems.find((p) => userText(request).includes(p.prompt))?.canonical_solution ?? '',
      }),
    })
    const out = join(await tempDir(), 'run')
    const result = await penguin(
      [
        'bench',
        'humaneval',
        '--data',
        requireHumanEval(),
        '--limit',
        '3',
        '--json',
        '--model',
        'openai/gpt-4o',
        '--base-url',
        server.url,
        '--out',
        out,
      ],
      { OPENAI_API_KEY: 'sk-test' },
    )
    expect(result.stderr).toBe('')
    expect(result.code).toBe(0)
    const events = result.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { type: string } & Record<string, unknown>)
    expect(events.map((e) => e.type)).toEqual([
      'bench.started',
      'bench.result',
      'bench.result',
      'bench.result',
      'bench.summary',
    ])
    const summary = events.at(-1)!
    expect(summary).toMatchObject({
      model: 'openai/gpt-4o',
      mode: 'completion',
      problems: 3,
      passAtK: { 'pass@1': 1 },
    })
    for (const event of events.filter((e) => e.type === 'bench.result')) {
      expect(event).toMatchObject({ status: 'passed', metrics: { model: 'openai/gpt-4o', turns: 1 } })
    }
    expect(server.requests).toHaveLength(3)
  })

  test('swebench --make-suite DIR --gold makes the suite and resolves it', async () => {
    const dir = await tempDir()
    const result = await penguin([
      'bench',
      'swebench',
      '--make-suite',
      join(dir, 'suite'),
      '--gold',
      '--out',
      join(dir, 'run'),
    ])
    expect(result.code).toBe(0)
    expect(result.stdout).toMatch(/resolved\s+6\/6 \(100\.0%\)/)
  })

  test('usage errors exit 2 with one clear line and no stack trace', async () => {
    const missing = await penguin(['bench', 'swebench', '--repos', '/tmp'])
    expect(missing.code).toBe(2)
    expect(missing.stderr).toMatch(/needs --instances FILE.jsonl and --repos DIR/)
    const badMode = await penguin(['bench', 'humaneval', '--mode', 'chat'])
    expect(badMode.code).toBe(2)
    expect(badMode.stderr).toMatch(/--mode must be completion or agent/)
    const noData = await penguin(
      ['bench', 'humaneval', '--data', '/nonexistent.jsonl.gz', '--model', 'openai/gpt-4o'],
      {
        OPENAI_API_KEY: 'sk-test',
      },
    )
    expect(noData.code).toBe(2)
    expect(noData.stderr).toBe('penguin: HumanEval data /nonexistent.jsonl.gz does not exist.\n')
    const help = await penguin(['bench', '--help'])
    expect(help.code).toBe(0)
    expect(help.stdout).toContain('penguin bench humaneval')
  })
})
