/**
 * Issue 12 §7: configuration and database problems are one clear line and exit 2 — never an
 * "unexpected error", never a stack trace — and `--db` does not create folders anywhere.
 */
import { existsSync, readFileSync } from 'node:fs'
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { type MockServer, startMockServer } from '@penguin-ai/mock-llm'
import { afterEach, describe, expect, test } from 'vitest'
import { type CliResult, makeRepo, runPenguin } from './cli-helpers.js'

let server: MockServer | undefined
afterEach(async () => {
  await server?.close()
  server = undefined
})

/** The example config of the README's "Configuration" section, exactly as users copy it. */
function readmeExample(): Record<string, unknown> {
  const readme = readFileSync(fileURLToPath(new URL('../../../README.md', import.meta.url)), 'utf8')
  const section = readme.slice(readme.indexOf('## Configuration'))
  const block = /```json\n([\s\S]*?)```/.exec(section)?.[1]
  if (!block) throw new Error('no json example in the README Configuration section')
  return JSON.parse(block) as Record<string, unknown>
}

async function userConfig(json: unknown): Promise<{ xdg: string; path: string }> {
  const xdg = await mkdtemp(join(tmpdir(), 'penguin-xdg-'))
  const path = join(xdg, 'penguin', 'config.json')
  await mkdir(dirname(path), { recursive: true })
  await writeFile(path, typeof json === 'string' ? json : JSON.stringify(json, null, 2))
  return { xdg, path }
}

function expectUsageError(result: CliResult, ...parts: string[]): void {
  expect(result.code).toBe(2)
  expect(result.stderr).not.toMatch(/unexpected error/)
  expect(result.stderr).not.toMatch(/\n\s+at /)
  for (const part of parts) expect(result.stderr).toContain(part)
}

describe("the README's example config", () => {
  test('as the user config: a missing allowed path is an error naming the file and key (exit 2), then it works', async () => {
    server = await startMockServer({ script: [{ text: 'configured and working' }] })
    const example = readmeExample()
    expect(example.allowedPaths).toEqual(['../shared-fixtures'])
    const { xdg, path } = await userConfig(example)
    const parent = await mkdtemp(join(tmpdir(), 'penguin-example-'))
    const repo = join(parent, 'repo')
    await mkdir(repo)
    const run = () =>
      runPenguin(['run', '--model', 'openai/gpt-4o', '--base-url', server!.url, '--cwd', repo, 'hi'], {
        env: { XDG_CONFIG_HOME: xdg, OPENAI_API_KEY: 'sk-test' },
      })

    const missing = await run()
    expectUsageError(
      missing,
      `penguin: ${path}: "allowedPaths[0]": ../shared-fixtures (${join(parent, 'shared-fixtures')}) does not exist.`,
    )
    await mkdir(join(parent, 'shared-fixtures'))
    const works = await run()
    expect(works.code).toBe(0)
    expect(works.stdout).toContain('configured and working')
  })

  test('as an untrusted workspace config: its widening settings are ignored with one warning line', async () => {
    server = await startMockServer({ script: [{ text: 'ran anyway' }] })
    const repo = await makeRepo({ '.penguin/config.json': JSON.stringify(readmeExample()) })
    const { xdg } = await userConfig({})
    const result = await runPenguin(
      ['run', '--model', 'openai/gpt-4o', '--base-url', server.url, '--cwd', repo, 'hi'],
      { env: { XDG_CONFIG_HOME: xdg, OPENAI_API_KEY: 'sk-test' } },
    )
    expect(result.code).toBe(0)
    expect(result.stderr.split('\n').filter((line) => line.includes('ignoring'))).toEqual([
      expect.stringContaining('ignoring permissions (1 allow rule), allowedPaths in'),
    ])
  })
})

describe('config errors name the file and the key, exit 2', () => {
  test.each([
    ['an unknown key', { modle: 'openai/gpt-4o' }, 'unknown key "modle"'],
    ['a bad value', { budget: { maxTokens: -5 } }, '"budget.maxTokens"'],
    ['a bad rule', { permissions: [{ tool: 'x', action: 'maybe' }] }, '"permissions[0].action"'],
    ['not JSON', '{ "model": ', 'not valid JSON'],
  ])('%s in the workspace config', async (_name, config, key) => {
    const repo = await makeRepo({
      '.penguin/config.json': typeof config === 'string' ? config : JSON.stringify(config),
    })
    const result = await runPenguin(['run', '--model', 'openai/gpt-4o', '--cwd', repo, 'hi'], {
      env: { OPENAI_API_KEY: 'sk-test' },
    })
    expectUsageError(result, join(repo, '.penguin', 'config.json'), key)
  })

  test('a model from config that cannot be used says which file named it', async () => {
    const repo = await makeRepo({
      '.penguin/config.json': JSON.stringify({ model: 'anthropic/claude-sonnet-4-5' }),
    })
    const result = await runPenguin(['run', '--cwd', repo, 'hi'])
    expectUsageError(result, 'ANTHROPIC_API_KEY', `from ${join(repo, '.penguin', 'config.json')}`)
  })
})

describe('--db', () => {
  test('does not create folders outside Penguin’s data directory; says so and exits 2', async () => {
    const base = await mkdtemp(join(tmpdir(), 'penguin-db-'))
    const db = join(base, 'no', 'such', 'place', 'penguin.db')
    for (const args of [
      ['project', 'list', '--db', db],
      ['sessions', 'list', '--db', db],
      ['run', '--model', 'openai/gpt-4o', '--db', db, 'hi'],
    ]) {
      const result = await runPenguin(args, { env: { OPENAI_API_KEY: 'sk-test' } })
      expectUsageError(result, `the folder ${dirname(db)} does not exist`)
    }
    const viaEnv = await runPenguin(['project', 'list'], { env: { PENGUIN_DB: db } })
    expectUsageError(viaEnv, `PENGUIN_DB=${db}`)
    expect(existsSync(join(base, 'no'))).toBe(false)
  })

  test('creates what it needs under PENGUIN_HOME', async () => {
    const home = join(await mkdtemp(join(tmpdir(), 'penguin-home-')), 'new', 'home')
    const result = await runPenguin(['project', 'create', 'p'], { env: { PENGUIN_HOME: home } })
    expect(result.code).toBe(0)
    expect(existsSync(join(home, 'penguin.db'))).toBe(true)
    const inside = await runPenguin(['project', 'list', '--db', join(home, 'more', 'other.db')], {
      env: { PENGUIN_HOME: home },
    })
    expect(inside.code).toBe(0)
  })
})

describe('a database this version cannot use', () => {
  const commands = (db: string) => [
    ['sessions', 'list', '--db', db],
    ['project', 'list', '--db', db],
    ['token', 'list', '--db', db],
    ['stats', '--db', db],
    ['run', '--model', 'openai/gpt-4o', '--db', db, 'hi'],
    ['serve', '--port', '0', '--db', db],
  ]

  test('a damaged file: a clear message, exit 2, no stack trace, the file untouched', async () => {
    const db = join(await mkdtemp(join(tmpdir(), 'penguin-damaged-')), 'penguin.db')
    const garbage = 'not a database at all, but long enough to look like a file header ...\n'.repeat(20)
    await writeFile(db, garbage)
    for (const args of commands(db)) {
      const result = await runPenguin(args, { env: { OPENAI_API_KEY: 'sk-test' } })
      expectUsageError(result, `the database at ${db} is damaged or is not a Penguin database`)
    }
    expect(readFileSync(db, 'utf8')).toBe(garbage)
  })

  test('a database from a newer Penguin: a clear message, exit 2, not migrated', async () => {
    const db = join(await mkdtemp(join(tmpdir(), 'penguin-newer-')), 'penguin.db')
    expect((await runPenguin(['project', 'create', 'p', '--db', db])).code).toBe(0)
    // What a newer Penguin leaves behind: a schema change this version has never heard of.
    const storePackage = fileURLToPath(new URL('../../../packages/store/package.json', import.meta.url))
    const Database = createRequire(storePackage)('better-sqlite3') as new (
      path: string,
    ) => {
      prepare(sql: string): { get(): { at: number; n: number }; run(...args: unknown[]): unknown }
      close(): void
    }
    const raw = new Database(db)
    const latest = raw.prepare('SELECT max(created_at) AS at FROM __drizzle_migrations').get().at
    raw.prepare('INSERT INTO __drizzle_migrations (hash, created_at) VALUES (?, ?)').run('next', latest + 1)
    const count = () => raw.prepare('SELECT count(*) AS n FROM __drizzle_migrations').get().n
    const before = count()
    for (const args of commands(db)) {
      const result = await runPenguin(args, { env: { OPENAI_API_KEY: 'sk-test' } })
      expectUsageError(result, `the database at ${db} was written by a newer version of Penguin`)
    }
    expect(count()).toBe(before)
    raw.close()
  })
})
