import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { EngineEvent } from '@penguin-ai/engine'
import { textOf } from '@penguin-ai/llm'
import { tempDir } from '@penguin-ai/testkit'
import { describe, expect, test } from 'vitest'
import { ClaudeHooks, openExtensions } from '../src/index.js'
import { engineWith, hook, toolResults, writeScript } from './helpers.js'

const hooksFor = (dir: string, entries: ReturnType<typeof hook>[]) =>
  new ClaudeHooks({ hooks: entries, cwd: dir, env: { PATH: process.env.PATH ?? '' } })

const finished = (events: EngineEvent[]) =>
  events.filter(
    (event): event is Extract<EngineEvent, { type: 'tool.finished' }> => event.type === 'tool.finished',
  )
const notices = (events: EngineEvent[]) =>
  events.filter((event): event is Extract<EngineEvent, { type: 'notice' }> => event.type === 'notice')

/** A PreToolUse guard exactly as Claude Code's docs write one: jq on stdin, exit 2 with a reason. */
const BLOCK_RM = `#!/bin/bash
cmd=$(jq -r '.tool_input.command')
if [[ "$cmd" == rm* ]]; then
  echo "Blocked: rm commands are not allowed" >&2
  exit 2
fi
exit 0
`

/** Records what a hook got on stdin, one JSON document per line. */
const RECORD = (file: string) => `cat >> ${file}; echo >> ${file}`
const recorded = (file: string) =>
  readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim())
    .map((line) => JSON.parse(line))

describe('PreToolUse', () => {
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

  test('JSON output: deny with a reason, allow without asking, and a rewritten input', async () => {
    const dir = tempDir()
    const decide = writeScript(
      join(dir, 'decide.sh'),
      `#!/bin/bash
input=$(cat)
cmd=$(echo "$input" | jq -r '.tool_input.command')
case "$cmd" in
  deploy*) echo '{"hookSpecificOutput":{"hookEventName":"PreToolUse","permissionDecision":"deny","permissionDecisionReason":"deploys go through CI"}}' ;;
  "echo safe") echo '{"hookSpecificOutput":{"hookEventName":"PreToolUse","permissionDecision":"allow"}}' ;;
  "echo old") echo '{"hookSpecificOutput":{"hookEventName":"PreToolUse","permissionDecision":"allow","updatedInput":{"command":"echo new"}}}' ;;
esac
exit 0
`,
    )
    const hooks = hooksFor(dir, [hook('PreToolUse', decide, { matcher: 'run_command' })])
    const { engine, events } = await engineWith(
      dir,
      [
        { calls: [{ name: 'run_command', args: { command: 'deploy prod' } }] },
        { calls: [{ name: 'run_command', args: { command: 'echo safe' } }] },
        { calls: [{ name: 'run_command', args: { command: 'echo old' } }] },
        { calls: [{ name: 'run_command', args: { command: 'echo unasked' } }] },
        { text: 'done' },
      ],
      [hooks],
    )
    await engine.run('go')
    const [deploy, safe, rewritten, unasked] = finished(events)
    expect(deploy?.output).toBe(
      'Permission denied for run_command on "deploy prod" by a hook: deploys go through CI',
    )
    expect(deploy?.details).toMatchObject({ denied: 'hook' })
    // Non-interactive: without the hook's "allow" this would have been refused.
    expect(safe).toMatchObject({ isError: false })
    expect(rewritten?.output).toContain('new')
    expect(unasked?.details).toMatchObject({ denied: 'non_interactive' })
  })

  test('a failing hook (exit 1, timeout, missing) is a notice; the call goes ahead', async () => {
    const dir = tempDir()
    const hooks = hooksFor(dir, [
      hook('PreToolUse', 'echo oops >&2; exit 1'),
      hook('PreToolUse', 'sleep 30', { timeout: 0.2 }),
      hook('PreToolUse', './missing-script.sh'),
    ])
    writeFileSync(join(dir, 'a.txt'), 'x')
    const { engine, events } = await engineWith(
      dir,
      [{ calls: [{ name: 'read_file', args: { path: 'a.txt' } }] }, { text: 'ok' }],
      [hooks],
    )
    const result = await engine.run('go')
    expect(result.status).toBe('completed')
    expect(finished(events)[0]?.isError).toBe(false)
    const messages = notices(events).map((event) => event.message)
    expect(messages).toEqual([
      'PreToolUse hook "echo oops >&2; exit 1" failed (exit 1): oops',
      'PreToolUse hook "sleep 30" timed out and was stopped',
      expect.stringMatching(/^PreToolUse hook "\.\/missing-script\.sh" failed \(exit 127\)/),
    ])
    expect(notices(events).every((event) => event.source === 'hooks' && event.level === 'error')).toBe(true)
  })

  test('continue: false ends the run with the stop reason', async () => {
    const dir = tempDir()
    const hooks = hooksFor(dir, [
      hook('PreToolUse', `echo '{"continue": false, "stopReason": "quota reached"}'`),
    ])
    const { engine } = await engineWith(
      dir,
      [{ calls: [{ name: 'list_files', args: {} }] }, { text: 'never' }],
      [hooks],
    )
    const result = await engine.run('go')
    expect(result).toMatchObject({
      status: 'failed',
      error: { kind: 'stopped', message: 'Stopped by a hook: quota reached' },
    })
  })
})

describe('PostToolUse, UserPromptSubmit, Stop, SessionStart', () => {
  test('PostToolUse exit 2 and decision "block" reach the model beside the result', async () => {
    const dir = tempDir()
    const hooks = hooksFor(dir, [
      hook('PostToolUse', 'echo "lint: missing semicolon" >&2; exit 2', { matcher: 'write_file' }),
      hook('PostToolUse', `echo '{"decision":"block","reason":"run the formatter"}'`, { matcher: 'Write' }),
    ])
    const { engine, requests } = await engineWith(
      dir,
      [{ calls: [{ name: 'write_file', args: { path: 'x.js', content: 'let a = 1' } }] }, { text: 'ok' }],
      [hooks],
      { autoApprove: true },
    )
    await engine.run('write')
    const text = textOf(toolResults(requests[1])[0]!)
    expect(text).toContain('PostToolUse hook feedback:\nlint: missing semicolon')
    expect(text).toContain('run the formatter')
    expect(readFileSync(join(dir, 'x.js'), 'utf8')).toBe('let a = 1')
  })

  test('UserPromptSubmit: stdout is context; exit 2 refuses the prompt and tells the user why', async () => {
    const dir = tempDir()
    const context = await engineWith(
      dir,
      [{ text: 'ok' }],
      [hooksFor(dir, [hook('UserPromptSubmit', 'echo "Current branch: main"')])],
    )
    await context.engine.run('hello')
    const user = context.requests[0]?.messages.find((message) => message.role === 'user')
    expect(textOf(user!)).toBe('hello\n\nCurrent branch: main')

    const blocked = await engineWith(
      dir,
      [{ text: 'never' }],
      [hooksFor(dir, [hook('UserPromptSubmit', 'echo "prompt contains a secret" >&2; exit 2')])],
    )
    const result = await blocked.engine.run('my key is sk-123')
    expect(result).toMatchObject({
      status: 'failed',
      error: { kind: 'blocked', message: 'The prompt was blocked: prompt contains a secret' },
    })
    expect(blocked.requests).toHaveLength(0)
  })

  test('Stop: exit 2 keeps the model going with stderr; stop_hook_active tells the hook the second time', async () => {
    const dir = tempDir()
    const stop = writeScript(
      join(dir, 'stop.sh'),
      `#!/bin/bash
if [ "$(jq -r '.stop_hook_active')" = "false" ]; then echo "tests still fail" >&2; exit 2; fi
exit 0
`,
    )
    const { engine, requests } = await engineWith(
      dir,
      [{ text: 'done' }, { text: 'fixed' }],
      [hooksFor(dir, [hook('Stop', stop)])],
    )
    const result = await engine.run('fix')
    expect(result).toMatchObject({ status: 'completed', text: 'fixed', iterations: 2 })
    expect(textOf(requests[1]!.messages.at(-1)!)).toBe('Stop hook feedback:\ntests still fail')
  })

  test('SubagentStop: runs when a sub-agent would finish (not Stop); a block keeps the child going', async () => {
    const dir = tempDir()
    const log = join(dir, 'subagent.jsonl')
    // As Claude Code's docs write one: read stdin, block once with a JSON decision.
    const gate = writeScript(
      join(dir, 'subagent-stop.sh'),
      `#!/bin/bash
input=$(cat)
echo "$input" >> ${log}
if [ "$(echo "$input" | jq -r '.stop_hook_active')" = "false" ]; then
  echo '{"decision": "block", "reason": "also list the tests"}'
fi
exit 0
`,
    )
    const stopLog = join(dir, 'stop.jsonl')
    const { engine, requests } = await engineWith(
      dir,
      [
        { calls: [{ name: 'task', args: { agent: 'explore', prompt: 'find it' } }] },
        { text: 'found' },
        { text: 'found, and the tests are in test/' },
        { text: 'all done' },
      ],
      [hooksFor(dir, [hook('SubagentStop', gate, { matcher: 'expl.*' }), hook('Stop', RECORD(stopLog))])],
      {
        subagents: {
          agents: [{ name: 'explore', description: 'finds' }],
          resolve: async (name) => ({ name, description: 'finds', prompt: 'You explore.' }),
        },
      },
    )
    const result = await engine.run('go')
    expect(result).toMatchObject({ status: 'completed', text: 'all done' })
    expect(textOf(requests[2]!.messages.at(-1)!)).toBe('SubagentStop hook feedback:\nalso list the tests')
    expect(textOf(toolResults(requests[3])[0]!)).toContain('found, and the tests are in test/')
    const inputs = recorded(log)
    expect(inputs).toHaveLength(2)
    expect(inputs[0]).toMatchObject({
      hook_event_name: 'SubagentStop',
      stop_hook_active: false,
      agent_type: 'explore',
      parent_session_id: 'session-1',
    })
    expect(inputs[0].session_id).not.toBe('session-1')
    expect(inputs[1]).toMatchObject({ stop_hook_active: true })
    // Stop ran once: for the parent, not for the child.
    expect(recorded(stopLog)).toHaveLength(1)
  })

  test('SessionStart context comes once; SessionEnd runs when the host closes', async () => {
    const dir = tempDir()
    const log = join(dir, 'end.jsonl')
    const host = await openExtensions({
      settings: {
        mcpServers: [],
        hooks: [
          hook(
            'SessionStart',
            `echo '{"hookSpecificOutput":{"hookEventName":"SessionStart","additionalContext":"Use pnpm."}}'`,
          ),
          hook('SessionEnd', RECORD(log)),
        ],
        plugins: [],
        toolFiles: [],
        warnings: [],
      },
      workspace: dir,
    })
    const { engine, requests } = await engineWith(dir, [{ text: 'one' }, { text: 'two' }], host.extensions)
    await engine.run('first')
    await engine.run('second')
    expect(textOf(requests[0]!.messages.find((message) => message.role === 'user')!)).toBe(
      'first\n\nUse pnpm.',
    )
    expect(textOf(requests[1]!.messages.filter((message) => message.role === 'user')[1]!)).toBe('second')
    await host.close('prompt_input_exit')
    await host.close('other')
    expect(recorded(log)).toEqual([
      expect.objectContaining({
        hook_event_name: 'SessionEnd',
        reason: 'prompt_input_exit',
        session_id: 'session-1',
      }),
    ])
  })

  test('unsupported events and hook types are reported once, not run', async () => {
    const dir = tempDir()
    const hooks = hooksFor(dir, [
      hook('Notification', 'touch notified'),
      hook('Stop', 'x', { type: 'prompt' }),
      hook('PreToolUse', 'true', { matcher: '(' }),
    ])
    const { engine, events } = await engineWith(dir, [{ text: 'a' }, { text: 'b' }], [hooks])
    await engine.run('one')
    await engine.run('two')
    expect(notices(events).map((event) => event.message)).toEqual([
      expect.stringMatching(/^the PreToolUse matcher "\(" is not a regular expression/),
      expect.stringMatching(/^Notification hooks are not run/),
      'hooks of type "prompt" are not run (only "command")',
    ])
    expect(existsSync(join(dir, 'notified'))).toBe(false)
  })
})
