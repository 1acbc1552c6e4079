import { describe, expect, it } from 'vitest'
import { engineOptions, prepareAgent, resolveConfig, setTrust } from '../src/index.js'
import { home } from './helpers.js'

const KEYS = { OPENAI_API_KEY: 'sk', ANTHROPIC_API_KEY: 'sk-ant' }

describe('api', () => {
  it('one wire for every model: an Anthropic-compatible endpoint behind --base-url', async () => {
    const h = home()
    h.writeUser({ model: 'kimi-k2', baseUrl: 'http://localhost:9/anthropic', api: 'anthropic' })
    const setup = await prepareAgent({ workspace: h.workspace, env: { ...h.env, ...KEYS } })
    expect(setup.model).toMatchObject({
      provider: 'custom',
      api: 'anthropic-messages',
      baseUrl: 'http://localhost:9/anthropic',
      apiKey: 'sk-ant',
    })
  })

  it('per provider: the entry for the provider the model resolves to', async () => {
    const h = home()
    h.writeUser({ model: 'openai/gpt-5', api: { openai: 'chat', anthropic: 'chat' } })
    const setup = await prepareAgent({ workspace: h.workspace, env: { ...h.env, ...KEYS } })
    expect(setup.model.api).toBe('openai-chat')
    // A provider without an entry keeps its native wire.
    h.writeUser({ model: 'openai/gpt-5', api: { anthropic: 'chat' } })
    const native = await prepareAgent({ workspace: h.workspace, env: { ...h.env, ...KEYS } })
    expect(native.model.api).toBe('openai-responses')
  })

  it('per-provider maps merge key by key; a flag names one wire for all', async () => {
    const h = home()
    h.writeUser({ api: { openai: 'chat', custom: 'anthropic' } })
    h.writeWorkspace({ api: { custom: 'responses' } })
    await setTrust(h.workspace, true, { env: h.env })
    const resolved = await resolveConfig({ workspace: h.workspace, env: h.env })
    expect(resolved.config.api).toEqual({ openai: 'chat', custom: 'responses' })
    const flagged = await resolveConfig({ workspace: h.workspace, env: h.env, flags: { api: 'anthropic' } })
    expect(flagged.config.api).toBe('anthropic')
  })

  it('is ignored from a workspace the user has not trusted (it decides what is sent where)', async () => {
    const h = home()
    h.writeUser({ model: 'anthropic/claude-sonnet-4-5' })
    h.writeWorkspace({ api: 'chat' })
    const setup = await prepareAgent({ workspace: h.workspace, env: { ...h.env, ...KEYS } })
    expect(setup.model.api).toBe('anthropic-messages')
    expect(setup.resolved.ignored).toContain('api')
  })

  it('names an unknown wire and the values it takes', async () => {
    const h = home()
    h.writeUser({ api: 'graphql' })
    await expect(resolveConfig({ workspace: h.workspace, env: h.env })).rejects.toThrow(/"api"/)
  })
})

describe('reasoning', () => {
  it('reaches the engine, from a workspace too (it cannot widen anything)', async () => {
    const h = home()
    h.writeUser({ model: 'anthropic/claude-sonnet-4-5', reasoning: 'high' })
    h.writeWorkspace({ reasoning: 'low' })
    const setup = await prepareAgent({ workspace: h.workspace, env: { ...h.env, ...KEYS } })
    expect(setup.reasoning).toBe('low')
    expect(engineOptions(setup).reasoning).toBe('low')
  })

  it('takes only the five levels', async () => {
    const h = home()
    h.writeUser({ reasoning: 'max' })
    await expect(resolveConfig({ workspace: h.workspace, env: h.env })).rejects.toThrow(/"reasoning"/)
  })
})
