import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { Tiktoken } from 'js-tiktoken/lite'
import cl100k from 'js-tiktoken/ranks/cl100k_base'
import o200k from 'js-tiktoken/ranks/o200k_base'
import { describe, expect, it } from 'vitest'
import { BytePairEncoder } from '../src/tokens/bpe.js'

/** This package's own sources and docs: code, prose, JSON, Markdown tables, unicode. */
function samples(): string[] {
  const root = fileURLToPath(new URL('..', import.meta.url))
  const out: string[] = []
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      if (name === 'node_modules' || name === 'dist') continue
      const path = join(dir, name)
      if (statSync(path).isDirectory()) walk(path)
      else if (/\.(ts|md|json)$/.test(name)) out.push(readFileSync(path, 'utf8'))
    }
  }
  walk(root)
  return out
}

const EXTRA = [
  '',
  'tiktoken is great!',
  "I'm sure you'll see they've RE-done it; WE'LL SEE",
  'naïve café — déjà vu: 日本語のテキスト、中文文本, 한국어, Ελληνικά, עברית, русский 😀👍🏽',
  '    indented\r\n\tcode() {\n\n\n  return 42 }\n   ',
  '12345678901234567890 3.14159 0x1F 1e-9',
  `${'x'.repeat(300)} ${'='.repeat(200)}`,
]

describe('BytePairEncoder', () => {
  for (const [name, table] of [
    ['o200k_base', o200k],
    ['cl100k_base', cl100k],
  ] as const) {
    it(`gives the same ids as js-tiktoken for ${name}`, () => {
      const ours = new BytePairEncoder(table)
      const theirs = new Tiktoken(table)
      for (const text of [...EXTRA, ...samples()]) {
        expect(ours.encode(text)).toEqual(theirs.encode(text))
      }
      // Genuinely slow: two full rank tables are built and every source file of the package is
      // encoded twice — seconds when idle, past the package's 20 s default on a loaded 2-core box.
    }, 120_000)
  }
})
