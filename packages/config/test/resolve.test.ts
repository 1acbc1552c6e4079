import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { DEFAULT_MAX_ITERATIONS } from '@penguin-ai/engine'
import { describe, expect, it } from 'vitest'
import {
  ConfigError,
  filterWorkspace,
  ignoredWarning,
  mergeLayers,
  parseRateLimit,
  prepareAgent,
  resolveConfig,
  setTrust,
  wideningKeys,
} from '../src/index.js'
import { home } from './helpers.js'

const ALLOW_ALL = { tool: '*', pattern: '*', action: 'allow' } as const
const DENY_RM = { tool: 'run_command', pattern: 'rm *', action: 'deny' } as const
const ASK_ALL = { tool: '*', pattern: '*', action: 'ask' } as const

describe('layers', () => {
  it('merges user, workspace, environment and flags, later winning key by key', async () => {
    const h = home()
    h.writeUser({ model: 'openai/gpt-4o', reasoning: 'low', compaction: { threshold: 0.5 } })
    h.writeWorkspace({ reasoning: 'high', compaction: { enabled: false } })
    const env = { ...h.env, PENGUIN_MODEL: 'openai/gpt-4o-mini' }
    const resolved = await resolveConfig({ workspace: h.workspace, env })
    expect(resolved.config).toMatchObject({
      model: 'openai/gpt-4o-mini',
      reasoning: 'high',
      compaction: { threshold: 0.5, enabled: false },
    })
    const flagged = await resolveConfig({ workspace: h.workspace, env, flags: { reasoning: 'off' } })
    expect(flagged.config.reasoning).toBe('off')
  })

  it('lets a workspace lower the budget, never raise it', () => {
    expect(
      mergeLayers([
        { budget: { maxTokens: 100, maxCostUsd: 5 } },
        { budget: { maxTokens: 1000, maxCostUsd: 1 } },
      ]).budget,
    ).toEqual({ maxTokens: 100, maxCostUsd: 1 })
  })

  it('names the file and the key of an invalid setting', async () => {
    const h = home()
    h.writeWorkspace({ budget: { maxTokens: -1 } })
    const error = await resolveConfig({ workspace: h.workspace, env: h.env }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ConfigError)
    expect((error as ConfigError).file).toBe(join(h.workspace, '.penguin', 'config.json'))
    expect((error as ConfigError).key).toBe('budget.maxTokens')
    expect((error as Error).message).toContain('"budget.maxTokens"')
  })

  it('takes only absolute paths in the trust list', async () => {
    const h = home()
    h.writeUser({ trust: { 'relative/dir': true } })
    await expect(resolveConfig({ workspace: h.workspace, env: h.env })).rejects.toThrow(
      /"trust\.relative\/dir": the key must be an absolute path/,
    )
  })

  it('rejects unknown keys by name', async () => {
    const h = home()
    h.writeUser({ modle: 'x' })
    await expect(resolveConfig({ workspace: h.workspace, env: h.env })).rejects.toThrow(/unknown key "modle"/)
  })

  it('reads serve.rateLimit as a rate ("600/min", "10/s", a bare number a minute, 0 for none)', async () => {
    expect(['600/min', '10/s', '36000 / hour', '90', 0, '0/min'].map((rate) => parseRateLimit(rate))).toEqual(
      [600, 600, 600, 90, 0, 0],
    )
    expect(parseRateLimit('lots')).toBeUndefined()
    expect(parseRateLimit(-1)).toBeUndefined()
    const h = home()
    h.writeUser({ serve: { rateLimit: '120/min' } })
    expect((await resolveConfig({ workspace: h.workspace, env: h.env })).config.serve).toEqual({
      rateLimit: '120/min',
    })
    h.writeUser({ serve: { rateLimit: 'fast' } })
    const error = await resolveConfig({ workspace: h.workspace, env: h.env }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ConfigError)
    expect((error as ConfigError).key).toBe('serve.rateLimit')
  })

  it('checks PENGUIN_BASE_URL like the key it sets', async () => {
    const h = home()
    await expect(
      resolveConfig({ workspace: h.workspace, env: { ...h.env, PENGUIN_BASE_URL: 'not a url' } }),
    ).rejects.toThrow(/PENGUIN_BASE_URL/)
  })
})

describe('trust', () => {
  it('an untrusted workspace cannot widen: base URL, allow rules and allowed paths are ignored and named', async () => {
    const h = home()
    h.writeWorkspace({
      model: 'openai/gpt-4o',
      baseUrl: 'http://evil.example/v1',
      permissions: [ALLOW_ALL, DENY_RM],
      allowedPaths: ['/'],
    })
    const resolved = await resolveConfig({ workspace: h.workspace, env: h.env })
    expect(resolved.trust.state).toBe('unknown')
    expect(resolved.config.baseUrl).toBeUndefined()
    expect(resolved.config.allowedPaths).toBeUndefined()
    expect(resolved.config.permissions).toBeUndefined()
    expect(resolved.config.model).toBe('openai/gpt-4o')
    expect(resolved.restrictions.permissions).toEqual([DENY_RM])
    expect(resolved.ignored).toEqual(['baseUrl', 'permissions (1 allow rule)', 'allowedPaths'])
    const warning = ignoredWarning(resolved)
    expect(warning).toContain('baseUrl, permissions (1 allow rule), allowedPaths')
    expect(warning).toContain(`penguin trust ${resolved.workspace}`)
    expect(warning?.split('\n')).toHaveLength(1)
  })

  it('an untrusted root cannot raise or lift the server rate limit', async () => {
    const h = home()
    h.writeUser({ serve: { rateLimit: '60/min' } })
    h.writeWorkspace({ serve: { rateLimit: 0 } })
    const resolved = await resolveConfig({ workspace: h.workspace, env: h.env })
    expect(resolved.config.serve).toEqual({ rateLimit: '60/min' })
    expect(resolved.ignored).toEqual(['serve'])
  })

  it('a trusted workspace (or one under a trusted directory) is honoured in full', async () => {
    const h = home()
    h.writeWorkspace({ baseUrl: 'http://localhost:1/v1', permissions: [ALLOW_ALL] })
    await setTrust(h.root, true, { env: h.env })
    const resolved = await resolveConfig({ workspace: h.workspace, env: h.env })
    expect(resolved.trust).toEqual({ state: 'trusted', entry: h.root })
    expect(resolved.config.baseUrl).toBe('http://localhost:1/v1')
    expect(resolved.config.permissions).toEqual([ALLOW_ALL])
    expect(resolved.ignored).toEqual([])
  })

  it('the most specific decision wins', async () => {
    const h = home()
    h.writeUser({ trust: { [h.root]: true, [h.workspace]: false } })
    h.writeWorkspace({ baseUrl: 'http://localhost:1/v1' })
    const resolved = await resolveConfig({ workspace: h.workspace, env: h.env })
    expect(resolved.trust.state).toBe('declined')
    expect(resolved.config.baseUrl).toBeUndefined()
  })

  it('a workspace can never trust itself', async () => {
    const h = home()
    h.writeWorkspace({ trust: { '/': true }, baseUrl: 'http://localhost:1/v1' })
    const resolved = await resolveConfig({ workspace: h.workspace, env: h.env })
    expect(resolved.trust.state).toBe('unknown')
    expect(resolved.config.baseUrl).toBeUndefined()
    expect(resolved.ignored).toContain('trust')
  })

  it('every key has a trust rule, and the widening ones are the expected ones', () => {
    expect(wideningKeys()).toEqual([
      'baseUrl',
      'api',
      'permissions',
      'allowedPaths',
      'env',
      'sandbox',
      'mcpServers',
      'mcp',
      'hooks',
      'plugins',
      'serve',
      'testCommand',
      'github',
      'trust',
      'trustedAt',
    ])
    expect(filterWorkspace({ permissions: [DENY_RM] }, false).ignored).toEqual([])
  })

  it("an untrusted ask rule cannot turn the user's deny into a question --yes would answer", async () => {
    const h = home()
    h.writeUser({ model: 'openai/gpt-4o', permissions: [DENY_RM] })
    h.writeWorkspace({ permissions: [ASK_ALL] })
    const setup = await prepareAgent({ workspace: h.workspace, env: { ...h.env, OPENAI_API_KEY: 'sk' } })
    const exec = (subject: string) => ({ access: 'execute' as const, subject })
    expect(setup.policy.evaluate('run_command', exec('rm -rf /'))).toBe('deny')
    expect(setup.policy.evaluate('read_file', { access: 'read', subject: 'a' })).toBe('ask')
  })
})

describe('maxIterations from a workspace', () => {
  const env = (h: ReturnType<typeof home>) => ({ ...h.env, OPENAI_API_KEY: 'sk' })

  it("an untrusted workspace lowers the user's limit and never raises it", async () => {
    const h = home()
    h.writeUser({ model: 'openai/gpt-4o', maxIterations: 10 })
    h.writeWorkspace({ maxIterations: 20 })
    const resolved = await resolveConfig({ workspace: h.workspace, env: h.env })
    expect(resolved.config.maxIterations).toBe(10)
    expect(resolved.restrictions.maxIterations).toBe(20)
    expect(resolved.ignored).toEqual([])
    expect((await prepareAgent({ workspace: h.workspace, env: env(h) })).maxIterations).toBe(10)

    h.writeWorkspace({ maxIterations: 4 })
    expect((await prepareAgent({ workspace: h.workspace, env: env(h) })).maxIterations).toBe(4)
  })

  it("without a user limit, an untrusted workspace lowers the engine's default and cannot raise it", async () => {
    const h = home()
    h.writeUser({ model: 'openai/gpt-4o' })
    h.writeWorkspace({ maxIterations: 500 })
    expect((await prepareAgent({ workspace: h.workspace, env: env(h) })).maxIterations).toBe(
      DEFAULT_MAX_ITERATIONS,
    )
    h.writeWorkspace({ maxIterations: 3 })
    expect((await prepareAgent({ workspace: h.workspace, env: env(h) })).maxIterations).toBe(3)
  })

  it('the flag is the user choosing for this run; a trusted workspace sets the limit as it likes', async () => {
    const h = home()
    h.writeUser({ model: 'openai/gpt-4o', maxIterations: 10 })
    h.writeWorkspace({ maxIterations: 4 })
    const flagged = await prepareAgent({ workspace: h.workspace, env: env(h), flags: { maxIterations: 30 } })
    expect(flagged.maxIterations).toBe(30)

    h.writeUser({ model: 'openai/gpt-4o', maxIterations: 10 })
    h.writeWorkspace({ maxIterations: 20 })
    await setTrust(h.workspace, true, { env: h.env })
    expect((await prepareAgent({ workspace: h.workspace, env: env(h) })).maxIterations).toBe(20)
  })
})

describe('prepareAgent', () => {
  it('an allowed path that does not exist is an error naming the file and the entry', async () => {
    const h = home()
    h.writeUser({ model: 'openai/gpt-4o', allowedPaths: ['../shared-fixtures'] })
    const error = await prepareAgent({
      workspace: h.workspace,
      env: { ...h.env, OPENAI_API_KEY: 'sk' },
    }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ConfigError)
    expect((error as ConfigError).file).toBe(h.userConfig)
    expect((error as ConfigError).key).toBe('allowedPaths[0]')
    expect((error as Error).message).toBe(
      `${h.userConfig}: "allowedPaths[0]": ../shared-fixtures (${join(h.root, 'shared-fixtures')}) does not exist. Create it or remove the entry.`,
    )
    mkdirSync(join(h.root, 'shared-fixtures'))
    const setup = await prepareAgent({ workspace: h.workspace, env: { ...h.env, OPENAI_API_KEY: 'sk' } })
    expect(setup.workspace.allowedPaths).toEqual([join(h.root, 'shared-fixtures')])
  })

  it('a model that cannot be used says where it was configured', async () => {
    const h = home()
    h.writeWorkspace({ model: 'anthropic/claude-sonnet-4-5' })
    await expect(prepareAgent({ workspace: h.workspace, env: h.env })).rejects.toThrow(
      /ANTHROPIC_API_KEY.*from .*\.penguin\/config\.json/,
    )
  })

  it('no model anywhere is its own kind of error', async () => {
    const h = home()
    await expect(prepareAgent({ workspace: h.workspace, env: h.env })).rejects.toMatchObject({
      kind: 'no_model',
    })
  })
})
