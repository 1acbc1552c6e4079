/**
 * Hooks' behaviour per event: PreToolUse decisions (JSON output, failures, `continue: false`),
 * PostToolUse, UserPromptSubmit, Stop, SubagentStop, SessionStart/End, what is not supported.
 * Scripts written for Claude Code working unchanged: hooks-claude-compat.test.ts.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { textOf } from '@penguin-ai/llm'
import { tempDir } from '@penguin-ai/testkit'
import { describe, expect, test } from 'vitest'
import { openExtensions } from '../src/index.js'
import {
  engineWith,
  finished,
  hook,
  hooksFor,
  notices,
  RECORD,
  recorded,
  toolResults,
  writeScript,
} from './helpers.js'

describe('PreToolUse', () => {
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
        ignored: [],
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
