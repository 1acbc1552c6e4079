import { describe, expect, it, vi } from 'vitest'
import { ConfigError, prepareAgent } from '../src/index.js'
import { home } from './helpers.js'

// A machine where bubblewrap is missing: the one thing these tests change.
vi.mock('@penguin-ai/sandbox', async (original) => ({
  ...(await original<typeof import('@penguin-ai/sandbox')>()),
  checkSandbox: async () => ({
    available: false,
    platform: 'linux',
    cause: 'bubblewrap (bwrap) is not installed',
    fix: 'install bubblewrap (Debian/Ubuntu: apt-get install bubblewrap)',
  }),
}))

describe('where the sandbox cannot start', () => {
  it('is refused, never silently off: the cause and both ways forward', async () => {
    const h = home()
    h.writeUser({ model: 'openai/gpt-4o' })
    const failure = await prepareAgent({
      workspace: h.workspace,
      env: { ...h.env, OPENAI_API_KEY: 'sk' },
    }).catch((error: unknown) => error)
    expect(failure).toBeInstanceOf(ConfigError)
    expect((failure as ConfigError).kind).toBe('sandbox')
    expect((failure as ConfigError).message).toMatch(/bubblewrap \(bwrap\) is not installed/)
    expect((failure as ConfigError).message).toMatch(/apt-get install bubblewrap/)
    expect((failure as ConfigError).message).toMatch(/--sandbox off/)
  })

  it('--sandbox off (or the config) runs without it', async () => {
    const h = home()
    h.writeUser({ model: 'openai/gpt-4o', sandbox: { mode: 'off' } })
    const setup = await prepareAgent({ workspace: h.workspace, env: { ...h.env, OPENAI_API_KEY: 'sk' } })
    expect(setup.sandbox.mode).toBe('off')
  })
})
