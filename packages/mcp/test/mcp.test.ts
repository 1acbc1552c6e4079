import { mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { McpServerEntry } from '@penguin-ai/config'
import type { ExtensionContext } from '@penguin-ai/engine'
import { whenChanged } from '@penguin-ai/testkit'
import { openWorkspace } from '@penguin-ai/tools'
import { afterEach, describe, expect, test } from 'vitest'
import { McpServers, toolNames } from '../src/index.js'
import { baseEnv, EVERYTHING, everythingOverHttp, FILESYSTEM } from './servers.js'

const cleanups: (() => Promise<void> | void)[] = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

function entry(name: string, config: McpServerEntry['config']): McpServerEntry {
  return { name, config, source: 'test config', origin: 'user' }
}

function servers(entries: McpServerEntry[], env: Record<string, string> = {}): McpServers {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), 'penguin-mcp-')))
  const mcp = new McpServers(entries, { workspace: dir, baseEnv: baseEnv(), env })
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }))
  cleanups.push(() => mcp.close())
  return mcp
}

function context(): ExtensionContext & { notices: string[] } {
  const notices: string[] = []
  return {
    sessionId: 's',
    cwd: '/',
    signal: new AbortController().signal,
    notify: (level, message) => notices.push(`${level}: ${message}`),
    notices,
  }
}

const stdioEverything = entry('everything', { command: process.execPath, args: [EVERYTHING, 'stdio'] })

async function call(mcp: McpServers, name: string, args: unknown) {
  const tool = (await mcp.tools(context())).find((candidate) => candidate.name === name)
  if (!tool) throw new Error(`no tool ${name}`)
  const workspace = await openWorkspace(tmpdir())
  return tool.run(args, { workspace, signal: new AbortController().signal, callId: 'c1' })
}

describe('MCP client against server-everything', () => {
  test('over stdio: its tools appear as mcp__everything__*, echo answers, details are kind mcp', async () => {
    const mcp = servers([stdioEverything])
    const ctx = context()
    const tools = await mcp.tools(ctx)
    expect(ctx.notices).toEqual([])
    const names = tools.map((tool) => tool.name)
    expect(names).toContain('mcp__everything__echo')
    expect(names).toContain('mcp__everything__get-sum')
    const echo = tools.find((tool) => tool.name === 'mcp__everything__echo')!
    expect(echo.jsonSchema).toMatchObject({ type: 'object', properties: { message: { type: 'string' } } })
    expect(echo.permission({ message: 'x' })).toEqual({ access: 'execute', subject: '' })
    const preview = await echo.preview({ message: 'hi' }, await openWorkspace(tmpdir()))
    expect(preview).toEqual({
      ok: true,
      preview: {
        kind: 'mcp',
        summary: 'everything · echo {"message":"hi"}',
        server: 'everything',
        tool: 'echo',
        args: { message: 'hi' },
      },
    })
    const result = await call(mcp, 'mcp__everything__echo', { message: 'hello penguin' })
    expect(result).toMatchObject({
      output: 'Echo: hello penguin',
      details: {
        kind: 'mcp',
        server: 'everything',
        tool: 'echo',
        summary: 'everything · echo — Echo: hello penguin',
        content: [{ type: 'text', text: 'Echo: hello penguin' }],
      },
    })
    expect(result.isError).toBeUndefined()
    const [status] = mcp.status()
    expect(status).toMatchObject({ name: 'everything', state: 'connected', transport: 'stdio' })
    expect(status?.tools.map((tool) => tool.name)).toEqual(names)
  })

  test('over streamable HTTP', async () => {
    const http = await everythingOverHttp()
    cleanups.push(() => http.close())
    const mcp = servers([entry('everything', { url: http.url })])
    const result = await call(mcp, 'mcp__everything__echo', { message: 'over http' })
    expect(result.output).toBe('Echo: over http')
    expect(mcp.status()[0]).toMatchObject({ state: 'connected', transport: 'http' })
  })

  test('an SSE-only server: streamable HTTP is refused, the client falls back to SSE', async () => {
    const sse = await everythingOverHttp('sse')
    cleanups.push(() => sse.close())
    const mcp = servers([entry('everything', { url: sse.url })])
    const result = await call(mcp, 'mcp__everything__echo', { message: 'over sse' })
    expect(result.output).toBe('Echo: over sse')
    expect(mcp.status()[0]).toMatchObject({ state: 'connected', transport: 'sse' })
  })

  test('images a tool returns reach the result; a tool error is an error result', async () => {
    const mcp = servers([stdioEverything])
    const image = await call(mcp, 'mcp__everything__get-tiny-image', {})
    expect(image.images?.[0]?.mediaType).toBe('image/png')
    expect(image.images?.[0]?.data.length).toBeGreaterThan(100)
    expect(image.details).toMatchObject({
      kind: 'mcp',
      content: expect.arrayContaining([expect.objectContaining({ type: 'image', mimeType: 'image/png' })]),
    })
    const bad = await call(mcp, 'mcp__everything__get-sum', { a: 'not a number' })
    expect(bad.isError).toBe(true)
    expect(bad.output).toMatch(/a/)
  })

  test('include / exclude patterns filter the tools; disabled servers are not started', async () => {
    const mcp = servers([
      entry('everything', {
        command: process.execPath,
        args: [EVERYTHING, 'stdio'],
        include: ['echo', 'get-*'],
        exclude: ['get-env'],
      }),
      entry('off', { command: process.execPath, args: [EVERYTHING, 'stdio'], enabled: false }),
    ])
    const names = (await mcp.tools(context())).map((tool) => tool.name)
    expect(names).toContain('mcp__everything__echo')
    expect(names).toContain('mcp__everything__get-sum')
    expect(names).not.toContain('mcp__everything__get-env')
    expect(names).not.toContain('mcp__everything__trigger-long-running-operation')
    expect(mcp.status()[1]).toMatchObject({ name: 'off', state: 'disabled', tools: [] })
  })

  test('a server that cannot start is reported once and the others go on', async () => {
    const mcp = servers([
      entry('broken', {
        command: process.execPath,
        args: ['-e', 'console.error("no config for you"); process.exit(3)'],
      }),
      entry('missing', { command: 'penguin-no-such-mcp-server' }),
      entry('secret', {
        url: 'https://example.invalid/mcp',
        headers: { Authorization: 'Bearer ${PENGUIN_TEST_UNSET_TOKEN}' },
      }),
      stdioEverything,
    ])
    const ctx = context()
    const names = (await mcp.tools(ctx)).map((tool) => tool.name)
    expect(names).toContain('mcp__everything__echo')
    expect(names.filter((name) => !name.startsWith('mcp__everything__'))).toEqual([])
    expect(ctx.notices).toHaveLength(3)
    expect(ctx.notices.join('\n')).toContain('MCP server "broken" failed to start')
    expect(ctx.notices.join('\n')).toContain('no config for you')
    expect(ctx.notices.join('\n')).toContain('MCP server "missing" failed to start')
    expect(ctx.notices.join('\n')).toContain('${PENGUIN_TEST_UNSET_TOKEN}, which is not set')
    const again = context()
    await mcp.tools(again)
    expect(again.notices).toEqual([])
    expect(mcp.status().map((status) => status.state)).toEqual(['failed', 'failed', 'failed', 'connected'])
  })

  test('a server that dies is reported once and its tools are gone', async () => {
    const mcp = servers([stdioEverything])
    await mcp.ready()
    const pid = (await import('node:child_process'))
      .execFileSync('pgrep', ['-f', `${EVERYTHING} stdio`])
      .toString()
      .trim()
      .split('\n')
    // Only the server this test started: its parent is this process.
    for (const id of pid) {
      const parent = (await import('node:fs')).readFileSync(`/proc/${id}/stat`, 'utf8').split(' ')[3]
      if (Number(parent) === process.pid) process.kill(Number(id), 'SIGKILL')
    }
    await whenChanged(
      (listener) => mcp.onChange(listener),
      () => mcp.status()[0]?.state === 'failed',
      'the server to be failed',
    )
    const ctx = context()
    expect(await mcp.tools(ctx)).toEqual([])
    expect(ctx.notices).toEqual([expect.stringContaining('MCP server "everything" stopped')])
  })

  test('${VAR} expansion reaches a stdio server; the filesystem server works in the workspace', async () => {
    const dir = realpathSync(mkdtempSync(join(tmpdir(), 'penguin-fs-')))
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }))
    writeFileSync(join(dir, 'hello.txt'), 'hi from the filesystem server')
    const mcp = servers([entry('fs', { command: process.execPath, args: [FILESYSTEM, '${ROOT_DIR}'] })], {
      ROOT_DIR: dir,
    })
    const result = await call(mcp, 'mcp__fs__read_text_file', { path: join(dir, 'hello.txt') })
    expect(result.output).toContain('hi from the filesystem server')
  })
})

describe('tool names', () => {
  test('sanitised, at most 64 characters, a short hash on collision', () => {
    const taken = new Set<string>()
    expect(toolNames('my server', ['do.thing', 'ok'], taken)).toEqual([
      'mcp__my_server__do_thing',
      'mcp__my_server__ok',
    ])
    const [long] = toolNames('s', ['x'.repeat(80)], taken)
    expect(long).toMatch(/^mcp__s__x+_[0-9a-f]{6}$/)
    expect(long?.length).toBe(64)
    const [a, b] = toolNames('t', ['a.b', 'a_b'], taken)
    expect(a).toBe('mcp__t__a_b')
    expect(b).toMatch(/^mcp__t__a_b_[0-9a-f]{6}$/)
  })
})
