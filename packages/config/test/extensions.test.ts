import { mkdirSync, realpathSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { hasExtensions, ignoredWarning, isConfigError, prepareAgent, setTrust } from '../src/index.js'
import { home } from './helpers.js'

const write = (path: string, text: string) => {
  mkdirSync(dirname(path), { recursive: true })
  writeFileSync(path, text)
}

async function setupFor(h: ReturnType<typeof home>) {
  return prepareAgent({ workspace: h.workspace, env: { ...h.env, OPENAI_API_KEY: 'sk' } })
}

describe('extension settings', () => {
  it('are empty without configuration, so nothing needs loading', async () => {
    const h = home()
    h.writeUser({ model: 'openai/gpt-4o' })
    const setup = await setupFor(h)
    expect(hasExtensions(setup.extensions)).toBe(false)
    expect(setup.extensions.ignored).toEqual([])
  })

  it('gather MCP servers from the user config, .mcp.json, opencode.json and the workspace config', async () => {
    const h = home()
    const ws = realpathSync(h.workspace)
    h.writeUser({
      model: 'openai/gpt-4o',
      mcpServers: {
        everything: { command: 'npx', args: ['-y', '@modelcontextprotocol/server-everything'] },
        shared: { url: 'https://user.example/mcp' },
      },
    })
    write(
      join(ws, '.mcp.json'),
      JSON.stringify({
        mcpServers: {
          shared: {
            type: 'http',
            url: 'https://project.example/mcp',
            headers: { Authorization: 'Bearer ${TOKEN}' },
          },
          github: { command: 'gh-mcp', env: { GH: '${GH_TOKEN:-none}' }, autoApprove: ['x'] },
        },
      }),
    )
    write(
      join(ws, 'opencode.jsonc'),
      `{
        // opencode's own settings are left alone
        "theme": "dark",
        "mcp": {
          "local-one": { "type": "local", "command": ["bun", "x", "thing"], "environment": { "KEY": "{env:MY_KEY}" }, "timeout": 9000, },
          "remote-one": { "type": "remote", "url": "https://remote.example/mcp", "enabled": false }
        },
      }`,
    )
    h.writeWorkspace({
      mcpServers: { github: { command: 'gh-mcp-2', include: ['search_*'], timeout_ms: 5000 } },
    })
    await setTrust(h.workspace, true, { env: h.env })

    const { extensions } = await setupFor(h)
    const byName = Object.fromEntries(extensions.mcpServers.map((entry) => [entry.name, entry]))
    expect(Object.keys(byName).sort()).toEqual(['everything', 'github', 'local-one', 'remote-one', 'shared'])
    expect(byName.everything).toMatchObject({ origin: 'user', source: h.userConfig })
    expect(byName.shared).toMatchObject({
      origin: 'workspace',
      source: join(ws, '.mcp.json'),
      config: {
        type: 'http',
        url: 'https://project.example/mcp',
        headers: { Authorization: 'Bearer ${TOKEN}' },
      },
    })
    // The workspace's own Penguin config wins over .mcp.json.
    expect(byName.github?.config).toEqual({ command: 'gh-mcp-2', include: ['search_*'], timeout_ms: 5000 })
    expect(byName['local-one']?.config).toEqual({
      command: 'bun',
      args: ['x', 'thing'],
      env: { KEY: '${MY_KEY}' },
      timeout_ms: 9000,
    })
    expect(byName['remote-one']?.config).toEqual({ url: 'https://remote.example/mcp', enabled: false })
  })

  it("take an empty directory at .mcp.json or opencode.json(c) (the sandbox's mount point while a command runs) as no file", async () => {
    const h = home()
    const ws = realpathSync(h.workspace)
    h.writeUser({ model: 'openai/gpt-4o' })
    await setTrust(ws, true, { env: h.env })
    for (const name of ['.mcp.json', 'opencode.json', 'opencode.jsonc']) mkdirSync(join(ws, name))
    const setup = await setupFor(h)
    expect(hasExtensions(setup.extensions)).toBe(false)
    expect(setup.extensions.ignored).toEqual([])
  })

  it('leave out the workspace files of an untrusted workspace, and say so in the one line with the keys', async () => {
    const h = home()
    const ws = realpathSync(h.workspace)
    h.writeUser({ model: 'openai/gpt-4o' })
    write(join(ws, '.mcp.json'), JSON.stringify({ mcpServers: { evil: { command: 'curl' } } }))
    write(join(ws, '.penguin', 'tools', 'tool.js'), 'export default {}')
    write(join(ws, '.penguin', 'plugins', 'plugin.ts'), 'export default {}')
    h.writeWorkspace({
      mcpServers: { evil2: { command: 'sh' } },
      hooks: { PreToolUse: [{ hooks: [{ type: 'command', command: 'x' }] }] },
      plugins: ['some-plugin'],
    })
    const setup = await setupFor(h)
    expect(hasExtensions(setup.extensions)).toBe(false)
    expect(setup.resolved.ignored).toEqual(expect.arrayContaining(['mcpServers', 'hooks', 'plugins']))
    expect(setup.extensions.ignored).toEqual(['.mcp.json', '.penguin/plugins/', '.penguin/tools/'])
    expect(ignoredWarning(setup.resolved, setup.extensions.ignored)).toBe(
      `ignoring mcpServers, hooks, plugins in ${join(ws, '.penguin', 'config.json')} and .mcp.json, .penguin/plugins/, .penguin/tools/ in ${ws}: this workspace is not trusted (trust it with: penguin trust ${ws}).`,
    )

    await setTrust(h.workspace, true, { env: h.env })
    const trusted = await setupFor(h)
    expect(trusted.extensions.mcpServers.map((entry) => entry.name)).toEqual(['evil', 'evil2'])
    expect(trusted.extensions.toolFiles).toEqual([
      { path: join(ws, '.penguin', 'tools', 'tool.js'), origin: 'workspace' },
    ])
    expect(trusted.extensions.plugins.map((plugin) => plugin.spec)).toEqual([
      'some-plugin',
      join(ws, '.penguin', 'plugins', 'plugin.ts'),
    ])
    expect(trusted.extensions.hooks).toEqual([
      expect.objectContaining({ event: 'PreToolUse', type: 'command', command: 'x', origin: 'workspace' }),
    ])
  })

  it('take hooks in Claude Code shape, user ones first, unknown events and types kept', async () => {
    const h = home()
    h.writeUser({
      model: 'openai/gpt-4o',
      hooks: {
        PreToolUse: [
          { matcher: 'Bash|run_command', hooks: [{ type: 'command', command: './guard.sh', timeout: 5 }] },
        ],
        Notification: [{ hooks: [{ type: 'command', command: 'notify-send hi' }] }],
        Stop: [{ hooks: [{ type: 'prompt', prompt: 'Are you done?' }] }],
      },
    })
    const { extensions } = await setupFor(h)
    expect(extensions.hooks).toEqual([
      {
        event: 'PreToolUse',
        matcher: 'Bash|run_command',
        type: 'command',
        command: './guard.sh',
        timeout: 5,
        source: h.userConfig,
        origin: 'user',
      },
      expect.objectContaining({ event: 'Notification', command: 'notify-send hi' }),
      expect.objectContaining({ event: 'Stop', type: 'prompt' }),
    ])
  })

  it('refuse a server with both command and url, and a broken .mcp.json, naming the file', async () => {
    const h = home()
    h.writeUser({ model: 'openai/gpt-4o', mcpServers: { bad: { command: 'x', url: 'http://y' } } })
    await expect(setupFor(h)).rejects.toThrow(/mcpServers.bad.*either "command".*or "url"/)

    const h2 = home()
    h2.writeUser({ model: 'openai/gpt-4o' })
    write(join(h2.workspace, '.mcp.json'), '{ not json')
    await setTrust(h2.workspace, true, { env: h2.env })
    const error = await setupFor(h2).catch((e: unknown) => e)
    expect(isConfigError(error)).toBe(true)
    expect((error as Error).message).toMatch(/Invalid .*\.mcp\.json: not valid JSON/)
  })
})
