import { mkdir, mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { type CliResult, makeRepo, runPenguin } from './cli-helpers.js'

/**
 * `penguin serve` with a token, driven over HTTP by `drive(url, token)` once it listens, then
 * stopped with SIGTERM. Resolves with what the process printed and what `drive` found.
 */
async function serveAndDrive<T>(
  args: string[],
  drive: (url: string, token: string) => Promise<T>,
  env: Record<string, string> = {},
): Promise<{ result: CliResult; found: T }> {
  const root = await makeRepo({ 'README.md': '# x\n' })
  const db = join(await mkdtemp(join(tmpdir(), 'penguin-rate-')), 'p.db')
  const token = (await runPenguin(['token', 'create', '--name', 't', '--db', db])).stdout.trim()
  let found: T | undefined
  let failure: unknown
  let started = false
  const result = await runPenguin(['serve', '--port', '0', '--db', db, '--root', root, ...args], {
    env: { OPENAI_API_KEY: 'sk-test', ...env },
    onStdout: (chunk, child) => {
      const url = chunk.match(/listening on (http:\/\/\S+)/)?.[1]
      if (!url || started) return
      started = true
      drive(url, token)
        .then((value) => {
          found = value
        })
        .catch((error: unknown) => {
          failure = error
        })
        .finally(() => child.kill('SIGTERM'))
    },
  })
  if (failure) throw failure
  return { result, found: found as T }
}

/** Statuses (and Retry-After) of `count` authenticated requests in a row. */
async function statuses(url: string, token: string, count: number) {
  const seen: { status: number; retryAfter: string | null }[] = []
  for (let i = 0; i < count; i++) {
    const response = await fetch(`${url}/api/v1/sessions`, { headers: { authorization: `Bearer ${token}` } })
    await response.arrayBuffer()
    seen.push({ status: response.status, retryAfter: response.headers.get('retry-after') })
  }
  return seen
}

describe('penguin serve --rate-limit', () => {
  it('N/min: past the limit a token gets 429 with Retry-After; the banner says the limit', async () => {
    const { result, found } = await serveAndDrive(['--rate-limit', '2/min'], (url, token) =>
      statuses(url, token, 3),
    )
    expect(result.code, result.stderr).toBe(0)
    expect(result.stdout).toMatch(/auth on, rate limit 2\/min per token/)
    expect(found.map((r) => r.status)).toEqual([200, 200, 429])
    expect(Number(found[2]?.retryAfter)).toBeGreaterThanOrEqual(1)
  })

  it('0 turns the limit off, for trusted networks', async () => {
    const { result, found } = await serveAndDrive(['--rate-limit', '0'], (url, token) =>
      statuses(url, token, 5),
    )
    expect(result.code, result.stderr).toBe(0)
    expect(result.stdout).toMatch(/rate limit off/)
    expect(found.map((r) => r.status)).toEqual([200, 200, 200, 200, 200])
  })

  it('comes from the user config (serve.rateLimit) when the flag is not given', async () => {
    const config = await mkdtemp(join(tmpdir(), 'penguin-xdg-'))
    await mkdir(join(config, 'penguin'))
    await writeFile(join(config, 'penguin', 'config.json'), JSON.stringify({ serve: { rateLimit: '1/min' } }))
    const { result, found } = await serveAndDrive([], (url, token) => statuses(url, token, 2), {
      XDG_CONFIG_HOME: config,
    })
    expect(result.code, result.stderr).toBe(0)
    expect(result.stdout).toMatch(/rate limit 1\/min per token/)
    expect(found.map((r) => r.status)).toEqual([200, 429])
  })

  it('a rate it cannot read is a usage error naming the flag (exit 2)', async () => {
    const result = await runPenguin(['serve', '--port', '0', '--rate-limit', 'lots'])
    expect(result.code).toBe(2)
    expect(result.stderr).toMatch(/--rate-limit takes requests a minute per API token, such as 600\/min/)
    expect(result.stderr).not.toMatch(/\n\s+at /)
  })
})
