import type { SuiteCase } from './types.js'

const pkg = (name: string) =>
  `${JSON.stringify({ name, version: '1.0.0', private: true, type: 'module', scripts: { test: 'node --test test/' } }, null, 2)}\n`

const NODE_TEST = 'node --test {test}'

const slugify: SuiteCase = {
  name: 'slugify',
  language: 'javascript',
  problem: `slugify() leaves repeated and trailing dashes

\`slugify('Hello, World!')\` returns \`'hello--world-'\`. A slug should join words with single dashes and
never start or end with one: the expected result is \`'hello-world'\`. The same happens with surrounding
spaces: \`slugify('  leading and trailing  ')\` should be \`'leading-and-trailing'\`.`,
  files: {
    'package.json': pkg('slugify'),
    'src/slugify.js': `/** Turns a title into a URL slug: lower case ASCII words joined by single dashes. */
export function slugify(title) {
  return title
    .normalize('NFKD')
    .replace(/[\\u0300-\\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '-')
}
`,
    'test/slugify.test.js': `import assert from 'node:assert/strict'
import { test } from 'node:test'
import { slugify } from '../src/slugify.js'

test('joins words with a dash', () => assert.equal(slugify('hello world'), 'hello-world'))
test('drops accents', () => assert.equal(slugify('Crème brûlée'), 'creme-brulee'))
`,
  },
  fix: {
    'src/slugify.js': `/** Turns a title into a URL slug: lower case ASCII words joined by single dashes. */
export function slugify(title) {
  return title
    .normalize('NFKD')
    .replace(/[\\u0300-\\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
}
`,
  },
  hiddenTests: {
    'test/slugify-separators.test.js': `import assert from 'node:assert/strict'
import { test } from 'node:test'
import { slugify } from '../src/slugify.js'

test('collapses runs of separators', () => assert.equal(slugify('Hello, World!'), 'hello-world'))
test('trims dashes at both ends', () => assert.equal(slugify('  leading and trailing  '), 'leading-and-trailing'))
`,
  },
  testCmd: NODE_TEST,
  failToPass: ['test/slugify-separators.test.js'],
  passToPass: ['test/slugify.test.js'],
}

const chunk: SuiteCase = {
  name: 'chunk',
  language: 'javascript',
  problem: `chunk() loses the last elements

\`chunk([1, 2, 3, 4, 5], 2)\` returns \`[[1, 2], [3, 4]]\`: the 5 is gone. The last chunk should hold
whatever is left over, so the result should be \`[[1, 2], [3, 4], [5]]\`. Likewise \`chunk([1], 3)\`
returns \`[]\` instead of \`[[1]]\`.`,
  files: {
    'package.json': pkg('chunk'),
    'src/chunk.js': `/** Splits \`items\` into arrays of \`size\` elements; the last one holds what is left. */
export function chunk(items, size) {
  if (!Number.isInteger(size) || size < 1) throw new RangeError('size must be a positive integer')
  const chunks = []
  for (let start = 0; start + size <= items.length; start += size) {
    chunks.push(items.slice(start, start + size))
  }
  return chunks
}
`,
    'test/chunk.test.js': `import assert from 'node:assert/strict'
import { test } from 'node:test'
import { chunk } from '../src/chunk.js'

test('splits evenly', () => assert.deepEqual(chunk([1, 2, 3, 4], 2), [[1, 2], [3, 4]]))
test('rejects a size below one', () => assert.throws(() => chunk([1], 0), RangeError))
`,
  },
  fix: {
    'src/chunk.js': `/** Splits \`items\` into arrays of \`size\` elements; the last one holds what is left. */
export function chunk(items, size) {
  if (!Number.isInteger(size) || size < 1) throw new RangeError('size must be a positive integer')
  const chunks = []
  for (let start = 0; start < items.length; start += size) {
    chunks.push(items.slice(start, start + size))
  }
  return chunks
}
`,
  },
  hiddenTests: {
    'test/chunk-remainder.test.js': `import assert from 'node:assert/strict'
import { test } from 'node:test'
import { chunk } from '../src/chunk.js'

test('keeps the remainder', () => assert.deepEqual(chunk([1, 2, 3, 4, 5], 2), [[1, 2], [3, 4], [5]]))
test('a short list is one chunk', () => assert.deepEqual(chunk([1], 3), [[1]]))
test('an empty list has no chunks', () => assert.deepEqual(chunk([], 3), []))
`,
  },
  testCmd: NODE_TEST,
  failToPass: ['test/chunk-remainder.test.js'],
  passToPass: ['test/chunk.test.js'],
}

const lruBase = (get: string) => `/** A least-recently-used cache holding at most \`capacity\` entries. */
export class LruCache {
  constructor(capacity) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError('capacity must be a positive integer')
    this.capacity = capacity
    this.entries = new Map()
  }

${get}

  set(key, value) {
    this.entries.delete(key)
    this.entries.set(key, value)
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value)
    return this
  }

  has(key) {
    return this.entries.has(key)
  }

  get size() {
    return this.entries.size
  }
}
`

const lruCache: SuiteCase = {
  name: 'lru-cache',
  language: 'javascript',
  problem: `LruCache evicts entries that were just read

With a cache of capacity 2: \`set('a', 1)\`, \`set('b', 2)\`, \`get('a')\`, then \`set('c', 3)\` evicts \`'a'\`,
although \`'b'\` is the least recently used entry. Reading an entry should count as using it, so \`'b'\`
should be evicted and \`'a'\` kept.`,
  files: {
    'package.json': pkg('lru-cache'),
    'src/lru.js': lruBase(`  get(key) {
    return this.entries.get(key)
  }`),
    'test/lru.test.js': `import assert from 'node:assert/strict'
import { test } from 'node:test'
import { LruCache } from '../src/lru.js'

test('stores and returns values', () => {
  const cache = new LruCache(2).set('a', 1)
  assert.equal(cache.get('a'), 1)
  assert.equal(cache.get('missing'), undefined)
})

test('evicts the oldest entry when full', () => {
  const cache = new LruCache(2).set('a', 1).set('b', 2).set('c', 3)
  assert.equal(cache.has('a'), false)
  assert.equal(cache.size, 2)
})
`,
  },
  fix: {
    'src/lru.js': lruBase(`  get(key) {
    if (!this.entries.has(key)) return undefined
    const value = this.entries.get(key)
    this.entries.delete(key)
    this.entries.set(key, value)
    return value
  }`),
  },
  hiddenTests: {
    'test/lru-recency.test.js': `import assert from 'node:assert/strict'
import { test } from 'node:test'
import { LruCache } from '../src/lru.js'

test('reading an entry makes it recent', () => {
  const cache = new LruCache(2).set('a', 1).set('b', 2)
  assert.equal(cache.get('a'), 1)
  cache.set('c', 3)
  assert.equal(cache.has('a'), true)
  assert.equal(cache.has('b'), false)
})
`,
  },
  testCmd: NODE_TEST,
  failToPass: ['test/lru-recency.test.js'],
  passToPass: ['test/lru.test.js'],
}

export const JS_CASES: SuiteCase[] = [slugify, chunk, lruCache]
