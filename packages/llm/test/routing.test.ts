import { describe, expect, it } from 'vitest'
import { listProviders, ModelConfigError, PROVIDERS, resolveModel } from '../src/index.js'

function configError(fn: () => unknown): ModelConfigError {
  try {
    fn()
  } catch (error) {
    if (error instanceof ModelConfigError) return error
    throw error
  }
  throw new Error('expected a ModelConfigError')
}

describe('provider table', () => {
  it('has the documented providers with their endpoints and key variables', () => {
    const table = Object.fromEntries(listProviders().map((p) => [p.name, [p.baseUrl, p.apiKeyEnv, p.api]]))
    expect(table).toEqual({
      openai: ['https://api.openai.com/v1', 'OPENAI_API_KEY', 'openai-responses'],
      anthropic: ['https://api.anthropic.com', 'ANTHROPIC_API_KEY', 'anthropic-messages'],
      gemini: ['https://generativelanguage.googleapis.com/v1beta/openai', 'GEMINI_API_KEY', 'openai-chat'],
      openrouter: ['https://openrouter.ai/api/v1', 'OPENROUTER_API_KEY', 'openai-chat'],
      groq: ['https://api.groq.com/openai/v1', 'GROQ_API_KEY', 'openai-chat'],
      deepseek: ['https://api.deepseek.com/v1', 'DEEPSEEK_API_KEY', 'openai-chat'],
      mistral: ['https://api.mistral.ai/v1', 'MISTRAL_API_KEY', 'openai-chat'],
      xai: ['https://api.x.ai/v1', 'XAI_API_KEY', 'openai-chat'],
      together: ['https://api.together.xyz/v1', 'TOGETHER_API_KEY', 'openai-chat'],
      ollama: ['http://localhost:11434/v1', undefined, 'openai-chat'],
      lmstudio: ['http://localhost:1234/v1', undefined, 'openai-chat'],
    })
    expect(PROVIDERS.ollama?.requiresKey).toBe(false)
  })
})

describe('wire routing', () => {
  const env = { ANTHROPIC_API_KEY: 'sk-ant', OPENAI_API_KEY: 'sk-oai', GROQ_API_KEY: 'gsk' }

  it('speaks Anthropic Messages to anthropic/* at the host root, ANTHROPIC_BASE_URL or --base-url', () => {
    expect(resolveModel('anthropic/claude-sonnet-4-5', { env })).toMatchObject({
      api: 'anthropic-messages',
      baseUrl: 'https://api.anthropic.com',
    })
    expect(resolveModel('claude-sonnet-4-5', { env })).toMatchObject({ api: 'anthropic-messages' })
    const viaEnv = resolveModel('anthropic/claude-sonnet-4-5', {
      env: { ...env, ANTHROPIC_BASE_URL: 'http://proxy:8080/' },
    })
    expect(viaEnv).toMatchObject({ api: 'anthropic-messages', baseUrl: 'http://proxy:8080' })
    const viaFlag = resolveModel('anthropic/claude-sonnet-4-5', { env, baseUrl: 'http://127.0.0.1:9' })
    expect(viaFlag).toMatchObject({ api: 'anthropic-messages', baseUrl: 'http://127.0.0.1:9' })
  })

  it('OPENAI_BASE_URL moves openai/* like the SDK; another endpoint speaks Chat unless --api says', () => {
    const proxy = { ...env, OPENAI_BASE_URL: 'http://proxy:4000/v1/' }
    expect(resolveModel('openai/gpt-5', { env: proxy })).toMatchObject({
      api: 'openai-chat',
      baseUrl: 'http://proxy:4000/v1',
    })
    expect(resolveModel('openai/gpt-5', { env: proxy, api: 'responses' })).toMatchObject({
      api: 'openai-responses',
      baseUrl: 'http://proxy:4000/v1',
    })
    expect(resolveModel('openai/gpt-5', { env: proxy, baseUrl: 'http://flag/v1' })).toMatchObject({
      baseUrl: 'http://flag/v1',
    })
    expect(resolveModel('openai/gpt-5', { env })).toMatchObject({
      api: 'openai-responses',
      baseUrl: 'https://api.openai.com/v1',
    })
  })

  it('--api picks the wire for any endpoint; Anthropic over chat uses its OpenAI-compatible URL', () => {
    expect(resolveModel('anthropic/claude-sonnet-4-5', { env, api: 'chat' })).toMatchObject({
      api: 'openai-chat',
      baseUrl: 'https://api.anthropic.com/v1',
    })
    // ANTHROPIC_BASE_URL is the native wire's; it does not redirect the compatible endpoint.
    expect(
      resolveModel('anthropic/claude-sonnet-4-5', {
        env: { ...env, ANTHROPIC_BASE_URL: 'http://x' },
        api: 'chat',
      }),
    ).toMatchObject({ baseUrl: 'https://api.anthropic.com/v1' })
    const custom = resolveModel('claude-proxy', {
      baseUrl: 'http://litellm:4000',
      api: 'anthropic',
      env: { ANTHROPIC_API_KEY: 'sk-ant' },
    })
    expect(custom).toMatchObject({ provider: 'custom', api: 'anthropic-messages', apiKey: 'sk-ant' })
    expect(resolveModel('groq/llama-3.3-70b', { env })).toMatchObject({ api: 'openai-chat' })
    expect(resolveModel('meta-llama/x', { baseUrl: 'http://vllm:8000/v1', env: {} })).toMatchObject({
      api: 'openai-chat',
    })
    expect(() => resolveModel('openai/gpt-5', { env, api: 'soap' })).toThrow(
      /Unknown API "soap": use one of chat, responses, anthropic/,
    )
  })
})

describe('resolveModel', () => {
  it('resolves provider/model with the key from the environment', () => {
    const m = resolveModel('openai/gpt-4o', { env: { OPENAI_API_KEY: 'sk-env' } })
    expect(m).toMatchObject({
      id: 'openai/gpt-4o',
      provider: 'openai',
      model: 'gpt-4o',
      api: 'openai-responses',
      baseUrl: 'https://api.openai.com/v1',
      apiKeyEnv: 'OPENAI_API_KEY',
      apiKey: 'sk-env',
    })
    expect(m.info.contextWindow).toBe(128_000)
    expect(m.info.unknown).toBeUndefined()
  })

  it('keeps further slashes in the model name', () => {
    const m = resolveModel('openrouter/anthropic/claude-sonnet-4', { env: { OPENROUTER_API_KEY: 'k' } })
    expect(m.provider).toBe('openrouter')
    expect(m.model).toBe('anthropic/claude-sonnet-4')
    expect(m.info.inputPrice).toBe(3)
  })

  it('prefers an explicit apiKey, and accepts GOOGLE_API_KEY for gemini', () => {
    expect(
      resolveModel('openai/gpt-4o', { apiKey: 'sk-flag', env: { OPENAI_API_KEY: 'sk-env' } }).apiKey,
    ).toBe('sk-flag')
    expect(resolveModel('gemini/gemini-2.5-pro', { env: { GOOGLE_API_KEY: 'g' } }).apiKey).toBe('g')
    expect(
      resolveModel('gemini/gemini-2.5-pro', { env: { GOOGLE_API_KEY: 'g', GEMINI_API_KEY: 'gm' } }).apiKey,
    ).toBe('gm')
  })

  it('throws missing_api_key naming the variable to set', () => {
    const error = configError(() => resolveModel('openai/gpt-4o', { env: {} }))
    expect(error.code).toBe('missing_api_key')
    expect(error.message).toBe(
      'No API key for openai: set OPENAI_API_KEY. For example: export OPENAI_API_KEY=…',
    )
    expect(
      configError(() => resolveModel('gemini/gemini-2.5-flash', { env: { GEMINI_API_KEY: '  ' } })).message,
    ).toBe(
      'No API key for gemini: set GEMINI_API_KEY or GOOGLE_API_KEY. For example: export GEMINI_API_KEY=…',
    )
  })

  it('keeps the key requirement when baseUrl overrides a known provider', () => {
    expect(
      configError(() => resolveModel('openai/gpt-4o', { baseUrl: 'http://127.0.0.1:9/v1', env: {} })).code,
    ).toBe('missing_api_key')
    const m = resolveModel('openai/gpt-4o', {
      baseUrl: 'http://127.0.0.1:9/v1/',
      env: { OPENAI_API_KEY: 'k' },
    })
    expect(m.baseUrl).toBe('http://127.0.0.1:9/v1')
    expect(m.provider).toBe('openai')
  })

  it('infers the provider of well-known bare names', () => {
    const env = { OPENAI_API_KEY: 'o', ANTHROPIC_API_KEY: 'a', GEMINI_API_KEY: 'g' }
    expect(resolveModel('gpt-4o-mini', { env }).provider).toBe('openai')
    expect(resolveModel('o3', { env }).provider).toBe('openai')
    expect(resolveModel('o4-mini', { env }).provider).toBe('openai')
    expect(resolveModel('chatgpt-4o-latest', { env }).provider).toBe('openai')
    expect(resolveModel('claude-sonnet-4-5', { env }).provider).toBe('anthropic')
    expect(resolveModel('gemini-2.5-flash', { env }).provider).toBe('gemini')
    expect(resolveModel('gpt-4o', { env }).model).toBe('gpt-4o')
  })

  it('sends bare and unknown-prefixed names to a custom endpoint when baseUrl is given', () => {
    const m = resolveModel('meta-llama/Llama-3.3-70B-Instruct', {
      baseUrl: 'http://localhost:8000/v1',
      env: { PENGUIN_API_KEY: 'p', OPENAI_API_KEY: 'o' },
    })
    expect(m).toMatchObject({
      provider: 'custom',
      model: 'meta-llama/Llama-3.3-70B-Instruct',
      api: 'openai-chat',
      baseUrl: 'http://localhost:8000/v1',
      apiKey: 'p',
    })
    expect(resolveModel('qwen', { baseUrl: 'http://h/v1', env: { OPENAI_API_KEY: 'o' } }).apiKey).toBe('o')
    // Keyless is fine for a custom endpoint.
    expect(resolveModel('qwen', { baseUrl: 'http://h/v1', env: {} }).apiKey).toBeUndefined()
    expect(resolveModel('custom/qwen', { baseUrl: 'http://h/v1', env: {} }).model).toBe('qwen')
  })

  it('needs no key for local servers and respects OLLAMA_HOST', () => {
    expect(resolveModel('ollama/llama3.2', { env: {} })).toMatchObject({
      baseUrl: 'http://localhost:11434/v1',
      model: 'llama3.2',
    })
    expect(resolveModel('ollama/llama3.2', { env: { OLLAMA_HOST: '10.0.0.5' } }).baseUrl).toBe(
      'http://10.0.0.5:11434/v1',
    )
    expect(resolveModel('ollama/x', { env: { OLLAMA_HOST: 'http://box:9999' } }).baseUrl).toBe(
      'http://box:9999/v1',
    )
    expect(resolveModel('lmstudio/qwen2.5-coder', { env: {} }).baseUrl).toBe('http://localhost:1234/v1')
    expect(resolveModel('lmstudio/qwen2.5-coder', { env: {} }).apiKey).toBeUndefined()
  })

  it('rejects unknown providers with the list of known ones and the --base-url hint', () => {
    const error = configError(() => resolveModel('foo/bar', { env: {} }))
    expect(error.code).toBe('unknown_provider')
    expect(error.message).toBe(
      'Unknown provider "foo" in "foo/bar". Known providers: openai, anthropic, gemini, openrouter, groq, deepseek, mistral, xai, together, ollama, lmstudio. Use --base-url URL for any other OpenAI-compatible endpoint.',
    )
    expect(configError(() => resolveModel('llama3', { env: {} })).code).toBe('unknown_provider')
  })

  it('rejects empty and incomplete ids and bad base URLs', () => {
    expect(configError(() => resolveModel('  ', { env: {} })).code).toBe('invalid_model')
    expect(configError(() => resolveModel('openai/', { env: { OPENAI_API_KEY: 'k' } })).code).toBe(
      'invalid_model',
    )
    expect(configError(() => resolveModel('custom/x', { env: {} })).message).toContain('--base-url')
    expect(configError(() => resolveModel('x', { baseUrl: 'not a url', env: {} })).code).toBe('invalid_model')
  })

  it('reads process.env by default', () => {
    const before = process.env.DEEPSEEK_API_KEY
    process.env.DEEPSEEK_API_KEY = 'from-process'
    try {
      expect(resolveModel('deepseek/deepseek-chat').apiKey).toBe('from-process')
    } finally {
      if (before === undefined) delete process.env.DEEPSEEK_API_KEY
      else process.env.DEEPSEEK_API_KEY = before
    }
  })
})
