import { writeFile } from 'node:fs/promises'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { wildcardMatch } from '../src/permission.js'
import { grepTool } from '../src/tools/grep.js'
import { listFilesTool } from '../src/tools/list-files.js'
import { fixture } from './helpers.js'

describe('grep cannot be stalled by its pattern', () => {
  it('answers a catastrophic pattern in linear time', async () => {
    // With a backtracking engine this froze the event loop (2^5000 paths); RE2 matches linearly.
    const f = await fixture({ 'evil.txt': `${'a'.repeat(5000)}!\n`, 'ok.txt': 'aaa\n' })
    const result = await f.run(grepTool, { pattern: '^(a+)+$' })
    expect(result.isError).toBeFalsy()
    expect(result.output).toBe('ok.txt:1: aaa')
  })

  it('accepts JavaScript spellings and lookbehind; explains lookahead and backreferences', async () => {
    const f = await fixture({ 'a.ts': 'const café = foobar\nconst x = barfoo\n' })
    expect((await f.run(grepTool, { pattern: 'caf\\u00e9' })).output).toBe('a.ts:1: const café = foobar')
    expect((await f.run(grepTool, { pattern: '(?<=foo)bar' })).output).toBe('a.ts:1: const café = foobar')
    expect((await f.run(grepTool, { pattern: '(?i)CONST X' })).output).toBe('a.ts:2: const x = barfoo')
    for (const pattern of ['foo(?=bar)', '(o)\\1']) {
      const result = await f.run(grepTool, { pattern })
      expect(result.isError).toBe(true)
      expect(result.output).toMatch(/linear-time engine .* lookahead and backreferences are not supported/)
    }
  })

  it('keeps per-line semantics: ^ and $ anchor at each line, CRLF included', async () => {
    const f = await fixture({ 'a.txt': 'one\r\ntwo\r\n', 'b.txt': 'x one\ntwo y\n' })
    expect((await f.run(grepTool, { pattern: '^two$' })).output).toBe('a.txt:2: two')
    expect((await f.run(grepTool, { pattern: 'one\\s+two' })).output).toBe(
      'No matches for /one\\s+two/ in ..',
    )
  })
})

describe('a cancelled grep stops', () => {
  it('looks at the event loop while it matches and stops once its run is cancelled', async () => {
    // 10,000 lines: matching them is synchronous work the process could not interrupt before.
    const f = await fixture({ 'big.txt': `${'haystack '.repeat(100)}\n`.repeat(10_000) })
    const controller = new AbortController()
    const running = grepTool.run(
      { pattern: '[^ ]{20}', path: 'big.txt' },
      { workspace: f.workspace, signal: controller.signal, callId: 'call-1' },
    )
    // Heard as soon as grep lets the event loop turn: it used to match the whole file first, deaf.
    setImmediate(() => controller.abort())
    const result = await running
    expect(result.isError).toBe(true)
    expect(result.output).toMatch(/^grep was aborted/)
  })
})

describe('grep and files over 10 MB', () => {
  it('skips them with a note instead of reporting a fake "large" match', async () => {
    const f = await fixture({ 'small.txt': 'tiny\n' })
    await writeFile(path.join(f.root, 'big.txt'), 'x'.repeat(11 * 1024 * 1024))
    for (const pattern of ['large', 'l', '.']) {
      const result = await f.run(grepTool, { pattern })
      expect(result.output).not.toMatch(/big\.txt:1/)
      expect(result.output).toMatch(/\(1 files over 10 MB were not searched\)/)
    }
    const direct = await f.run(grepTool, { pattern: 'large', path: 'big.txt' })
    expect(direct.output).toBe('No matches for /large/ in big.txt.\n(1 files over 10 MB were not searched)')
  })
})

describe('walking tools skip denied paths', () => {
  const tree = {
    'src/app.ts': 'const key = process.env.KEY\n',
    'secrets/prod.env': 'KEY=hunter2\n',
    'secrets/nested/more.env': 'KEY=hunter3\n',
    '.env': 'KEY=hunter4\n',
  }
  const denied = (path: string) =>
    wildcardMatch('secrets', path) || wildcardMatch('secrets/*', path) || path === '.env'

  it('grep neither searches nor enters them', async () => {
    const f = await fixture(tree)
    const ctx = { ...f.ctx, denied }
    const result = await grepTool.run({ pattern: 'KEY' }, ctx)
    expect(result.output).toBe('src/app.ts:1: const key = process.env.KEY')
    const refused = await grepTool.run({ pattern: 'KEY', path: 'secrets' }, ctx)
    expect(refused.isError).toBe(true)
    expect(refused.output).toMatch(/Permission denied/)
  })

  it('list_files leaves them out', async () => {
    const f = await fixture(tree)
    const result = await listFilesTool.run({}, { ...f.ctx, denied })
    expect(result.output.split('\n')).toEqual(['src/', 'src/app.ts'])
  })
})
