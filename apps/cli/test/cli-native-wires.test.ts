/**
 * Issue 11's "done when", through the real built CLI over real HTTP against the strict mock:
 * `penguin run` fixes a bug on the Anthropic Messages wire and on the OpenAI Responses wire, every
 * request is valid (the mock rejects anything the real API would), thinking / encrypted reasoning
 * goes back unchanged (also after `--continue` in a new process), at least 70% of the input over
 * the six requests comes from the prompt cache, and the cache figures are in `--json` usage events.
 */
import { execFileSync } from 'node:child_process'
import { mkdtemp, readFile, writeFile } from 'node:fs/promises'
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

const BUGGY_REPO = {
  'package.json': JSON.stringify({ name: 'buggy', type: 'module', scripts: { test: 'node --test' } }),
  'src/add.js': 'export function add(a, b) {\n  return a - b\n}\n',
  'test/add.test.js':
    "import { test } from 'node:test'\nimport assert from 'node:assert/strict'\nimport { add } from '../src/add.js'\n\ntest('adds', () => assert.equal(add(2, 3), 5))\n",
}

/** Six model requests: look, test, read the test, fix, test again, report. */
const FIX_SCRIPT: MockTurn[] = [
  {
    reasoning: 'The task mentions a failing test. First see the code.',
    text: 'Let me look.',
    toolCalls: [{ name: 'read_file', arguments: { path: 'src/add.js' } }],
  },
  {
    reasoning: 'Run the tests to see the failure.',
    toolCalls: [{ name: 'run_command', arguments: { command: 'node --test' } }],
  },
  {
    reasoning: 'Check what the test expects.',
    toolCalls: [{ name: 'read_file', arguments: { path: 'test/add.test.js' } }],
  },
  {
    reasoning: 'add() subtracts; it must add.',
    toolCalls: [
      { name: 'edit_file', arguments: { path: 'src/add.js', old_string: 'a - b', new_string: 'a + b' } },
    ],
  },
  {
    reasoning: 'Verify the fix.',
    toolCalls: [{ name: 'run_command', arguments: { command: 'node --test' } }],
  },
  {
    reasoning: 'Tests pass; summarise.',
    text: 'Fixed add(): it subtracted instead of adding. The test passes now.',
  },
]

type Usage = {
  inputTokens: number
  cacheReadTokens: number
  cacheWriteTokens: number
  cachedInputTokens: number
}

function usageEvents(stdout: string): Usage[] {
  return jsonLines(stdout)
    .filter((event) => event.type === 'usage')
    .map((event) => event.usage as Usage)
}

function cacheShare(usages: Array<{ input: number; cacheRead: number }>): number {
  const input = usages.reduce((sum, usage) => sum + usage.input, 0)
  return usages.reduce((sum, usage) => sum + usage.cacheRead, 0) / input
}

async function fixed(repo: string): Promise<void> {
  expect(await readFile(join(repo, 'src/add.js'), 'utf8')).toContain('return a + b')
  execFileSync(process.execPath, ['--test'], { cwd: repo, stdio: 'pipe' })
}

describe('native model APIs end to end', () => {
  test('anthropic/claude-sonnet-4-5 --reasoning low fixes a bug on the Messages API, thinking intact, mostly cached', async () => {
    const repo = await makeRepo(BUGGY_REPO)
    const db = join(await mkdtemp(join(tmpdir(), 'penguin-db-')), 'penguin.db')
    mock = await startMockServer({
      script: [...FIX_SCRIPT, { reasoning: 'Answer from memory.', text: 'It added a - b.' }],
    })
    const env = { ANTHROPIC_API_KEY: 'sk-ant-test', ANTHROPIC_BASE_URL: mock.root, PENGUIN_DB: db }
    const args = [
      'run',
      '--model',
      'anthropic/claude-sonnet-4-5',
      '--reasoning',
      'low',
      '--yes',
      '--cwd',
      repo,
    ]
    const result = await runPenguin([...args, '--json', 'fix the failing test'], { env, timeoutMs: 60_000 })
    expect(result.stderr).toBe('')
    expect(result.code).toBe(0)
    await fixed(repo)

    // Every request was valid: the mock answered each with a turn (it rejects what the API would).
    expect(mock.requests).toHaveLength(6)
    for (const request of mock.requests) {
      expect(request.path).toBe('/v1/messages')
      expect(request.headers['x-api-key']).toBe('sk-ant-test')
      expect(request.usage).toBeDefined()
      const body = request.json as { system: unknown; thinking: unknown }
      expect(body.thinking).toEqual({ type: 'enabled', budget_tokens: 4096 })
      expect(body.system).toEqual([
        expect.objectContaining({ type: 'text', cache_control: { type: 'ephemeral' } }),
      ])
    }
    // The thinking of every earlier turn goes back, signature and all.
    const last = mock.requests[5]!.json as {
      messages: Array<{ role: string; content: Array<Record<string, unknown>> }>
    }
    const thinking = last.messages
      .filter((message) => message.role === 'assistant')
      .map((message) => message.content[0])
    expect(thinking.map((block) => block?.type)).toEqual([
      'thinking',
      'thinking',
      'thinking',
      'thinking',
      'thinking',
    ])
    expect(thinking.map((block) => block?.thinking)).toEqual(
      FIX_SCRIPT.slice(0, 5).map((turn) => turn.reasoning),
    )

    // At least 70% of the input came from the cache, and --json usage events say so.
    const usages = usageEvents(result.stdout)
    expect(usages).toHaveLength(6)
    expect(cacheShare(mock.requests.map((r) => r.usage!))).toBeGreaterThanOrEqual(0.7)
    expect(
      cacheShare(usages.map((u) => ({ input: u.inputTokens, cacheRead: u.cacheReadTokens }))),
    ).toBeGreaterThanOrEqual(0.7)
    expect(usages[0]!.cacheWriteTokens).toBeGreaterThan(0)
    expect(
      usages
        .slice(1)
        .every((usage) => usage.cacheReadTokens > 0 && usage.cachedInputTokens === usage.cacheReadTokens),
    ).toBe(true)
    const reasoning = jsonLines(result.stdout).filter((event) => event.type === 'reasoning.delta')
    expect(reasoning.map((event) => event.delta).join('')).toContain('add() subtracts; it must add.')

    // A new process continues the session: the stored thinking is sent back byte for byte.
    const next = await runPenguin([...args, '--continue', 'what was wrong?'], { env, timeoutMs: 60_000 })
    expect(next.code).toBe(0)
    expect(next.stdout).toContain('It added a - b.')
    expect(next.stderr).toMatch(/✻ Answer from memory\./)
    const resumed = mock.requests[6]!.json as typeof last
    expect(resumed.messages.slice(0, last.messages.length - 1)).toEqual(
      // The previous request's messages without their moving cache markers.
      JSON.parse(
        JSON.stringify(last.messages.slice(0, -1)).replaceAll(',"cache_control":{"type":"ephemeral"}', ''),
      ),
    )
    expect(mock.requests[6]!.usage!.cacheRead).toBeGreaterThan(0)
  })

  test('openai/gpt-5 --api responses --reasoning low fixes a bug on the Responses API, reasoning intact, mostly cached', async () => {
    const repo = await makeRepo(BUGGY_REPO)
    const db = join(await mkdtemp(join(tmpdir(), 'penguin-db-')), 'penguin.db')
    mock = await startMockServer({
      script: [...FIX_SCRIPT, { reasoning: 'Recall the fix.', text: 'It subtracted.' }],
    })
    const env = { OPENAI_API_KEY: 'sk-test', PENGUIN_DB: db }
    const args = [
      'run',
      '--model',
      'openai/gpt-5',
      '--api',
      'responses',
      '--base-url',
      mock.url,
      '--reasoning',
      'low',
    ]
    const result = await runPenguin([...args, '--yes', '--cwd', repo, '--json', 'fix the failing test'], {
      env,
      timeoutMs: 60_000,
    })
    expect(result.stderr).toBe('')
    expect(result.code).toBe(0)
    await fixed(repo)

    expect(mock.requests).toHaveLength(6)
    const keys = new Set<unknown>()
    for (const request of mock.requests) {
      expect(request.path).toBe('/v1/responses')
      expect(request.usage).toBeDefined()
      const body = request.json as Record<string, unknown>
      expect(body).toMatchObject({
        store: false,
        include: ['reasoning.encrypted_content'],
        reasoning: { effort: 'low', summary: 'auto' },
      })
      keys.add(body.prompt_cache_key)
    }
    // One cache key for the whole session: its id.
    expect(keys.size).toBe(1)
    expect([...keys][0]).toMatch(/^ses_/)
    const input = (mock.requests[5]!.json as { input: Array<Record<string, unknown>> }).input
    const reasoning = input.filter((item) => item.type === 'reasoning')
    expect(reasoning).toHaveLength(5)
    expect(reasoning.map((item) => (item.summary as Array<{ text: string }>)[0]?.text)).toEqual(
      FIX_SCRIPT.slice(0, 5).map((turn) => turn.reasoning),
    )
    expect(input.filter((item) => item.type === 'function_call_output')).toHaveLength(5)

    const usages = usageEvents(result.stdout)
    expect(cacheShare(mock.requests.map((r) => r.usage!))).toBeGreaterThanOrEqual(0.7)
    expect(
      cacheShare(usages.map((u) => ({ input: u.inputTokens, cacheRead: u.cacheReadTokens }))),
    ).toBeGreaterThanOrEqual(0.7)

    // The command as it stands, the endpoint from OPENAI_BASE_URL (the SDK's variable).
    const exact = ['run', '--model', 'openai/gpt-5', '--api', 'responses', '--reasoning', 'low', '--yes']
    const next = await runPenguin([...exact, '--continue', '--cwd', repo, 'what was wrong?'], {
      env: { ...env, OPENAI_BASE_URL: mock.url },
      timeoutMs: 60_000,
    })
    expect(next.code).toBe(0)
    expect(next.stdout).toContain('It subtracted.')
    const resumedInput = (mock.requests[6]!.json as { input: unknown[] }).input
    expect(resumedInput.slice(0, input.length)).toEqual(input)
  })

  test('--hide-reasoning keeps the reasoning off the terminal; --debug says what a model ignores; bad values exit 2', async () => {
    const repo = await makeRepo({ 'README.md': '# hi\n' })
    const db = join(await mkdtemp(join(tmpdir(), 'penguin-db-')), 'penguin.db')
    mock = await startMockServer({
      script: [
        { reasoning: 'Secret musings.', text: 'Hello there.' },
        { reasoning: 'Shown musings.', text: 'Hello again.' },
        { text: 'Plain.' },
        { text: 'Effort sent.' },
        { text: 'Effort not sent.' },
      ],
    })
    const env = { ANTHROPIC_API_KEY: 'sk-ant-test', ANTHROPIC_BASE_URL: mock.root, PENGUIN_DB: db }
    const base = ['run', '--model', 'anthropic/claude-sonnet-4-5', '--cwd', repo]

    const hidden = await runPenguin([...base, '--reasoning', 'low', '--hide-reasoning', 'say hi'], { env })
    expect(hidden.code).toBe(0)
    expect(hidden.stdout).toContain('Hello there.')
    expect(hidden.stderr).not.toContain('Secret musings.')

    const shown = await runPenguin([...base, '--reasoning', 'low', 'say hi'], { env })
    expect(shown.code).toBe(0)
    expect(shown.stderr).toContain('✻ Shown musings.')

    // gpt-4o cannot reason: the setting is ignored, and --debug says so.
    const plain = await runPenguin(
      [
        'run',
        '--model',
        'gpt-4o',
        '--base-url',
        mock.url,
        '--reasoning',
        'high',
        '--debug',
        '--cwd',
        repo,
        'hi',
      ],
      { env: { OPENAI_API_KEY: 'sk', PENGUIN_DB: db } },
    )
    expect(plain.code).toBe(0)
    expect(plain.stderr).toMatch(/reasoning "high" is ignored/)
    expect(mock.requests[2]!.json).not.toHaveProperty('reasoning_effort')

    // gpt-5 behind another endpoint speaks Chat Completions: the effort goes as reasoning_effort.
    const viaChat = ['--base-url', mock.url, '--debug', '--cwd', repo, 'hi']
    const openai = { OPENAI_API_KEY: 'sk', PENGUIN_DB: db }
    const gpt5 = await runPenguin(['run', '--model', 'openai/gpt-5', '--reasoning', 'high', ...viaChat], {
      env: openai,
    })
    expect(gpt5.code).toBe(0)
    expect(mock.requests[3]!.json).toMatchObject({ reasoning_effort: 'high' })
    // Chat Completions has no way to ask Claude to think: --debug says the setting is not sent.
    const claude = await runPenguin(
      ['run', '--model', 'anthropic/claude-sonnet-4-5', '--api', 'chat', '--reasoning', 'low', ...viaChat],
      { env: { ANTHROPIC_API_KEY: 'sk-ant-test', PENGUIN_DB: db } },
    )
    expect(claude.code).toBe(0)
    expect(claude.stderr).toMatch(/reasoning "low" is not sent: Chat Completions carries it only/)
    expect(mock.requests[4]!.json).not.toHaveProperty('reasoning_effort')

    for (const [flag, value] of [
      ['--api', 'graphql'],
      ['--reasoning', 'max'],
    ] as const) {
      const bad = await runPenguin([...base, flag, value, 'hi'], { env })
      expect(bad.code).toBe(2)
      expect(bad.stderr).toContain(`${flag} must be one of`)
    }
    expect(mock.requests).toHaveLength(5)
  })

  test('read_file shows an image to a model that takes images, and tells one that does not', async () => {
    const png =
      'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=='
    const repo = await makeRepo({})
    await writeFile(join(repo, 'shot.png'), Buffer.from(png, 'base64'))
    const db = join(await mkdtemp(join(tmpdir(), 'penguin-db-')), 'penguin.db')
    const look: MockTurn = { toolCalls: [{ name: 'read_file', arguments: { path: 'shot.png' } }] }
    mock = await startMockServer({ script: [look, { text: 'A dot.' }, look, { text: 'Cannot see it.' }] })

    const seen = await runPenguin(
      ['run', '--model', 'anthropic/claude-sonnet-4-5', '--cwd', repo, 'what is in shot.png?'],
      { env: { ANTHROPIC_API_KEY: 'sk-ant-test', ANTHROPIC_BASE_URL: mock.root, PENGUIN_DB: db } },
    )
    expect(seen.code).toBe(0)
    const messages = (mock.requests[1]!.json as { messages: Array<{ content: unknown }> }).messages
    expect(messages.at(-1)!.content).toEqual([
      expect.objectContaining({
        type: 'tool_result',
        content: [
          { type: 'text', text: 'shot.png is a PNG image, 1×1, 70 bytes; here it is.' },
          { type: 'image', source: { type: 'base64', media_type: 'image/png', data: png } },
        ],
      }),
    ])

    // A model the catalogue does not know to take images reads a note instead.
    const blind = await runPenguin(
      ['run', '--model', 'local-model', '--base-url', mock.url, '--cwd', repo, 'what is in shot.png?'],
      { env: { PENGUIN_DB: db } },
    )
    expect(blind.code).toBe(0)
    const chat = (mock.requests[3]!.json as { messages: Array<{ role: string; content: unknown }> }).messages
    const result = chat.find((message) => message.role === 'tool')!
    expect(JSON.stringify(result.content)).toContain('left out: this model does not take images')
    expect(JSON.stringify(result.content)).not.toContain(png)
  })
})
