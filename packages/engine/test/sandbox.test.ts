import { existsSync, readFileSync } from 'node:fs'
import { mkdtemp, realpath, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { createSandbox, type Sandbox } from '@penguin-ai/sandbox'
import { scriptedStream, tempDir, testModel } from '@penguin-ai/testkit'
import { openWorkspace, PermissionPolicy, runCommandTool } from '@penguin-ai/tools'
import { afterEach, describe, expect, test } from 'vitest'
import {
  Engine,
  type EngineEvent,
  type EngineOptions,
  type PermissionReply,
  type PermissionRequest,
} from '../src/index.js'

const cleanup: string[] = []
const sandboxes: Sandbox[] = []
afterEach(async () => {
  await Promise.all(sandboxes.splice(0).map((sandbox) => sandbox.close()))
  await Promise.all(cleanup.splice(0).map((dir) => rm(dir, { recursive: true, force: true })))
})

/** A directory outside the workspace that the sandbox shows (read-only): /var/tmp, not its own /tmp. */
async function outsideDir(): Promise<string> {
  const dir = await realpath(await mkdtemp('/var/tmp/penguin-engine-outside-'))
  cleanup.push(dir)
  return dir
}

type Finished = Extract<EngineEvent, { type: 'tool.finished' }>

/** The real run_command in an engine whose scripted model runs `command` once. */
async function runCommand(command: string, options: Partial<EngineOptions> & { sandboxed?: boolean } = {}) {
  const { sandboxed = true, ...engineOptions } = options
  const dir = await tempDir()
  const workspace = await openWorkspace(dir)
  const sandbox = sandboxed
    ? createSandbox({ mode: 'workspace-write', roots: [workspace.root], network: false })
    : undefined
  if (sandbox) sandboxes.push(sandbox)
  const { stream, requests } = scriptedStream([
    { calls: [{ name: 'run_command', args: { command } }] },
    { text: 'done' },
  ])
  const events: EngineEvent[] = []
  const engine = new Engine({
    model: testModel(),
    workspace,
    tools: [runCommandTool],
    stream,
    ...(sandbox ? { sandbox } : {}),
    ...engineOptions,
  })
  const result = await engine.run('go', { onEvent: (event) => events.push(event) })
  const finished = events.find((event): event is Finished => event.type === 'tool.finished')!
  return { dir: workspace.root, result, events, finished, requests }
}

function answering(reply: PermissionReply, asked: PermissionRequest[]) {
  return async (request: PermissionRequest) => {
    asked.push(request)
    return reply
  }
}

describe('run_command in the sandbox', () => {
  test('runs without asking (no --yes, nobody to ask); without the sandbox the same call is denied', async () => {
    const inside = await runCommand('echo made > made.txt')
    expect(inside.finished.isError).toBe(false)
    expect(readFileSync(join(inside.dir, 'made.txt'), 'utf8')).toBe('made\n')
    expect(inside.events.some((event) => event.type === 'permission.asked')).toBe(false)
    expect(inside.finished.details).toMatchObject({ sandbox: { mode: 'workspace-write', network: false } })

    const outside = await runCommand('echo made > made.txt', { sandboxed: false })
    expect(outside.finished.details).toMatchObject({ denied: 'non_interactive' })
    expect(existsSync(join(outside.dir, 'made.txt'))).toBe(false)
  })

  test('the model is told what the sandbox allows; run.started says how commands run', async () => {
    const { events, requests } = await runCommand('true')
    const system = requests[0]!.messages[0]!
    expect(system.role === 'system' && system.content).toMatch(
      /sandbox: Commands run in a sandbox \(workspace-write\).*have no network/,
    )
    expect(events[0]).toMatchObject({ type: 'run.started', sandbox: 'workspace-write, network off' })
    const plain = await runCommand('true', { sandboxed: false, autoApprove: true })
    expect(plain.events[0]).toMatchObject({ type: 'run.started', sandbox: 'off' })
  })

  test('deny rules still apply on top, and ask rules still ask', async () => {
    const policy = new PermissionPolicy([
      { tool: 'run_command', pattern: 'rm *', action: 'deny' },
      { tool: 'run_command', pattern: 'git push*', action: 'ask' },
    ])
    const denied = await runCommand('echo hi && rm -rf src', { policy })
    expect(denied.finished.details).toMatchObject({ denied: 'rule' })
    const asked: PermissionRequest[] = []
    const push = await runCommand('git push origin main', {
      policy: new PermissionPolicy(policy.rules),
      askPermission: answering('reject', asked),
    })
    expect(asked).toHaveLength(1)
    expect(push.finished.details).toMatchObject({ denied: 'user' })
  })

  test('a refusal is explained; a run that cannot ask says how to allow it and never re-runs it', async () => {
    const outside = await outsideDir()
    const { finished } = await runCommand(`echo pwned > ${outside}/x.txt`, { autoApprove: true })
    expect(finished.isError).toBe(true)
    expect(finished.output).toMatch(
      /\[sandbox\] The sandbox refused this command writing where the sandbox allows no writes/,
    )
    expect(finished.output).toMatch(/cannot ask the user to re-run it outside the sandbox/)
    expect(finished.output).toMatch(/--sandbox off/)
    expect(finished.details).toMatchObject({ sandbox: { refused: { kinds: ['write'] } } })
    expect(existsSync(join(outside, 'x.txt'))).toBe(false)
  })

  test('at a terminal the user is asked to re-run it outside; yes re-runs it with full rights', async () => {
    const outside = await outsideDir()
    const asked: PermissionRequest[] = []
    const { finished } = await runCommand(`echo done > ${outside}/x.txt`, {
      askPermission: answering('once', asked),
    })
    expect(asked).toHaveLength(1)
    expect(asked[0]).toMatchObject({ tool: 'run_command', outsideSandbox: true })
    expect(asked[0]!.reason).toMatch(/refused by the sandbox: writing where the sandbox allows no writes/)
    expect(finished.isError).toBe(false)
    expect(finished.output).toMatch(/^\(Re-run outside the sandbox at the user's request\.\)/)
    expect(finished.details).toMatchObject({ outsideSandbox: true })
    expect(readFileSync(join(outside, 'x.txt'), 'utf8')).toBe('done\n')
  })

  test('no to the re-run leaves it refused, and the model is told not to retry', async () => {
    const outside = await outsideDir()
    const asked: PermissionRequest[] = []
    const { finished } = await runCommand(`echo done > ${outside}/x.txt`, {
      askPermission: answering('reject', asked),
    })
    expect(asked).toHaveLength(1)
    expect(finished.output).toMatch(/The user declined to re-run it outside the sandbox/)
    expect(existsSync(join(outside, 'x.txt'))).toBe(false)
  })

  test('excluded commands run outside the sandbox, asked about as any unsandboxed command', async () => {
    const outside = await outsideDir()
    const command = `touch ${outside}/x.txt`
    const denied = await runCommand(command, { excludedCommands: ['touch *'] })
    expect(denied.finished.details).toMatchObject({ denied: 'non_interactive' })
    const allowed = await runCommand(command, { excludedCommands: ['touch *'], autoApprove: true })
    expect(allowed.finished.isError).toBe(false)
    expect(existsSync(join(outside, 'x.txt'))).toBe(true)
    // Only when every command of the line is excluded.
    const mixed = await runCommand(`${command} && echo x > ${outside}/y.txt`, {
      excludedCommands: ['touch *'],
      autoApprove: true,
    })
    expect(mixed.finished.details).toMatchObject({ sandbox: { refused: { kinds: ['write'] } } })
  })
})
