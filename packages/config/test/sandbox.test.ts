import { describe, expect, it } from 'vitest'
import { ConfigError, engineOptions, prepareAgent, setTrust } from '../src/index.js'
import { home } from './helpers.js'

const KEY = { OPENAI_API_KEY: 'sk' }

async function setupOf(
  h: ReturnType<typeof home>,
  options: { flags?: object; env?: NodeJS.ProcessEnv } = {},
) {
  return prepareAgent({
    workspace: h.workspace,
    env: { ...h.env, ...KEY, ...options.env },
    ...(options.flags ? { flags: options.flags } : {}),
  })
}

describe('sandbox settings', () => {
  it('default: workspace-write without network on Linux, handed to the engine', async () => {
    const h = home()
    h.writeUser({ model: 'openai/gpt-4o' })
    const setup = await setupOf(h)
    expect(setup.sandbox).toMatchObject({ mode: 'workspace-write', network: false, modeFrom: 'default' })
    expect(setup.sandbox.instance?.describe()).toBe('workspace-write, network off')
    expect(setup.sandbox.instance?.roots).toEqual([setup.workspace.root])
    expect(engineOptions(setup).sandbox).toBe(setup.sandbox.instance)
  })

  it('the user config sets mode, network, deny_read and excluded_commands', async () => {
    const h = home()
    h.writeUser({
      model: 'openai/gpt-4o',
      sandbox: {
        mode: 'read-only',
        network: ['registry.npmjs.org', '*.GitHub.com'],
        deny_read: ['~/.kube'],
        excluded_commands: ['git push*'],
      },
    })
    const setup = await setupOf(h)
    expect(setup.sandbox).toMatchObject({
      mode: 'read-only',
      network: ['registry.npmjs.org', '*.github.com'],
      denyRead: ['~/.kube'],
      excludedCommands: ['git push*'],
      modeFrom: 'config',
    })
    expect(engineOptions(setup).excludedCommands).toEqual(['git push*'])
  })

  it('flags and PENGUIN_SANDBOX win; off means no sandbox', async () => {
    const h = home()
    h.writeUser({ model: 'openai/gpt-4o', sandbox: { mode: 'read-only' } })
    const flagged = await setupOf(h, { flags: { sandbox: { mode: 'off' } } })
    expect(flagged.sandbox).toMatchObject({ mode: 'off', modeFrom: 'flags' })
    expect(flagged.sandbox.instance).toBeUndefined()
    expect(engineOptions(flagged).sandbox).toBeUndefined()
    const environment = await setupOf(h, { env: { PENGUIN_SANDBOX: 'workspace-write' } })
    expect(environment.sandbox).toMatchObject({ mode: 'workspace-write', modeFrom: 'environment' })
    const network = await setupOf(h, { flags: { sandbox: { network: true } } })
    expect(network.sandbox).toMatchObject({ mode: 'read-only', network: true })
  })

  it('an untrusted workspace can tighten the sandbox, never loosen it', async () => {
    const h = home()
    h.writeUser({ model: 'openai/gpt-4o' })
    h.writeWorkspace({
      sandbox: { mode: 'off', network: true, excluded_commands: ['*'], deny_read: ['.env'] },
    })
    const loosening = await setupOf(h)
    expect(loosening.sandbox).toMatchObject({
      mode: 'workspace-write',
      network: false,
      excludedCommands: [],
      denyRead: ['.env'],
    })
    expect(loosening.resolved.ignored.join(' ')).toMatch(
      /sandbox\.mode "off".*sandbox\.network.*sandbox\.excluded_commands/,
    )

    h.writeWorkspace({ sandbox: { mode: 'read-only', network: false } })
    h.writeUser({ model: 'openai/gpt-4o', sandbox: { network: true } })
    const tightening = await setupOf(h)
    expect(tightening.sandbox).toMatchObject({ mode: 'read-only', network: false })
    // The user's own flags still decide for their run.
    const flagged = await setupOf(h, { flags: { sandbox: { mode: 'workspace-write', network: true } } })
    expect(flagged.sandbox).toMatchObject({ mode: 'workspace-write', network: true })
  })

  it('a trusted workspace may turn it off or open the network', async () => {
    const h = home()
    h.writeUser({ model: 'openai/gpt-4o' })
    h.writeWorkspace({ sandbox: { mode: 'off' } })
    await setTrust(h.workspace, true, { env: h.env })
    expect((await setupOf(h)).sandbox).toMatchObject({ mode: 'off', modeFrom: 'config' })
  })

  it('bad values name the file and key', async () => {
    const h = home()
    h.writeUser({ model: 'openai/gpt-4o', sandbox: { network: ['https://example.com'] } })
    await expect(setupOf(h)).rejects.toSatisfy(
      (error: unknown) =>
        error instanceof ConfigError &&
        /sandbox\.network/.test(error.message) &&
        error.message.includes(h.userConfig),
    )
    h.writeUser({ model: 'openai/gpt-4o', sandbox: { mode: 'sometimes' } })
    await expect(setupOf(h)).rejects.toThrow(/sandbox\.mode/)
    h.writeUser({ model: 'openai/gpt-4o' })
    await expect(setupOf(h, { env: { PENGUIN_SANDBOX: 'sometimes' } })).rejects.toThrow(
      /PENGUIN_SANDBOX=sometimes.*read-only, workspace-write or off/,
    )
  })
})
