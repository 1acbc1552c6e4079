/**
 * Issue 14, hooks: Claude Code's hook scripts work unchanged, through the real CLI against the mock
 * model over HTTP. The guard below is written exactly as Claude Code's docs write one.
 */
import { chmodSync, existsSync } from 'node:fs'
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import type { MockServer, MockTurn } from '@penguin-ai/mock-llm'
import { useMockLlm } from '@penguin-ai/mock-llm/vitest'
import { describe, expect, test } from 'vitest'
import { makeRepo, runPenguin, toolContents } from './cli-helpers.js'

const mock = useMockLlm()

/** `.claude/hooks/block-rm.sh` from Claude Code's hooks guide: jq reads stdin, exit 2 blocks. */
const BLOCK_RM = `#!/bin/bash
# .claude/hooks/block-rm.sh: PreToolUse hook on Bash
cmd=$(jq -r '.tool_input.command')
if [[ "$cmd" == rm* ]]; then
  echo "Blocked: rm commands are not allowed" >&2
  exit 2   # blocks the tool call; stderr goes to Claude as the reason
fi
exit 0
`

async function userConfig(config: Record<string, unknown>): Promise<Record<string, string>> {
  const xdg = await mkdtemp(join(tmpdir(), 'penguin-xdg-'))
  const path = join(xdg, 'penguin', 'config.json')
  await mkdir(dirname(path), { recursive: true })
  await writeFile(path, JSON.stringify(config, null, 2))
  return { XDG_CONFIG_HOME: xdg, OPENAI_API_KEY: 'sk-test' }
}

const run = (server: MockServer, repo: string, env: Record<string, string>, ...args: string[]) =>
  runPenguin(['run', '--model', 'openai/gpt-4o', '--base-url', server.url, '--cwd', repo, ...args], { env })

describe('Claude Code hooks through penguin run', () => {
  test('a PreToolUse hook that exits 2 blocks run_command; its stderr reaches the model', async () => {
    const repo = await makeRepo({ 'build/out.txt': 'artifact', '.claude/hooks/block-rm.sh': BLOCK_RM })
    const script = join(repo, '.claude/hooks/block-rm.sh')
    chmodSync(script, 0o755)
    const env = await userConfig({
      hooks: {
        PreToolUse: [{ matcher: 'Bash', hooks: [{ type: 'command', command: script, timeout: 30 }] }],
      },
    })
    const server = await mock([
      { toolCalls: [{ name: 'run_command', arguments: { command: 'rm -rf build' } }] },
      { text: 'The hook refused to delete build/.' },
    ])
    const result = await run(server, repo, env, '--yes', 'delete the build folder')
    expect(existsSync(join(repo, 'build/out.txt'))).toBe(true)
    expect(toolContents(server, 1)).toEqual([
      'Blocked by a PreToolUse hook: Blocked: rm commands are not allowed',
    ])
    // Every change it tried was refused: not done.
    expect(result.code).toBe(1)
    expect(result.stderr).toContain('a hook or plugin refused it')
    expect(result.stdout).toContain('The hook refused to delete build/.')
  })

  test("Claude Code's example validator (it checks tool_name is Bash) and a file_path guard work as written", async () => {
    const repo = await makeRepo({ 'a.txt': 'x' })
    const hooksDir = await mkdtemp(join(tmpdir(), 'penguin-hooks-'))
    // As Anthropic's bash_command_validator example: any tool_name but "Bash" is let through.
    const validator = join(hooksDir, 'validator.sh')
    await writeFile(
      validator,
      `#!/bin/bash
input=$(cat)
[ "$(echo "$input" | jq -r .tool_name)" = "Bash" ] || exit 0
echo "$input" | jq -r .tool_input.command | grep -q '^grep' && { echo "Use rg instead of grep" >&2; exit 2; }
exit 0
`,
      { mode: 0o755 },
    )
    // The docs' guard on Edit|MultiEdit|Write, judged on tool_input.file_path.
    const protect = join(hooksDir, 'protect.sh')
    await writeFile(
      protect,
      `#!/bin/bash
path=$(jq -r '.tool_input.file_path // empty')
case "$path" in *.env) echo "$path is protected" >&2; exit 2 ;; esac
exit 0
`,
      { mode: 0o755 },
    )
    const env = await userConfig({
      hooks: {
        PreToolUse: [
          { matcher: 'Bash', hooks: [{ type: 'command', command: validator }] },
          { matcher: 'Edit|MultiEdit|Write', hooks: [{ type: 'command', command: protect }] },
        ],
      },
    })
    const server = await mock([
      {
        toolCalls: [
          { name: 'run_command', arguments: { command: 'grep -r x .' } },
          { name: 'write_file', arguments: { path: '.env', content: 'KEY=1' } },
        ],
      },
      { text: 'Both were refused.' },
    ])
    const result = await run(server, repo, env, '--yes', 'go')
    expect(toolContents(server, 1)).toEqual([
      'Blocked by a PreToolUse hook: Use rg instead of grep',
      `Blocked by a PreToolUse hook: ${join(repo, '.env')} is protected`,
    ])
    expect(existsSync(join(repo, '.env'))).toBe(false)
    expect(result.code).toBe(1)
  })

  test("a workspace's hooks run only once it is trusted", async () => {
    const hooks = {
      PreToolUse: [
        { matcher: 'run_command', hooks: [{ type: 'command', command: 'echo "not here" >&2; exit 2' }] },
      ],
    }
    const repo = await makeRepo({ '.penguin/config.json': JSON.stringify({ hooks }) })
    const env = await userConfig({})
    const script: MockTurn[] = [
      { toolCalls: [{ name: 'run_command', arguments: { command: 'echo ran' } }] },
      { text: 'done' },
    ]
    const untrusted = await mock(script)
    const first = await run(untrusted, repo, env, '--yes', 'go')
    expect(first.code).toBe(0)
    expect(first.stderr).toMatch(/ignoring hooks in .*this workspace is not trusted/)
    expect(toolContents(untrusted, 1)[0]).toContain('ran')

    const trust = await runPenguin(['trust', repo], { env })
    expect(trust.code).toBe(0)
    const trusted = await mock(script)
    const second = await run(trusted, repo, env, '--yes', 'go')
    expect(toolContents(trusted, 1)).toEqual(['Blocked by a PreToolUse hook: not here'])
    expect(second.code).toBe(1)
  })

  test('a UserPromptSubmit hook that exits 2 refuses the prompt before any model request', async () => {
    const repo = await makeRepo({ 'a.txt': 'x' })
    const env = await userConfig({
      hooks: {
        UserPromptSubmit: [
          {
            hooks: [
              {
                type: 'command',
                command: 'grep -q password && { echo "no secrets in prompts" >&2; exit 2; }; exit 0',
              },
            ],
          },
        ],
      },
    })
    const server = await mock([{ text: 'never' }])
    const result = await run(server, repo, env, 'my password is hunter2')
    expect(server.requests).toHaveLength(0)
    expect(result.code).toBe(1)
    expect(result.stderr).toContain('The prompt was blocked: no secrets in prompts')
  })
})
