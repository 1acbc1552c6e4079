/**
 * Issue 14, plugins and custom tools: the recipes in examples/ run through the real CLI against the
 * mock model over HTTP — a custom tool file (TypeScript, importing penguin-ai and zod), a plugin
 * that blocks `rm -rf`, a plugin that registers a tool, and the Claude Code hook script.
 */
import { existsSync } from 'node:fs'
import { cp, mkdir, mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { MockServer, MockTurn } from '@penguin-ai/mock-llm'
import { useMockLlm } from '@penguin-ai/mock-llm/vitest'
import { describe, expect, test } from 'vitest'
import { makeRepo, runPenguin, toolContents } from './cli-helpers.js'

const EXAMPLES = fileURLToPath(new URL('../../../examples/', import.meta.url))

const mock = useMockLlm()

async function userConfig(
  config: Record<string, unknown>,
): Promise<{ env: Record<string, string>; dir: string }> {
  const xdg = await mkdtemp(join(tmpdir(), 'penguin-xdg-'))
  const dir = join(xdg, 'penguin')
  await mkdir(dir, { recursive: true })
  await writeFile(join(dir, 'config.json'), JSON.stringify(config, null, 2))
  return { env: { XDG_CONFIG_HOME: xdg, OPENAI_API_KEY: 'sk-test' }, dir }
}

const run = (server: MockServer, repo: string, env: Record<string, string>, ...args: string[]) =>
  runPenguin(['run', '--model', 'openai/gpt-4o', '--base-url', server.url, '--cwd', repo, ...args], { env })

describe('examples/', () => {
  test('custom-tool: a .penguin/tools/*.ts file is a tool in a trusted workspace, and only then', async () => {
    const repo = await makeRepo({ 'poem.txt': 'the quick brown fox\njumps over\n' })
    await cp(join(EXAMPLES, 'custom-tool', '.penguin'), join(repo, '.penguin'), { recursive: true })
    const { env } = await userConfig({})
    const turns: MockTurn[] = [
      { toolCalls: [{ name: 'word_count', arguments: { path: 'poem.txt' } }] },
      { text: 'Six words.' },
    ]
    const untrusted = await mock(turns)
    const before = await run(untrusted, repo, env, 'count the words')
    expect(before.stderr).toMatch(/ignoring .penguin\/tools\/ .*not trusted/)
    expect(toolContents(untrusted, 1)[0]).toContain('Unknown tool')

    expect((await runPenguin(['trust', repo], { env })).code).toBe(0)
    const trusted = await mock(turns)
    const after = await run(trusted, repo, env, 'count the words')
    expect(after.stderr).not.toContain('skipped')
    expect(after.code).toBe(0)
    expect(toolContents(trusted, 1)).toEqual(['poem.txt: 6 words, 2 lines'])
    // The compiled copy is gone again.
    expect(existsSync(join(repo, '.penguin', 'tools'))).toBe(true)
    const { readdir } = await import('node:fs/promises')
    expect(await readdir(join(repo, '.penguin', 'tools'))).toEqual(['word-count.ts'])
  })

  test('plugins/block-rm-rf.js refuses rm -rf even with --yes; other commands run', async () => {
    const repo = await makeRepo({ 'build/out.txt': 'artifact' })
    const { env } = await userConfig({ plugins: [join(EXAMPLES, 'plugins', 'block-rm-rf.js')] })
    const server = await mock([
      { toolCalls: [{ name: 'run_command', arguments: { command: 'cd build && rm -fr .' } }] },
      { toolCalls: [{ name: 'run_command', arguments: { command: 'echo still here' } }] },
      { text: 'Blocked.' },
    ])
    const result = await run(server, repo, env, '--yes', 'clean the build')
    expect(existsSync(join(repo, 'build/out.txt'))).toBe(true)
    expect(toolContents(server, 1)).toEqual([
      'rm -rf is blocked by the block-rm-rf plugin. Delete the specific files you mean instead.',
    ])
    expect(toolContents(server, 2)[1]).toContain('still here')
    expect(result.code).toBe(0)
  })

  test("plugins/git-branch.js: a plugin's custom tool is called by the model", async () => {
    const repo = await makeRepo({ '.git/HEAD': 'ref: refs/heads/feature/penguins\n', 'a.txt': 'x' })
    const { env, dir } = await userConfig({})
    await mkdir(join(dir, 'plugins'), { recursive: true })
    await cp(join(EXAMPLES, 'plugins', 'git-branch.js'), join(dir, 'plugins', 'git-branch.js'))
    const server = await mock([
      { toolCalls: [{ name: 'current_branch', arguments: {} }] },
      { text: 'You are on feature/penguins.' },
    ])
    const result = await run(server, repo, env, 'which branch?')
    expect(result.code).toBe(0)
    const offered = (server.requests[0]?.body?.tools ?? []).map(
      (tool: { function?: { name: string } }) => tool.function?.name,
    )
    expect(offered).toContain('current_branch')
    expect(toolContents(server, 1)).toEqual(['feature/penguins'])
  })

  test('hooks/block-rm.sh: the Claude Code hook blocks rm and its stderr reaches the model', async () => {
    const repo = await makeRepo({ 'keep.txt': 'x' })
    const { env } = await userConfig({
      hooks: {
        PreToolUse: [
          { matcher: 'Bash', hooks: [{ type: 'command', command: join(EXAMPLES, 'hooks', 'block-rm.sh') }] },
        ],
      },
    })
    const server = await mock([
      { toolCalls: [{ name: 'run_command', arguments: { command: 'rm keep.txt' } }] },
      { text: 'Not allowed.' },
    ])
    const result = await run(server, repo, env, '--yes', 'remove keep.txt')
    expect(existsSync(join(repo, 'keep.txt'))).toBe(true)
    expect(toolContents(server, 1)).toEqual([
      'Blocked by a PreToolUse hook: Blocked: rm commands are not allowed',
    ])
    expect(result.code).toBe(1)
  })

  test('a plugin that throws while loading is reported and skipped; the run goes on', async () => {
    const repo = await makeRepo({ 'a.txt': 'x' })
    const broken = join(await mkdtemp(join(tmpdir(), 'penguin-plugin-')), 'broken.js')
    await writeFile(broken, 'export default () => { throw new Error("misconfigured") }\n')
    const { env } = await userConfig({ plugins: [broken, 'penguin-no-such-plugin'] })
    const server = await mock([{ text: 'fine' }])
    const result = await run(server, repo, env, 'hello')
    expect(result.code).toBe(0)
    expect(result.stderr).toContain('plugin broken')
    expect(result.stderr).toContain('misconfigured')
    expect(result.stderr).toContain('"penguin-no-such-plugin" is not installed')
    expect(result.stdout).toContain('fine')
  })
})
