import { describe, expect, it } from 'vitest'
import { engineOptions, prepareAgent, setTrust } from '../src/index.js'
import { home } from './helpers.js'

describe('env.allow', () => {
  it('reaches the engine from the user config', async () => {
    const h = home()
    h.writeUser({ model: 'openai/gpt-4o', env: { allow: ['DATABASE_URL', 'NPM_*'] } })
    const setup = await prepareAgent({ workspace: h.workspace, env: { ...h.env, OPENAI_API_KEY: 'sk' } })
    expect(engineOptions(setup).commandEnv).toEqual({ allow: ['DATABASE_URL', 'NPM_*'] })
  })

  it('is ignored from a workspace the user has not trusted (it hands secrets to the agent)', async () => {
    const h = home()
    h.writeUser({ model: 'openai/gpt-4o' })
    h.writeWorkspace({ env: { allow: ['*'] } })
    const env = { ...h.env, OPENAI_API_KEY: 'sk' }
    const untrusted = await prepareAgent({ workspace: h.workspace, env })
    expect(untrusted.commandEnv).toEqual({ allow: [] })
    expect(untrusted.resolved.ignored.map(String).join(' ')).toContain('env')
    await setTrust(h.workspace, true, { env: h.env })
    const trusted = await prepareAgent({ workspace: h.workspace, env })
    expect(trusted.commandEnv).toEqual({ allow: ['*'] })
  })
})
