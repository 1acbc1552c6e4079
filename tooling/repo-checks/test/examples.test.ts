// examples/library and examples/sdk run as a user would run them — `node examples/…` with
// `penguin-ai` / `@penguin-ai/sdk` resolved from the repository's node_modules — against the mock
// model over HTTP (and, for the SDK, a real server in this process).
import { execFile } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { type MockServer, type MockTurn, startMockServer } from '@penguin-ai/mock-llm'
import { type RunningServer, serve } from '@penguin-ai/server'
import { inProcessServerOptions, tempDir, tempTree, writeTree } from '@penguin-ai/testkit'
import { afterEach, describe, expect, test } from 'vitest'

const ROOT = new URL('../../../', import.meta.url).pathname
const run = promisify(execFile)
const closers: (() => Promise<void>)[] = []
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close()
})

async function mock(script: MockTurn[]) {
  const server: MockServer = await startMockServer({ script })
  closers.push(() => server.close())
  return server
}

function node(script: string, args: string[], env: Record<string, string>) {
  return run(process.execPath, [join(ROOT, script), ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: tempDir('penguin-example-home-'), ...env },
    timeout: 100_000,
  })
}

// Each example runs in a Node process of its own (one starts a server): 9–14 s at load ~20 on two
// cores, so the bound is the child's own 100 s and then some.
describe('examples/', { timeout: 120_000 }, () => {
  test('library/agent.mjs: PenguinAgent writes a file when allowed and continues the conversation', async () => {
    const workspace = tempTree({ 'package.json': '{"name":"demo"}\n' })
    const model = await mock([
      { toolCalls: [{ name: 'write_file', arguments: { path: 'README.md', content: '# demo\n' } }] },
      { text: 'Added README.md.' },
      { text: 'I wrote a README.' },
    ])
    const { stdout, stderr } = await node('examples/library/agent.mjs', [workspace, 'add a README'], {
      OPENAI_API_KEY: 'sk-test',
      PENGUIN_BASE_URL: model.url,
    })
    expect(readFileSync(join(workspace, 'README.md'), 'utf8')).toBe('# demo\n')
    expect(stdout).toContain('Added README.md.')
    expect(stdout).toContain('I wrote a README.')
    expect(stderr).toContain('allowing write_file')
    expect(stderr).toContain('completed, then completed')
    // The follow-up carried the first run: one conversation.
    expect(JSON.stringify(model.requests.at(-1)?.json)).toContain('add a README')
  })

  test('sdk/drive-server.mjs: the SDK opens a session on a server, streams the run, reads the messages', async () => {
    const model = await mock([{ text: 'A tiny demo project.' }])
    const root = tempDir('penguin-example-root-')
    const workspace = writeTree(join(root, 'repo'), { 'a.txt': 'a\n' })
    const server: RunningServer = await serve(inProcessServerOptions(model, root))
    closers.push(() => server.close())
    const { stdout, stderr } = await node('examples/sdk/drive-server.mjs', [workspace, 'what is this?'], {
      PENGUIN_SERVER: server.url,
    })
    expect(stdout).toContain('A tiny demo project.')
    expect(stderr).toMatch(/session \S+: completed, 2 messages stored/)
  })
})
