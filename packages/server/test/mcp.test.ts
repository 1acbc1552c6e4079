/**
 * Issue 14: server sessions get the MCP servers of their config (a real server-everything over
 * stdio), and `GET /sessions/{id}/mcp` shows each session's servers and tools.
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { createSession, postMessage, sessionEvents, startTestServer, tempDir } from './helpers.js'

const EVERYTHING = fileURLToPath(
  new URL('../node_modules/@modelcontextprotocol/server-everything/dist/index.js', import.meta.url),
)

function userConfig(config: Record<string, unknown>): string {
  const xdg = tempDir('penguin-xdg-')
  mkdirSync(join(xdg, 'penguin'), { recursive: true })
  writeFileSync(join(xdg, 'penguin', 'config.json'), JSON.stringify(config))
  return xdg
}

describe('MCP in server sessions', () => {
  it('a run calls mcp__everything__echo; GET /sessions/{id}/mcp lists the server and its tools', async () => {
    const xdg = userConfig({
      mcpServers: { everything: { command: process.execPath, args: [EVERYTHING, 'stdio'] } },
      permissions: [{ tool: 'mcp__everything__*', action: 'allow' }],
    })
    const t = await startTestServer({
      script: [
        { toolCalls: [{ name: 'mcp__everything__echo', arguments: { message: 'from the server' } }] },
        { text: 'echoed' },
      ],
      env: { OPENAI_API_KEY: 'sk-test', XDG_CONFIG_HOME: xdg },
    })
    const session = await createSession(t)

    const before = await t.api(`/api/v1/sessions/${session.id}/mcp`)
    expect(before.status).toBe(200)
    const probed = (await before.json()) as {
      servers: { name: string; state: string; tools: { name: string }[] }[]
      live: boolean
    }
    expect(probed.live).toBe(false)
    expect(probed.servers[0]).toMatchObject({ name: 'everything', state: 'connected', transport: 'stdio' })
    expect(probed.servers[0]?.tools.map((tool) => tool.name)).toContain('mcp__everything__echo')

    const sse = await sessionEvents(t, session.id)
    const posted = await postMessage(t, session.id, { content: 'echo' })
    expect(posted.status).toBe(202)
    const events = await sse.collect((event) => event.event === 'run.finished')
    sse.close()
    const finished = events.find((event) => event.event === 'tool.finished')
    expect(finished?.data).toMatchObject({
      tool: 'mcp__everything__echo',
      output: 'Echo: from the server',
      details: { kind: 'mcp', server: 'everything', tool: 'echo' },
    })
    const after = (await (await t.api(`/api/v1/sessions/${session.id}/mcp`)).json()) as {
      servers: { state: string }[]
    }
    // As the run left them (it stopped them when it ended).
    expect(after.servers[0]?.state).toBe('connected')
  })

  it('a session without MCP servers has none', async () => {
    const t = await startTestServer({ env: { OPENAI_API_KEY: 'sk-test', XDG_CONFIG_HOME: userConfig({}) } })
    const session = await createSession(t)
    const response = await t.api(`/api/v1/sessions/${session.id}/mcp`)
    expect(await response.json()).toEqual({ servers: [], live: false })
    expect((await t.api('/api/v1/sessions/nope/mcp')).status).toBe(404)
  })
})
