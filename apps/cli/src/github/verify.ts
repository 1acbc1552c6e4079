import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { Sandbox } from '@penguin-ai/sandbox'
import { childEnvironment, runProcess } from '@penguin-ai/tools'

export interface VerifyOutcome {
  passed: boolean
  exitCode: number | null
  output: string
}

/** How long the verify command may run. */
const VERIFY_TIMEOUT_MS = 20 * 60_000

/**
 * The command that decides whether the work is done: `--verify`, else the config's `testCommand`,
 * else `npm test` when package.json has a test script; undefined when there is none.
 */
export async function verifyCommand(
  flag: string | undefined,
  configured: string | undefined,
  workspace: string,
): Promise<string | undefined> {
  if (flag) return flag
  if (configured?.trim()) return configured
  try {
    const pkg = JSON.parse(await readFile(join(workspace, 'package.json'), 'utf8')) as {
      scripts?: Record<string, unknown>
    }
    if (typeof pkg.scripts?.test === 'string') return 'npm test'
  } catch {}
  return undefined
}

/**
 * Runs the verify command as the agent's commands run: in the sandbox when there is one, with the
 * credential-free environment (the token is not in it either way).
 */
export async function runVerify(
  command: string,
  workspace: string,
  options: { sandbox?: Sandbox; allow?: string[]; signal: AbortSignal },
): Promise<VerifyOutcome> {
  const outcome = await runProcess({
    command,
    cwd: workspace,
    timeoutMs: VERIFY_TIMEOUT_MS,
    signal: options.signal,
    env: childEnvironment(process.env, { allow: options.allow ?? [] }),
    ...(options.sandbox ? { sandbox: options.sandbox } : {}),
  })
  const notes = [
    outcome.startError ? `could not start: ${outcome.startError}` : '',
    outcome.timedOut ? `timed out after ${VERIFY_TIMEOUT_MS / 60_000} minutes` : '',
  ].filter(Boolean)
  const output = [outcome.stdout, outcome.stderr, ...notes].filter((part) => part.trim()).join('\n')
  return { passed: outcome.exitCode === 0 && !outcome.timedOut, exitCode: outcome.exitCode, output }
}
