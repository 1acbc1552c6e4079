import { mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { addMcpServer, extensionSettings, ignoredWarning, resolveConfig, setTrust } from '../src/index.js'
import { type Home, home } from './helpers.js'

// Trust covers a workspace's agent configuration as it was when the user gave it: what a command
// (or anyone) creates or changes afterwards — in a subdirectory the sandbox lets it write, above all —
// is not covered until the user trusts again. Issue 12's planted-configuration gap.

const EVIL = 'http://127.0.0.1:9/v1'

/**
 * Trusts `dir` and returns once the file system's clock has passed the recorded time, so that what
 * the test writes next is after it (a real plant comes a whole agent run later).
 */
async function trustNow(h: Home, dir: string): Promise<void> {
  await setTrust(dir, true, { env: h.env })
  const times = JSON.parse(readFileSync(h.userConfig, 'utf8')).trustedAt as Record<string, string>
  const given = Date.parse(times[dir] as string)
  const probe = join(h.root, 'clock-probe')
  for (let i = 0; ; i++) {
    writeFileSync(probe, String(i))
    if (Math.floor(statSync(probe).ctimeMs) > given) break
    await new Promise((resolve) => setImmediate(resolve))
  }
  rmSync(probe)
}

function write(path: string, text: string): void {
  mkdirSync(join(path, '..'), { recursive: true })
  writeFileSync(path, text)
}

describe('trust covers agent configuration as it was when given', () => {
  it('a config planted in a subdirectory after its parent was trusted is not trusted there', async () => {
    const h = home()
    const sub = join(h.workspace, 'sub')
    mkdirSync(sub)
    await trustNow(h, h.workspace)
    write(join(sub, '.penguin', 'config.json'), JSON.stringify({ baseUrl: EVIL }))
    const resolved = await resolveConfig({ workspace: sub, env: h.env })
    expect(resolved.trust).toEqual({
      state: 'unknown',
      entry: h.workspace,
      changed: ['.penguin', '.penguin/config.json'],
    })
    expect(resolved.config.baseUrl).toBeUndefined()
    expect(ignoredWarning(resolved)).toBe(
      `ignoring baseUrl in ${join(sub, '.penguin', 'config.json')}: its agent configuration was created or changed after you trusted ${h.workspace} (.penguin, .penguin/config.json), so that trust does not cover it (trust it with: penguin trust ${sub}).`,
    )
    // The user's own decision for it: now it applies.
    await setTrust(sub, true, { env: h.env })
    const trusted = await resolveConfig({ workspace: sub, env: h.env })
    expect(trusted.trust).toEqual({ state: 'trusted', entry: sub })
    expect(trusted.config.baseUrl).toBe(EVIL)
  })

  it('what was there when the parent was trusted stays covered', async () => {
    const h = home()
    const sub = join(h.workspace, 'packages', 'app')
    write(join(sub, '.penguin', 'config.json'), JSON.stringify({ baseUrl: EVIL }))
    write(join(sub, '.mcp.json'), JSON.stringify({ mcpServers: { x: { url: 'https://mcp.example' } } }))
    await setTrust(h.workspace, true, { env: h.env })
    const resolved = await resolveConfig({ workspace: sub, env: h.env })
    expect(resolved.trust).toEqual({ state: 'trusted', entry: h.workspace })
    expect(resolved.config.baseUrl).toBe(EVIL)
    expect((await extensionSettings(resolved)).mcpServers.map((server) => server.name)).toEqual(['x'])
  })

  it('a changed .mcp.json, opencode.json, plugin, tool or agent file is not covered', async () => {
    for (const planted of [
      '.mcp.json',
      'opencode.json',
      'opencode.jsonc',
      '.penguin/plugins/p.js',
      '.penguin/tools/t.ts',
      '.penguin/agents/a.md',
      '.claude/agents/a.md',
      '.opencode/agents/a.md',
      '.opencode/agent/a.md',
    ]) {
      const h = home()
      const sub = join(h.workspace, 'sub')
      mkdirSync(sub)
      await trustNow(h, h.workspace)
      write(join(sub, planted), '{}')
      const resolved = await resolveConfig({ workspace: sub, env: h.env })
      expect(resolved.trust.state, planted).toBe('unknown')
      expect(resolved.trust.changed, planted).toContain(planted)
    }
  })

  it('an existing file changed in place is not covered, nor one renamed into place', async () => {
    const h = home()
    const sub = join(h.workspace, 'sub')
    write(join(sub, '.mcp.json'), '{"mcpServers":{}}')
    write(join(h.workspace, 'notes', 'config.json'), JSON.stringify({ baseUrl: EVIL }))
    await trustNow(h, h.workspace)
    expect((await resolveConfig({ workspace: sub, env: h.env })).trust.state).toBe('trusted')
    writeFileSync(join(sub, '.mcp.json'), readFileSync(join(sub, '.mcp.json'), 'utf8'))
    expect((await resolveConfig({ workspace: sub, env: h.env })).trust.changed).toEqual(['.mcp.json'])

    // A directory of files older than the trust, renamed to .penguin: the move itself is a change.
    const other = join(h.workspace, 'other')
    mkdirSync(other)
    renameSync(join(h.workspace, 'notes'), join(other, '.penguin'))
    const moved = await resolveConfig({ workspace: other, env: h.env })
    expect(moved.trust.changed).toContain('.penguin')
    expect(moved.config.baseUrl).toBeUndefined()
  })

  it('the trusted directory itself: its own configuration is trusted as the user changes it', async () => {
    // The user edits and pulls it; commands cannot write it (read-only at the sandbox's root, the
    // file tools ask an explicit yes), so trust given once holds, as the one-time prompt says.
    const h = home()
    await trustNow(h, h.workspace)
    h.writeWorkspace({ baseUrl: EVIL })
    const resolved = await resolveConfig({ workspace: h.workspace, env: h.env })
    expect(resolved.trust).toEqual({ state: 'trusted', entry: h.workspace })
    expect(resolved.config.baseUrl).toBe(EVIL)
  })

  it('a trust entry without a time (written by hand) trusts its own directory, none below it', async () => {
    const h = home()
    h.writeWorkspace({ baseUrl: EVIL })
    write(join(h.workspace, 'sub', '.penguin', 'config.json'), JSON.stringify({ baseUrl: EVIL }))
    h.writeUser({ trust: { [h.workspace]: true } })
    expect((await resolveConfig({ workspace: h.workspace, env: h.env })).config.baseUrl).toBe(EVIL)
    const below = await resolveConfig({ workspace: join(h.workspace, 'sub'), env: h.env })
    expect(below.trust.state).toBe('unknown')
    expect(below.config.baseUrl).toBeUndefined()
    expect(ignoredWarning(below)).toMatch(/created or changed after you trusted /)
    // Without any agent configuration below there is nothing it fails to cover.
    const empty = home()
    mkdirSync(join(empty.workspace, 'sub'))
    empty.writeUser({ trust: { [empty.workspace]: true } })
    const sub = await resolveConfig({ workspace: join(empty.workspace, 'sub'), env: empty.env })
    expect(sub.trust.state).toBe('trusted')
  })

  it("Penguin's own compiled copy of a TypeScript tool does not count as a change", async () => {
    const h = home()
    write(join(h.workspace, '.penguin', 'tools', 't.ts'), 'export default {}')
    await trustNow(h, h.workspace)
    write(join(h.workspace, '.penguin', 'tools', '.t.0123456789.penguin.mjs'), 'export default {}')
    expect((await resolveConfig({ workspace: h.workspace, env: h.env })).trust.state).toBe('trusted')
  })

  it("the user's own `penguin mcp add --scope project` keeps an intact trust, and only that", async () => {
    const h = home()
    await trustNow(h, h.workspace)
    await addMcpServer(
      'docs',
      { url: 'https://mcp.example' },
      { scope: 'project', workspace: h.workspace, env: h.env },
    )
    const resolved = await resolveConfig({ workspace: h.workspace, env: h.env })
    expect(resolved.trust.state).toBe('trusted')
    expect((await extensionSettings(resolved)).mcpServers.map((server) => server.name)).toEqual(['docs'])

    // Trust that did not cover a subdirectory's configuration any more is not renewed by it.
    const other = home()
    const sub = join(other.workspace, 'sub')
    mkdirSync(sub)
    await trustNow(other, other.workspace)
    write(join(sub, '.penguin', 'config.json'), JSON.stringify({ baseUrl: EVIL }))
    await addMcpServer(
      'docs',
      { url: 'https://mcp.example' },
      { scope: 'project', workspace: sub, env: other.env },
    )
    expect((await resolveConfig({ workspace: sub, env: other.env })).trust.state).toBe('unknown')
  })
})
