/**
 * Runs one command hook the way Claude Code does: a shell command in the workspace, the event as
 * JSON on stdin, with a timeout. The command leads its own process group, so a timeout or an abort
 * stops everything it started.
 */
import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import type { ExtensionOrigin } from '@penguin-ai/config'
import { trackProcessGroup } from '@penguin-ai/tools'
import type { Launch, Launcher, LaunchSpec } from '../launch.js'

/** Output kept per stream; a hook's answer is a line or a small JSON object. */
const MAX_OUTPUT = 256 * 1024

export interface HookRun {
  /** Null when it did not exit by itself (timed out, aborted, could not start). */
  exitCode: number | null
  stdout: string
  stderr: string
  timedOut: boolean
  startError?: string
}

export interface HookRunOptions {
  command: string
  input: unknown
  cwd: string
  env: Record<string, string>
  timeoutMs: number
  signal: AbortSignal
  launch: Launcher
  origin: ExtensionOrigin
}

let shell: string | undefined
/** Claude Code runs hook commands with bash; sh where there is none. */
function hookShell(): string {
  shell ??= existsSync('/bin/bash') ? '/bin/bash' : '/bin/sh'
  return shell
}

export async function runHookCommand(options: HookRunOptions): Promise<HookRun> {
  let spec: Launch
  try {
    spec = await options.launch(
      { command: hookShell(), args: ['-c', options.command], cwd: options.cwd, env: options.env },
      options.origin,
      'hook',
    )
  } catch (error) {
    // The sandbox a workspace's hook must run in cannot start: the hook does not run.
    const startError = error instanceof Error ? error.message : String(error)
    return { exitCode: null, stdout: '', stderr: '', timedOut: false, startError }
  }
  if (options.signal.aborted) {
    await spec.release?.()
    return { exitCode: null, stdout: '', stderr: '', timedOut: false }
  }
  const run = await spawnHook(spec, options)
  await spec.release?.()
  return run
}

function spawnHook(spec: LaunchSpec, options: HookRunOptions): Promise<HookRun> {
  return new Promise((resolve) => {
    const child = spawn(spec.command, spec.args, {
      cwd: spec.cwd,
      // Node's stdin pipe is a socket; bash run with SHLVL unset takes that for an ssh login and
      // sources ~/.bashrc, whose noise would end up in the hook's stderr (the model's feedback).
      env: { SHLVL: '1', ...spec.env },
      detached: true,
      stdio: ['pipe', 'pipe', 'pipe'],
    })
    if (child.pid !== undefined) trackProcessGroup(child.pid)
    let stdout = ''
    let stderr = ''
    let timedOut = false
    let settled = false
    const kill = () => {
      if (child.pid === undefined) return
      try {
        process.kill(-child.pid, 'SIGKILL')
      } catch {
        // already gone
      }
    }
    const finish = (run: Omit<HookRun, 'stdout' | 'stderr' | 'timedOut'>) => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      options.signal.removeEventListener('abort', onAbort)
      resolve({ ...run, stdout, stderr, timedOut })
    }
    const onAbort = () => {
      kill()
      finish({ exitCode: null })
    }
    const timer = setTimeout(() => {
      timedOut = true
      kill()
    }, options.timeoutMs)
    options.signal.addEventListener('abort', onAbort, { once: true })
    child.stdout.on('data', (chunk: Buffer) => {
      if (stdout.length < MAX_OUTPUT) stdout += chunk.toString('utf8')
    })
    child.stderr.on('data', (chunk: Buffer) => {
      if (stderr.length < MAX_OUTPUT) stderr += chunk.toString('utf8')
    })
    // A hook that never reads its input closes stdin early; that is not an error.
    child.stdin.on('error', () => {})
    child.stdin.end(`${JSON.stringify(options.input)}\n`)
    child.on('error', (error) => finish({ exitCode: null, startError: error.message }))
    child.on('close', (code) => finish({ exitCode: timedOut ? null : code }))
  })
}
