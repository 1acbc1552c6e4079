import { spawn } from 'node:child_process'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { type MockServer, startMockServer } from '@penguin-ai/mock-llm'
import { afterEach, describe, expect, test } from 'vitest'
import { loadHumanEval } from '../src/index.js'
import { requireHumanEval, tempDir, userText } from './helpers.js'

/** The built CLI (the global setup builds it): `penguin bench` exactly as users run it. */
const PENGUIN = fileURLToPath(new URL('../../apps/cli/bin/penguin.js', import.meta.url))

let server: MockServer | undefined
afterEach(async () => {
  await server?.close()
  server = undefined
})

async function penguin(args: string[], env: Record<string, string> = {}) {
  const home = await tempDir('penguin-home-')
  const clean = Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !key.endsWith('_API_KEY') && !key.startsWith('PENGUIN_')),
  )
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    const child = spawn(process.execPath, [PENGUIN, ...args], {
      cwd: home,
      env: { ...clean, HOME: home, NO_COLOR: '1', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk))
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`penguin ${args.join(' ')} timed out\n${stdout}\n${stderr}`))
    }, 50_000)
    child.on('close', (code) => {
      clearTimeout(timer)
      resolve({ code, stdout, stderr })
    })
  })
}

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
