import { describe, expect, it } from 'vitest'
import {
  assistantMessage,
  createTokenCounter,
  encodingForModel,
  loadTokenCounter,
  MAX_FACTOR,
  type Message,
  MIN_FACTOR,
  resolveModel,
  type ToolSpec,
  userMessage,
} from '../src/index.js'

describe('encodingForModel', () => {
  it('maps OpenAI families to their tiktoken encoding, through routing prefixes and dated names', () => {
    for (const name of [
      'gpt-4o',
      'gpt-4o-mini-2024-07-18',
      'gpt-4.1',
      'gpt-4.1-nano',
      'o1',
      'o3-mini',
      'o4-mini',
      'gpt-5',
      'gpt-5-mini',
      'openai/gpt-4o',
      'chatgpt-4o-latest',
    ]) {
      expect(encodingForModel(name), name).toBe('o200k_base')
    }
    for (const name of ['gpt-4', 'gpt-4-turbo', 'gpt-4-0613', 'gpt-4-1106-preview', 'gpt-3.5-turbo']) {
      expect(encodingForModel(name), name).toBe('cl100k_base')
    }
    for (const name of ['claude-sonnet-4-5', 'anthropic/claude-sonnet-4', 'llama3.1', 'o30', 'gpt-40']) {
      expect(encodingForModel(name), name).toBeUndefined()
    }
  })

  it('reads the model name of a resolved model, not the provider', () => {
    const routed = resolveModel('openrouter/openai/gpt-4o', { env: { OPENROUTER_API_KEY: 'k' } })
    expect(createTokenCounter(routed).encoding).toBe('o200k_base')
    const claude = resolveModel('openrouter/anthropic/claude-sonnet-4', { env: { OPENROUTER_API_KEY: 'k' } })
    expect(createTokenCounter(claude).encoding).toBeUndefined()
  })
})

// Building an exact encoder parses megabytes of rank tables (seconds, and several times that on a
// busy machine); the first test in each file that needs one pays for it, so these get more time.
describe('exact counts', { timeout: 60_000 }, () => {
  it('o200k_base', async () => {
    const counter = await loadTokenCounter('gpt-4o')
    expect(counter.exact).toBe(true)
    expect(counter.count('hello world')).toBe(2)
    expect(counter.count('tiktoken is great!')).toBe(6)
    expect(counter.count('你好，世界')).toBe(3)
    expect(counter.count('function add(a, b) {\n  return a + b\n}\n')).toBe(14)
    expect(counter.count('')).toBe(0)
  })

  it('cl100k_base', async () => {
    const counter = await loadTokenCounter('openai/gpt-4-turbo')
    expect(counter.exact).toBe(true)
    expect(counter.count('hello world')).toBe(2)
    expect(counter.count('tiktoken is great!')).toBe(6)
    expect(counter.count('你好，世界')).toBe(6)
    expect(counter.count('antidisestablishmentarianism')).toBe(6)
  })

  // Long runs of one character are where BPE goes quadratic; the counter splits them. A timing
  // assertion would be flaky on a busy machine, so the test's own timeout is the guard.
  it('counts pathological runs (almost) exactly', async () => {
    const counter = await loadTokenCounter('gpt-4o')
    expect(counter.count('x'.repeat(200))).toBe(25)
    const tokens = counter.count(`${'x'.repeat(60_000)} ${'='.repeat(20_000)} ${' '.repeat(20_000)}`)
    expect(tokens).toBeGreaterThan(7_500)
    expect(tokens).toBeLessThan(12_000)
  })

  it('counts before ready() with the estimate, then exactly', async () => {
    const counter = createTokenCounter('gpt-4o')
    expect(counter.exact).toBe(false)
    expect(counter.count('hello world')).toBe(Math.ceil(11 / 3.5))
    await counter.ready()
    expect(counter.count('hello world')).toBe(2)
  })

  it('requests add per-message framing, tool calls and tool schemas', async () => {
    const counter = await loadTokenCounter('gpt-4o')
    const user: Message = userMessage('hello world')
    expect(counter.countMessage(user)).toBe(2 + 4)
    expect(counter.countMessages([user])).toBe(2 + 4 + 3)
    const call: Message = assistantMessage('', [
      { id: 'c1', name: 'read_file', arguments: '{"path":"a.txt"}' },
    ])
    expect(counter.countMessage(call)).toBeGreaterThan(4 + 10)
    const tool: ToolSpec = {
      name: 'read_file',
      description: 'Reads a file',
      parameters: { type: 'object', properties: { path: { type: 'string' } } },
    }
    const withTools = counter.countMessages([user, call], [tool])
    expect(withTools).toBe(counter.countMessages([user, call]) + counter.countTools([tool]))
    expect(counter.countTools([tool])).toBeGreaterThan(10)
  })
})

describe('estimate and calibration', () => {
  it('estimates about 3.5 characters a token for unknown tokenizers', async () => {
    const counter = await loadTokenCounter('anthropic/claude-sonnet-4-5')
    expect(counter.exact).toBe(false)
    expect(counter.factor).toBe(1)
    expect(counter.count('a'.repeat(350))).toBe(100)
    // Non-ASCII text is far denser in tokens than ASCII.
    expect(counter.count('你好世界你好')).toBe(4)
  })

  it('moves toward reported usage, part of the way each time', () => {
    const counter = createTokenCounter('claude-sonnet-4-5')
    const text = 'a'.repeat(3500)
    expect(counter.count(text)).toBe(1000)
    counter.calibrate(1000, 800)
    const once = counter.count(text)
    expect(once).toBeLessThan(1000)
    expect(once).toBeGreaterThan(800)
    for (let i = 0; i < 30; i++) counter.calibrate(counter.count(text), 800)
    expect(Math.abs(counter.count(text) - 800)).toBeLessThanOrEqual(5)
  })

  it('is bounded both ways, however extreme the reports', () => {
    const low = createTokenCounter('llama3.1')
    for (let i = 0; i < 50; i++) low.calibrate(1000, 1)
    expect(low.factor).toBe(MIN_FACTOR)
    const high = createTokenCounter('llama3.1')
    for (let i = 0; i < 50; i++) high.calibrate(1000, 1_000_000)
    expect(high.factor).toBe(MAX_FACTOR)
    // One wild figure moves the factor only a bounded step.
    const steady = createTokenCounter('llama3.1')
    steady.calibrate(1000, 1_000_000)
    expect(steady.factor).toBeLessThanOrEqual(1.3 + 1e-9)
  })

  it('ignores empty figures, and exact counters are never calibrated', async () => {
    const counter = createTokenCounter('llama3.1')
    counter.calibrate(0, 100)
    counter.calibrate(100, 0)
    expect(counter.factor).toBe(1)
    const exact = await loadTokenCounter('gpt-4o')
    exact.calibrate(1000, 5000)
    expect(exact.factor).toBe(1)
    expect(exact.count('hello world')).toBe(2)
  })

  it('starts from a remembered factor', () => {
    expect(createTokenCounter('llama3.1', { factor: 1.2 }).factor).toBe(1.2)
    expect(createTokenCounter('llama3.1', { factor: 99 }).factor).toBe(MAX_FACTOR)
  })
})

describe('resolveModel limits override', () => {
  it('replaces the catalogue window and output limit, and nothing else', () => {
    const base = resolveModel('openai/gpt-4o', { env: { OPENAI_API_KEY: 'k' } })
    const small = resolveModel('openai/gpt-4o', {
      env: { OPENAI_API_KEY: 'k' },
      contextWindow: 6_000,
      maxOutputTokens: 500,
    })
    expect(small.info).toEqual({ ...base.info, contextWindow: 6_000, maxOutputTokens: 500 })
    expect({ ...small, info: undefined }).toEqual({ ...base, info: undefined })
  })

  it('works for custom endpoints and rejects nonsense', () => {
    const local = resolveModel('llama3.1', {
      baseUrl: 'http://localhost:8000/v1',
      env: {},
      contextWindow: 8192,
    })
    expect(local.info.contextWindow).toBe(8192)
    expect(local.info.unknown).toBe(true)
    expect(() => resolveModel('ollama/llama3.1', { env: {}, contextWindow: 0 })).toThrow(/context window/)
    expect(() => resolveModel('ollama/llama3.1', { env: {}, maxOutputTokens: 1.5 })).toThrow(/maximum output/)
  })
})
