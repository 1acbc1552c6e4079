/**
 * Issue 12: repository files Penguin reads on its own (AGENTS.md, PENGUIN.md, .penguin/config.json)
 * cannot hang it (a FIFO, /dev/zero) or leak what they point at (a link out of the workspace).
 */
import { execFileSync } from 'node:child_process'
import { mkdir, symlink } from 'node:fs/promises'
import { join } from 'node:path'
import { useMockLlm } from '@penguin-ai/mock-llm/vitest'
import { describe, expect, test } from 'vitest'
import { makeRepo } from './cli-helpers.js'
import { user } from './trust-helpers.js'

const mock = useMockLlm()

describe('repository files Penguin reads on its own cannot hang it or leak what they point at', () => {
  test('AGENTS.md as a FIFO is skipped; PENGUIN.md linking out of the workspace is not followed', async () => {
    const outside = await makeRepo({ id_rsa: 'PRIVATE-KEY-MATERIAL-0451\n' })
    const endpoint = await mock([{ text: 'hello' }])
    const u = await user({ baseUrl: endpoint.url })
    const repo = await makeRepo({ 'README.md': '# x\n' })
    execFileSync('mkfifo', [join(repo, 'AGENTS.md')])
    await symlink(join(outside, 'id_rsa'), join(repo, 'PENGUIN.md'))
    // Used to block a thread of libuv's pool for good: the run never ended, SIGTERM could not end it.
    const run = await u.penguin(['run', '--model', 'openai/gpt-4o', '--cwd', repo, 'say hi'])
    expect(run.code, run.stderr).toBe(0)
    expect(run.stdout).toContain('hello')
    expect(endpoint.requests[0]!.rawBody).not.toContain('PRIVATE-KEY-MATERIAL')
  })

  test('.penguin/config.json as a FIFO or a link to /dev/zero: a config error naming the file (exit 2)', async () => {
    const endpoint = await mock([])
    const u = await user({ baseUrl: endpoint.url })
    for (const make of [
      (path: string) => execFileSync('mkfifo', [path]),
      (path: string) => symlink('/dev/zero', path),
    ]) {
      const repo = await makeRepo({ 'README.md': '# x\n' })
      await mkdir(join(repo, '.penguin'))
      await make(join(repo, '.penguin', 'config.json'))
      const run = await u.penguin(['run', '--model', 'openai/gpt-4o', '--cwd', repo, 'say hi'])
      expect(run.code, run.stderr).toBe(2)
      expect(run.stderr).toContain(
        `Cannot read config file ${join(repo, '.penguin', 'config.json')}: it is a`,
      )
      expect(run.stderr).not.toMatch(/\n\s+at /)
    }
    expect(endpoint.requests).toHaveLength(0)
  })
})
