/**
 * A trusted workspace's stdio MCP servers (its `.mcp.json`) run in the sandbox with the network on
 * and a writable npm cache of their own — what `npx -y some-server` needs — while secrets stay hidden
 * and the agent's own commands keep the network off.
 */
import { existsSync } from 'node:fs'
import { mkdir, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises'
import { createServer, type Server } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { describe, expect, test } from 'vitest'
import { makeRepo, runPenguin } from './cli-helpers.js'
import { afterTest, mock } from './mcp-helpers.js'
import { EVERYTHING } from './mcp-servers.js'

/** An HTTP server on 127.0.0.1: reachable only through the network (not from an empty namespace). */
async function localSite(body: string): Promise<string> {
  const server: Server = createServer((_request, response) => response.end(body))
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  afterTest(() => new Promise<void>((resolve) => server.close(() => resolve())))
  const address = server.address()
  if (!address || typeof address === 'string') throw new Error('no address')
  return `http://127.0.0.1:${address.port}/`
}

/**
 * What `npx -y server` does before it serves: download (here: fetch the local site), write npm's
 * cache (`npm_config_cache`), and read ~/.npmrc (which the sandbox hides). It records what it saw in
 * the cache, then serves the `everything` server over stdio. Any failure ends it before the handshake.
 */
const LAUNCHER = `
import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
const downloaded = await (await fetch(process.env.SITE_URL)).text()
const npmrc = await readFile(join(process.env.HOME, '.npmrc'), 'utf8').catch((error) => error.code)
await writeFile(join(process.env.npm_config_cache, 'seen.json'), JSON.stringify({ downloaded, npmrc }))
await import(${JSON.stringify(pathToFileURL(EVERYTHING).href)})
`

describe("a trusted workspace's stdio MCP servers", () => {
  test('run in the sandbox with the network on and a writable npm cache; secrets stay hidden', async () => {
    const site = await localSite('package bytes')
    const home = await mkdtemp(join(tmpdir(), 'penguin-home-'))
    await writeFile(join(home, '.npmrc'), '//registry.npmjs.org/:_authToken=npm_SECRET\n')
    const xdg = await mkdtemp(join(tmpdir(), 'penguin-xdg-'))
    await mkdir(join(xdg, 'config', 'penguin'), { recursive: true })
    await writeFile(join(xdg, 'config', 'penguin', 'config.json'), '{}')
    // The sandbox hides the host's /tmp: this clone's node_modules (the server's files) must be in
    // view wherever the clone lives.
    const clone = fileURLToPath(new URL('../../../', import.meta.url))
    const repo = await makeRepo({
      'launcher.mjs': LAUNCHER,
      '.mcp.json': JSON.stringify({
        mcpServers: { ws: { command: process.execPath, args: ['launcher.mjs'], env: { SITE_URL: site } } },
      }),
      '.penguin/config.json': JSON.stringify({ allowedPaths: [clone] }),
    })
    const env = {
      HOME: home,
      XDG_CONFIG_HOME: join(xdg, 'config'),
      XDG_CACHE_HOME: join(xdg, 'cache'),
      OPENAI_API_KEY: 'sk-test',
    }
    expect((await runPenguin(['trust', repo], { env })).code).toBe(0)

    const server = await mock([
      { toolCalls: [{ name: 'mcp__ws__echo', arguments: { message: 'from the workspace server' } }] },
      // The agent's own commands keep the sandbox's default: no network.
      {
        toolCalls: [
          {
            name: 'run_command',
            arguments: {
              command: `${process.execPath} -e 'fetch(process.argv[1]).then(() => console.log("REACHED"))' ${site}`,
            },
          },
        ],
      },
      { text: 'done' },
    ])
    const result = await runPenguin(
      ['run', '--model', 'openai/gpt-4o', '--base-url', server.url, '--cwd', repo, '--yes', 'echo it'],
      { env, timeoutMs: 180_000 },
    )
    expect(result.stderr).not.toMatch(/ws.*fail/i)
    expect(result.code, result.stderr).toBe(0)
    const toolMessages = (index: number) =>
      (server.requests[index]?.body?.messages ?? [])
        .filter((message) => message.role === 'tool')
        .map((message) =>
          typeof message.content === 'string' ? message.content : JSON.stringify(message.content),
        )
    expect(toolMessages(1)).toEqual(['Echo: from the workspace server'])
    expect(toolMessages(2)[1]).not.toContain('REACHED')
    expect(toolMessages(2)[1]).toMatch(/network/i)

    // Its npm cache: one per workspace under Penguin's cache dir, outside the workspace.
    const caches = join(xdg, 'cache', 'penguin', 'mcp-npm')
    const [key, ...others] = await readdir(caches)
    expect(others).toEqual([])
    const seen = JSON.parse(await readFile(join(caches, key!, 'seen.json'), 'utf8'))
    expect(seen.downloaded).toBe('package bytes')
    expect(seen.npmrc).not.toContain('npm_SECRET')
    expect(existsSync(join(repo, 'seen.json'))).toBe(false)
  }, 200_000)
})
