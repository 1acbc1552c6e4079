/** `penguin stats` end to end, on a database filled by real runs and a project's task runs. */
import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startMockServer } from '@penguin-ai/mock-llm'
import { openStore, type UsageSummary } from '@penguin-ai/store'
import { beforeAll, describe, expect, test } from 'vitest'
import { makeRepo, runPenguin } from './cli-helpers.js'

let db: string

beforeAll(async () => {
  db = join(await mkdtemp(join(tmpdir(), 'penguin-stats-')), 'penguin.db')
  const repo = await makeRepo({ 'a.txt': 'a\n' })
  const mock = await startMockServer({
    script: [
      { text: 'One.', usage: { prompt_tokens: 1000, completion_tokens: 100 } },
      { text: 'Two.', usage: { prompt_tokens: 2000, completion_tokens: 200, cached_tokens: 1500 } },
    ],
  })
  try {
    for (const model of ['openai/gpt-4o', 'openai/gpt-4o-mini']) {
      const result = await runPenguin(
        ['run', '--model', model, '--base-url', mock.url, '--cwd', repo, 'hello'],
        {
          env: { OPENAI_API_KEY: 'sk-test-123', PENGUIN_DB: db },
        },
      )
      expect(result.code).toBe(0)
    }
  } finally {
    await mock.close()
  }
  // A project's task run, as `penguin project run` records it.
  const store = openStore({ path: db })
  try {
    const project = store.createProject({ name: 'shop' })
    const run = store.startRun({ projectId: project.id, model: 'anthropic/claude-sonnet-4-5' })
    store.finishRun(run.id, {
      status: 'completed',
      inputTokens: 5000,
      outputTokens: 500,
      cacheReadTokens: 2500,
      cacheWriteTokens: 500,
      costUsd: 0.5,
    })
  } finally {
    store.close()
  }
})

/** `penguin stats --json`: the store's summary and the window it covers. */
type Stats = UsageSummary & { since: string | null }

describe('penguin stats', () => {
  test('summarises runs, tokens and cost by model and by project', async () => {
    const result = await runPenguin(['stats', '--db', db])
    expect(result.code).toBe(0)
    expect(result.stdout).toMatch(/Usage, all time/)
    expect(result.stdout).toMatch(
      /3 runs · 8\.8k tokens \(8\.0k in, 4\.0k from cache \(50%\), 500 written to it, 800 out\)/,
    )
    expect(result.stdout).toMatch(/MODEL\s+RUNS\s+INPUT\s+CACHE READ\s+CACHE WRITE\s+OUTPUT\s+COST/)
    expect(result.stdout).toMatch(/anthropic\/claude-sonnet-4-5\s+1\s+5\.0k\s+2\.5k\s+500\s+500\s+\$0\.50/)
    expect(result.stdout).toMatch(/openai\/gpt-4o\s+1\s+1\.0k\s+0\s+0\s+100/)
    expect(result.stdout).toMatch(/openai\/gpt-4o-mini\s+1\s+2\.0k\s+1\.5k\s+0\s+200/)
    expect(result.stdout).toMatch(
      /By project\nPROJECT .*\nshop \(1\)\s+1\s+5\.0k\s+2\.5k\s+500\s+500\s+\$0\.50/,
    )
  })

  test('--json and --since', async () => {
    const all = JSON.parse((await runPenguin(['stats', '--db', db, '--json'])).stdout) as Stats
    expect(all.since).toBeNull()
    expect(all.total).toMatchObject({
      inputTokens: 8000,
      outputTokens: 800,
      cacheReadTokens: 4000,
      cacheWriteTokens: 500,
      runs: 3,
    })
    expect(all.byModel.map((row) => row.model)).toEqual([
      'anthropic/claude-sonnet-4-5',
      'openai/gpt-4o',
      'openai/gpt-4o-mini',
    ])
    expect(all.byProject).toEqual([expect.objectContaining({ name: 'shop', runs: 1, costUsd: 0.5 })])

    const before = Date.now()
    const recent = JSON.parse(
      (await runPenguin(['stats', '--db', db, '--json', '--since', '1h'])).stdout,
    ) as Stats
    const after = Date.now()
    // `1h` means an hour before the command ran, which was between `before` and `after`.
    const since = Date.parse(recent.since!)
    expect(since).toBeGreaterThanOrEqual(before - 3_600_000 - 1_000)
    expect(since).toBeLessThanOrEqual(after - 3_600_000)
    expect(recent.total.runs).toBe(3)

    const future = await runPenguin(['stats', '--db', db, '--since', '2999-01-01'])
    expect(future.code).toBe(0)
    expect(future.stdout).toMatch(/Nothing recorded since 2999-01-01T00:00:00\.000Z/)
  })

  test('a --since it cannot read, or an argument, is a usage error', async () => {
    const bad = await runPenguin(['stats', '--db', db, '--since', 'yesterday'])
    expect(bad.code).toBe(2)
    expect(bad.stderr).toMatch(/--since must be a duration/)
    expect((await runPenguin(['stats', 'extra', '--db', db])).code).toBe(2)
    const help = await runPenguin(['stats', '--help'])
    expect(help.stdout).toMatch(/Usage: penguin stats/)
  })
})
