/**
 * The compiled-code cache of the bundle's vendored libraries (src/vendored.ts): written on the first
 * start, used as it is by the next, and never a reason to fail — a damaged cache is compiled past and
 * replaced; `PENGUIN_CODE_CACHE=off` writes none. Through the real CLI against the mock.
 */
import { mkdtemp, readdir, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type MockServer, startMockServer } from '@penguin-ai/mock-llm'
import { afterEach, describe, expect, test } from 'vitest'
import { makeRepo, runPenguin } from './cli-helpers.js'

let mock: MockServer | undefined
afterEach(async () => {
  await mock?.close()
  mock = undefined
})

async function run(env: Record<string, string>) {
  const repo = await makeRepo({ 'README.md': '# app\n' })
  const data = await mkdtemp(join(tmpdir(), 'penguin-data-'))
  mock ??= await startMockServer({ script: () => ({ text: 'Hi.' }) })
  const result = await runPenguin(
    ['run', '--model', 'openai/gpt-5', '--api', 'responses', '--base-url', mock.url, '--cwd', repo, 'hi'],
    { env: { OPENAI_API_KEY: 'sk-test', PENGUIN_DB: join(data, 'penguin.db'), ...env } },
  )
  expect(result.stderr).not.toContain('unexpected error')
  expect(result.code).toBe(0)
  expect(result.stdout).toContain('Hi.')
}

/** The cache files, by vendored library (`zod`, `openai`), with their inode numbers. */
async function cacheFiles(dir: string): Promise<Map<string, { path: string; ino: number }>> {
  const files = new Map<string, { path: string; ino: number }>()
  for (const name of await readdir(dir)) {
    const library = /^([a-z]+)-\w+\.cjs\.v[\d.]+-\w+$/.exec(name)?.[1]
    if (!library) continue
    const path = join(dir, name)
    files.set(library, { path, ino: (await stat(path)).ino })
  }
  return files
}

describe('the code cache', () => {
  test('is written by the first run, kept by the next, and replaced when damaged', async () => {
    const cache = await mkdtemp(join(tmpdir(), 'penguin-code-cache-'))
    await run({ PENGUIN_CODE_CACHE: cache })
    const first = await cacheFiles(cache)
    expect([...first.keys()].sort()).toEqual(['openai', 'zod'])

    // Accepted: not written again.
    await run({ PENGUIN_CODE_CACHE: cache })
    const second = await cacheFiles(cache)
    for (const [library, file] of first) expect(second.get(library)?.ino).toBe(file.ino)

    // Damaged: the run compiles as without a cache, and writes a good one in its place.
    for (const file of second.values()) await writeFile(file.path, 'not a code cache')
    await run({ PENGUIN_CODE_CACHE: cache })
    const third = await cacheFiles(cache)
    for (const [library, file] of third) {
      expect(file.ino).not.toBe(second.get(library)?.ino)
      expect((await stat(file.path)).size).toBeGreaterThan(1000)
    }
  })

  test('is in the user cache directory by default, and off with PENGUIN_CODE_CACHE=off', async () => {
    const home = await mkdtemp(join(tmpdir(), 'penguin-home-'))
    await run({ HOME: home, PENGUIN_CODE_CACHE: '' })
    expect((await cacheFiles(join(home, '.cache', 'penguin', 'code-cache'))).size).toBe(2)

    const other = await mkdtemp(join(tmpdir(), 'penguin-home-'))
    await run({ HOME: other, PENGUIN_CODE_CACHE: 'off' })
    expect(await readdir(other)).not.toContain('.cache')
  })
})
