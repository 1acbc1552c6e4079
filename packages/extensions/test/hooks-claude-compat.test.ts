/**
 * Claude Code compatibility of hooks: scripts written as Claude Code's docs and Anthropic's examples
 * write them (jq on stdin, exit 2 with a reason, `tool_name` checks, `tool_input.file_path` guards,
 * `updatedInput`) work unchanged, and hooks get Claude Code's stdin JSON. The rest of the hook
 * behaviour: hooks.test.ts.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { textOf } from '@penguin-ai/llm'
import { tempDir } from '@penguin-ai/testkit'
import { describe, expect, test } from 'vitest'
import {
  engineWith,
  finished,
  hook,
  hooksFor,
  RECORD,
  recorded,
  toolResults,
  writeScript,
} from './helpers.js'

/** A PreToolUse guard exactly as Claude Code's docs write one: jq on stdin, exit 2 with a reason. */
const BLOCK_RM = `#!/bin/bash
cmd=$(jq -r '.tool_input.command')
if [[ "$cmd" == rm* ]]; then
  echo "Blocked: rm commands are not allowed" >&2
  exit 2
fi
exit 0
`

describe('hooks written for Claude Code', () => {
  test('a Claude Code script that exits 2 blocks the command; its stderr reaches the model', async () => {
    const dir = tempDir()
    writeFileSync(join(dir, 'keep.txt'), 'keep')
    const script = writeScript(join(dir, 'block-rm.sh'), BLOCK_RM)
    const hooks = hooksFor(dir, [hook('PreToolUse', script, { matcher: 'Bash' })])
    const { engine, requests, events } = await engineWith(
      dir,
      [
        { calls: [{ name: 'run_command', args: { command: 'rm -f keep.txt' } }] },
        { calls: [{ name: 'run_command', args: { command: 'echo fine' } }] },
        { text: 'done' },
      ],
      [hooks],
      { autoApprove: true },
    )
    await engine.run('clean up')
    expect(existsSync(join(dir, 'keep.txt'))).toBe(true)
    const [blocked, allowed] = finished(events)
    expect(blocked).toMatchObject({
      isError: true,
      output: 'Blocked by a PreToolUse hook: Blocked: rm commands are not allowed',
    })
    expect(blocked?.details).toMatchObject({ kind: 'denied', denied: 'hook' })
    expect(textOf(toolResults(requests[1])[0]!)).toContain('Blocked: rm commands are not allowed')
    expect(allowed).toMatchObject({ isError: false })
    expect(allowed?.output).toContain('fine')
  })

  test('hooks get Claude Code stdin JSON; matchers are regular expressions on tool names', async () => {
    const dir = tempDir()
    const log = join(dir, 'stdin.jsonl')
    const hooks = hooksFor(dir, [
      hook('PreToolUse', RECORD(log), { matcher: 'read_.*|Write' }),
      hook('PostToolUse', RECORD(log), { matcher: 'Read' }),
      hook('UserPromptSubmit', RECORD(log)),
      hook('SessionStart', RECORD(log)),
      hook('Stop', RECORD(log)),
    ])
    writeFileSync(join(dir, 'a.txt'), 'hello')
    const { engine } = await engineWith(
      dir,
      [
        {
          calls: [
            { name: 'read_file', args: { path: 'a.txt' } },
            { name: 'list_files', args: {} },
          ],
        },
        { text: 'ok' },
      ],
      [hooks],
    )
    await engine.run('read it')
    const inputs = recorded(log)
    const common = { session_id: 'session-1', transcript_path: '', cwd: dir, permission_mode: 'default' }
    expect(inputs.map((input) => input.hook_event_name)).toEqual([
      'SessionStart',
      'UserPromptSubmit',
      'PreToolUse',
      'PostToolUse',
      'Stop',
    ])
    expect(inputs[0]).toEqual({ ...common, hook_event_name: 'SessionStart', source: 'startup' })
    expect(inputs[1]).toEqual({ ...common, hook_event_name: 'UserPromptSubmit', prompt: 'read it' })
    expect(inputs[2]).toEqual({
      ...common,
      hook_event_name: 'PreToolUse',
      tool_name: 'read_file',
      tool_input: { path: 'a.txt', file_path: join(dir, 'a.txt') },
      tool_use_id: 'call_1',
    })
    // Matched by Claude Code's name (`Read`) only: the hook is told that name.
    expect(inputs[3]).toMatchObject({
      ...common,
      hook_event_name: 'PostToolUse',
      tool_name: 'Read',
      tool_input: { path: 'a.txt', file_path: join(dir, 'a.txt') },
      tool_response: { is_error: false, success: true, details: { kind: 'file-read' } },
      tool_use_id: 'call_1',
    })
    expect(inputs[3].tool_response.output).toContain('hello')
    expect(inputs[4]).toEqual({ ...common, hook_event_name: 'Stop', stop_hook_active: false })
  })

  test("Claude Code's own examples: a tool_name check and a file_path guard work unchanged", async () => {
    const dir = tempDir()
    // As Anthropic's bash_command_validator example does: anything but Bash is let through.
    const validator = writeScript(
      join(dir, 'validator.sh'),
      `#!/bin/bash
input=$(cat)
[ "$(echo "$input" | jq -r .tool_name)" = "Bash" ] || exit 0
if echo "$input" | jq -r .tool_input.command | grep -q '^grep'; then
  echo "Use rg instead of grep" >&2
  exit 2
fi
`,
    )
    // The docs' file-protection hook: Edit|MultiEdit|Write, judged on tool_input.file_path.
    const protect = writeScript(
      join(dir, 'protect.sh'),
      `#!/bin/bash
path=$(jq -r '.tool_input.file_path // empty')
case "$path" in *.env) echo "$path is protected" >&2; exit 2 ;; esac
`,
    )
    // updatedInput in Claude Code's terms: the write goes to another file_path.
    const redirect = writeScript(
      join(dir, 'redirect.sh'),
      `#!/bin/bash
jq -c '{hookSpecificOutput: {hookEventName: "PreToolUse", permissionDecision: "allow",
  updatedInput: (.tool_input | .file_path = (.file_path | sub("draft"; "final")))}}'
`,
    )
    const hooks = hooksFor(dir, [
      hook('PreToolUse', validator, { matcher: 'Bash' }),
      hook('PreToolUse', protect, { matcher: 'Edit|MultiEdit|Write' }),
      hook('PreToolUse', redirect, { matcher: 'Write' }),
    ])
    const { engine, requests } = await engineWith(
      dir,
      [
        {
          calls: [
            { name: 'run_command', args: { command: 'grep -r foo .' } },
            { name: 'write_file', args: { path: 'app/.env', content: 'SECRET=1' } },
            { name: 'write_file', args: { path: 'notes-draft.md', content: 'hello' } },
          ],
        },
        { text: 'ok' },
      ],
      [hooks],
      { autoApprove: true },
    )
    await engine.run('go')
    const results = toolResults(requests[1]).map(textOf)
    expect(results[0]).toContain('Use rg instead of grep')
    expect(results[1]).toContain('app/.env is protected')
    expect(existsSync(join(dir, 'app/.env'))).toBe(false)
    expect(readFileSync(join(dir, 'notes-final.md'), 'utf8')).toBe('hello')
    expect(existsSync(join(dir, 'notes-draft.md'))).toBe(false)
  })
})
