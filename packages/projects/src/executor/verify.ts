import { spawn } from 'node:child_process'
import type { Sandbox, SandboxedCommand } from '@penguin-ai/sandbox'
import { capOutput, childEnvironment, trackProcessGroup } from '@penguin-ai/tools'

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
  return new Promise((resolve) => {
    const child = spawn(argv[0]!, argv.slice(1), {
      cwd,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    })
    // Killed with Penguin, should it exit (or be told to) while the command runs.
    if (child.pid !== undefined) trackProcessGroup(child.pid)
    // Head and tail are kept bounded in memory; capOutput trims the middle later.
    const head: Buffer[] = []
    let tail: Buffer[] = []
    let headSize = 0
    let tailSize = 0
    const collect = (chunk: Buffer) => {
      if (headSize < OUTPUT_CAP * 4) {
        head.push(chunk)
        headSize += chunk.length
        return
      }
      tail.push(chunk)
      tailSize += chunk.length
      while (tailSize > OUTPUT_CAP * 4 && tail.length > 1) {
        tailSize -= tail[0]?.length ?? 0
        tail = tail.slice(1)
      }
    }
    child.stdout.on('data', collect)
    child.stderr.on('data', collect)
    let timedOut = false
    const kill = () => {
      try {
        if (child.pid) process.kill(-child.pid, 'SIGKILL')
      } catch {
        // Already gone.
      }
    }
    const timer = setTimeout(() => {
      timedOut = true
      kill()
    }, options.timeoutMs ?? DEFAULT_VERIFY_TIMEOUT_MS)
    options.signal?.addEventListener('abort', kill, { once: true })
    const finish = (exitCode: number | null, extra = '') => {
      clearTimeout(timer)
      options.signal?.removeEventListener('abort', kill)
      let output = Buffer.concat([...head, ...tail]).toString('utf8') + extra
      if (timedOut)
        output += `\n[verify command timed out after ${options.timeoutMs ?? DEFAULT_VERIFY_TIMEOUT_MS} ms]`
      resolve({
        passed: exitCode === 0 && !timedOut,
        exitCode,
        output: capOutput(output, { maxChars: OUTPUT_CAP }),
        timedOut,
        durationMs: Date.now() - started,
      })
    }
    child.on('error', (error) => finish(null, `\n[could not start the verify command: ${error.message}]`))
    child.on('close', (code) => finish(code))
  })
}
