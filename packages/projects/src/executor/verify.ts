import type { Sandbox, SandboxedCommand } from '@penguin-ai/sandbox'
import { capOutput, childEnvironment, trackProcessGroup } from '@penguin-ai/tools'
import { startProcess } from '../worktrees/process-runner.js'

export interface VerifyResult {
  passed: boolean
  exitCode: number | null
  /** Combined stdout and stderr, capped; kept as evidence on the task. */
  output: string
  timedOut: boolean
  durationMs: number
  /** What the sandbox refused the command, when the output shows it (see @penguin-ai/sandbox). */
  sandboxRefused?: string
}

export const DEFAULT_VERIFY_TIMEOUT_MS = 10 * 60_000
const OUTPUT_CAP = 8_000

/**
 * Runs a task's verify command with `sh -c` in the workspace, without the parent's secrets, in the
 * sandbox when one is given (as the agent's own commands are). The command gets its own process
 * group so a timeout or abort stops everything it started.
 */
export async function runVerify(
  command: string,
  cwd: string,
  options: { timeoutMs?: number; signal?: AbortSignal; sandbox?: Sandbox } = {},
): Promise<VerifyResult> {
  const started = Date.now()
  const env = childEnvironment(process.env)
  let wrapped: SandboxedCommand | undefined
  try {
    wrapped = await options.sandbox?.wrap(['sh', '-c', command], { cwd, env, detached: true })
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error)
    return {
      passed: false,
      exitCode: null,
      output: `[could not start the verify command: ${why}]`,
      timedOut: false,
      durationMs: Date.now() - started,
    }
  }
  try {
    const result = await spawnVerify(
      wrapped ? [wrapped.command, ...wrapped.args] : ['sh', '-c', command],
      cwd,
      wrapped?.env ?? env,
      options,
      started,
    )
    const refusal = wrapped?.refusal({
      exitCode: result.exitCode,
      stdout: result.output,
      stderr: result.output,
      timedOut: result.timedOut,
    })
    if (!refusal) return result
    return {
      ...result,
      sandboxRefused: refusal.summary,
      output: `${result.output}\n[the sandbox refused this command ${refusal.summary}]`,
    }
  } finally {
    await wrapped?.release()
  }
}

function spawnVerify(
  argv: string[],
  cwd: string,
  env: NodeJS.ProcessEnv,
  options: { timeoutMs?: number; signal?: AbortSignal },
  started: number,
): Promise<VerifyResult> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_VERIFY_TIMEOUT_MS
  // Started off the main thread, as the run's git commands are (see process-runner); its own process
  // group, head and tail of the output kept bounded in memory (capOutput trims the middle later).
  const running = startProcess({
    command: argv[0]!,
    args: argv.slice(1),
    cwd,
    env,
    timeoutMs,
    group: { keepBytes: OUTPUT_CAP * 4 },
  })
  // Killed with Penguin, should it exit (or be told to) while the command runs.
  void running.pid.then((pid) => {
    if (pid !== undefined) trackProcessGroup(pid)
  })
  const kill = () => running.kill()
  options.signal?.addEventListener('abort', kill, { once: true })
  if (options.signal?.aborted) kill()
  const finish = (exitCode: number | null, timedOut: boolean, output: string): VerifyResult => {
    options.signal?.removeEventListener('abort', kill)
    if (timedOut) output += `\n[verify command timed out after ${timeoutMs} ms]`
    return {
      passed: exitCode === 0 && !timedOut,
      exitCode,
      output: capOutput(output, { maxChars: OUTPUT_CAP }),
      timedOut,
      durationMs: Date.now() - started,
    }
  }
  return running.result.then(
    (result) => finish(result.exitCode, result.timedOut, result.stdout),
    (error: Error) => finish(null, false, `\n[could not start the verify command: ${error.message}]`),
  )
}
