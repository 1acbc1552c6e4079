/**
 * MCP servers through the real CLI: their tools in `penguin run`, `penguin mcp add | list | test |
 * remove`. `penguin mcp serve`: cli-mcp-serve.test.ts; the sandbox of a workspace's servers:
 * cli-mcp-sandbox.test.ts.
 */
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import type { MockServer, MockTurn } from '@penguin-ai/mock-llm'
import { type Fifo, fifo, tempDir } from '@penguin-ai/testkit'
import { describe, expect, test } from 'vitest'
import { makeRepo, runPenguin, toolContents } from './cli-helpers.js'
import { afterTest, mock, userConfig } from './mcp-helpers.js'
import { EVERYTHING, everythingOverHttp as startEverythingOverHttp } from './mcp-servers.js'

const offeredTools = (server: MockServer, index: number) =>
  (server.requests[index]?.body?.tools ?? []).map(
    (tool: { function?: { name: string } }) => tool.function?.name,
  )

const ECHO_TURNS: MockTurn[] = [
  { toolCalls: [{ name: 'mcp__everything__echo', arguments: { message: 'hello from penguin' } }] },
  { text: 'The server echoed it.' },
]

async function everythingOverHttp(): Promise<string> {
  const server = await startEverythingOverHttp()
  afterTest(() => server.stop())
  return server.url
}

describe('MCP servers through penguin run', () => {
  test('stdio: the model calls mcp__everything__echo and reads its output', async () => {
    const repo = await makeRepo({ 'a.txt': 'x' })
    const { env } = await userConfig({
      mcpServers: { everything: { command: process.execPath, args: [EVERYTHING, 'stdio'] } },
    })
    const server = await mock(ECHO_TURNS)
    const result = await runPenguin(
      ['run', '--model', 'openai/gpt-4o', '--base-url', server.url, '--cwd', repo, '--yes', 'echo something'],
      { env },
    )
    expect(result.stderr).not.toContain('failed to start')
    expect(result.code).toBe(0)
    expect(offeredTools(server, 0)).toContain('mcp__everything__echo')
    expect(toolContents(server, 1)).toEqual(['Echo: hello from penguin'])
    expect(result.stdout).toContain('The server echoed it.')
  })

  test('streamable HTTP, and MCP tools ask by default: a non-interactive run without --yes is refused', async () => {
    const url = await everythingOverHttp()
    const repo = await makeRepo({ 'a.txt': 'x' })
    const { env } = await userConfig({ mcpServers: { everything: { url } } })
    const allowed = await mock(ECHO_TURNS)
    const ok = await runPenguin(
      ['run', '--model', 'openai/gpt-4o', '--base-url', allowed.url, '--cwd', repo, '--yes', 'echo'],
      { env },
    )
    expect(ok.code).toBe(0)
    expect(toolContents(allowed, 1)).toEqual(['Echo: hello from penguin'])

    const asked = await mock(ECHO_TURNS)
    const refused = await runPenguin(
      ['run', '--model', 'openai/gpt-4o', '--base-url', asked.url, '--cwd', repo, 'echo'],
      { env },
    )
    expect(toolContents(asked, 1)[0]).toContain('Permission denied')
    expect(refused.code).toBe(1)

    // A rule on the tool's name allows it.
    const ruled = await userConfig({
      mcpServers: { everything: { url } },
      permissions: [{ tool: 'mcp__everything__*', action: 'allow' }],
    })
    const rules = await mock(ECHO_TURNS)
    const byRule = await runPenguin(
      ['run', '--model', 'openai/gpt-4o', '--base-url', rules.url, '--cwd', repo, 'echo'],
      { env: ruled.env },
    )
    expect(byRule.code).toBe(0)
    expect(toolContents(rules, 1)).toEqual(['Echo: hello from penguin'])
  })

  test('a server that fails to start is reported once; the run goes on without its tools', async () => {
    const repo = await makeRepo({ 'a.txt': 'x' })
    const { env } = await userConfig({
      mcpServers: {
        broken: { command: process.execPath, args: ['-e', 'console.error("cannot start"); process.exit(1)'] },
      },
    })
    const server = await mock([{ text: 'fine without it' }])
    const result = await runPenguin(
      ['run', '--model', 'openai/gpt-4o', '--base-url', server.url, '--cwd', repo, 'hello'],
      { env },
    )
    expect(result.code).toBe(0)
    expect(result.stderr.match(/MCP server "broken" failed to start/g)).toHaveLength(1)
    expect(result.stdout).toContain('fine without it')
  })

  test('a server that never answers its handshake does not outlive penguin: mcp list, an interrupted run', async () => {
    // The server holds a pipe (fd 3): a line says it started, the pipe's end that it has exited.
    const hung = (pipe: Fifo, timeout_ms: number) => ({
      command: 'bash',
      args: ['-c', 'exec 3>"$0"; echo up >&3; exec sleep 600', pipe.path],
      timeout_ms,
    })
    const listed = fifo(tempDir())
    const { env } = await userConfig({ mcpServers: { hung: hung(listed, 1000) } })
    const list = await runPenguin(['mcp', 'list'], { env })
    expect(list.stdout).toContain('hung  failed: it did not finish its handshake within 1s')
    await listed.closed()

    const interrupted = fifo(tempDir())
    const repo = await makeRepo({ 'a.txt': 'x' })
    const slow = await userConfig({ mcpServers: { hung: hung(interrupted, 60_000) } })
    const server = await mock([{ text: 'never asked' }])
    // Ctrl-C once the run has started (its first request waits for the handshake) and the server runs.
    let started: () => void = () => undefined
    const runStarted = new Promise<void>((resolve) => {
      started = resolve
    })
    let stdout = ''
    const result = await runPenguin(
      ['run', '--json', '--model', 'openai/gpt-4o', '--base-url', server.url, '--cwd', repo, 'hello'],
      {
        env: slow.env,
        onStdout: (chunk) => {
          stdout += chunk
          if (stdout.includes('"type":"run.started"')) started()
        },
        onSpawn: (child) => {
          Promise.all([interrupted.firstLine(), runStarted]).then(
            () => child.kill('SIGINT'),
            () => undefined,
          )
        },
      },
    )
    expect(result.code).toBe(130)
    await interrupted.closed()
  })
})

describe('penguin mcp add | list | test | remove', () => {
  test('add a stdio server, list its tools, test it, remove it', async () => {
    const { env, file } = await userConfig({})
    const added = await runPenguin(
      ['mcp', 'add', 'everything', '-e', 'DEBUG=1', '--', process.execPath, EVERYTHING, 'stdio'],
      { env },
    )
    expect(added.code).toBe(0)
    expect(JSON.parse(await readFile(file, 'utf8')).mcpServers.everything).toEqual({
      command: process.execPath,
      args: [EVERYTHING, 'stdio'],
      env: { DEBUG: '1' },
    })
    const list = await runPenguin(['mcp', 'list'], { env })
    expect(list.code).toBe(0)
    expect(list.stdout).toContain('everything  connected (stdio')
    expect(list.stdout).toContain('mcp__everything__echo')
    const json = await runPenguin(['mcp', 'list', '--json'], { env })
    const [status] = JSON.parse(json.stdout)
    expect(status).toMatchObject({ name: 'everything', state: 'connected', transport: 'stdio' })
    expect(status.tools.map((tool: { name: string }) => tool.name)).toContain('mcp__everything__get-sum')

    const urlAdded = await runPenguin(
      ['mcp', 'add', 'gone', '--url', 'http://127.0.0.1:9/mcp', '-H', 'Authorization: Bearer ${TOKEN:-x}'],
      { env },
    )
    expect(urlAdded.code).toBe(0)
    const test1 = await runPenguin(['mcp', 'test', 'everything'], { env })
    expect(test1.code).toBe(0)
    const test2 = await runPenguin(['mcp', 'test', 'gone'], { env })
    expect(test2.code).toBe(1)
    expect(test2.stdout).toContain('gone  failed')
    const missing = await runPenguin(['mcp', 'test', 'nope'], { env })
    expect(missing.code).toBe(2)

    expect((await runPenguin(['mcp', 'remove', 'gone'], { env })).code).toBe(0)
    // An unknown name is a usage error, as for `mcp test`: one line, exit 2.
    const again = await runPenguin(['mcp', 'remove', 'gone'], { env })
    expect(again.code).toBe(2)
    expect(again.stderr).toBe(
      `penguin: No MCP server "gone" in ${file}; nothing changed. See: penguin mcp list\n`,
    )
    expect(Object.keys(JSON.parse(await readFile(file, 'utf8')).mcpServers)).toEqual(['everything'])
    const usage = await runPenguin(['mcp', 'add', 'x'], { env })
    expect(usage.code).toBe(2)
    const notUrl = await runPenguin(['mcp', 'add', 'x', '--url', 'localhost:9/mcp'], { env })
    expect(notUrl.code).toBe(2)
    expect(notUrl.stderr).toContain('--url must be an http:// or https:// URL (got "localhost:9/mcp")')
    expect(Object.keys(JSON.parse(await readFile(file, 'utf8')).mcpServers)).toEqual(['everything'])
  })

  test("a workspace's .mcp.json counts only once the workspace is trusted", async () => {
    const repo = await makeRepo({
      '.mcp.json': JSON.stringify({
        mcpServers: { everything: { command: process.execPath, args: [EVERYTHING, 'stdio'] } },
      }),
    })
    const { env } = await userConfig({})
    await writeFile(
      join(repo, 'opencode.json'),
      JSON.stringify({ mcp: { oc: { type: 'local', command: [process.execPath, EVERYTHING, 'stdio'] } } }),
    )
    const before = await runPenguin(['mcp', 'list', '--cwd', repo], { env })
    expect(before.stdout).toContain('No MCP servers configured')
    expect(before.stderr).toContain('not trusted')
    // One warning line names every ignored source, opencode's servers too.
    expect(before.stderr).toMatch(
      /^penguin: ignoring \.mcp\.json, opencode\.json \("mcp"\) in .*: this workspace is not trusted/m,
    )
    // Trusted, its stdio servers run in the sandbox, which hides /tmp: the server's files (this
    // clone's node_modules) must be in view wherever the clone lives.
    const clone = fileURLToPath(new URL('../../../', import.meta.url))
    await mkdir(join(repo, '.penguin'), { recursive: true })
    await writeFile(join(repo, '.penguin', 'config.json'), JSON.stringify({ allowedPaths: [clone] }))
    expect((await runPenguin(['trust', repo], { env })).code).toBe(0)
    const after = await runPenguin(['mcp', 'list', '--cwd', repo], { env })
    expect(after.stdout).toContain('mcp__everything__echo')
    expect(after.stdout).toContain('mcp__oc__echo')
  })
})

describe("a workspace's stdio servers run in the sandbox", () => {
  test('mcp test starts them as a run does: one the sandbox cannot run fails, with the way out', async () => {
    // A launcher under /tmp, which the sandbox replaces with a private one: visible to Penguin,
    // not to a program started inside the sandbox. The same file in the user's config connects.
    const outside = await mkdtemp('/tmp/penguin-mcp-outside-')
    const launcher = join(outside, 'everything.mjs')
    await writeFile(launcher, `await import(${JSON.stringify(pathToFileURL(EVERYTHING).href)})\n`)
    const server = { command: process.execPath, args: [launcher] }
    const repo = await makeRepo({ '.mcp.json': JSON.stringify({ mcpServers: { ws: server } }) })
    const { env } = await userConfig({ mcpServers: { mine: server } })
    expect((await runPenguin(['trust', repo], { env })).code).toBe(0)

    const mine = await runPenguin(['mcp', 'test', 'mine', '--cwd', repo], { env })
    expect(mine.code, mine.stderr).toBe(0)
    expect(mine.stdout).toContain('mcp__mine__echo')

    const ws = await runPenguin(['mcp', 'test', 'ws', '--cwd', repo], { env })
    expect(ws.code, ws.stdout).toBe(1)
    expect(ws.stdout).toMatch(/^ws {2}failed: /m)
    expect(ws.stdout).toContain('(workspace, runs in the sandbox)')
    expect(ws.stdout).toContain('penguin mcp add ws -- CMD ARGS…')
  })
})
