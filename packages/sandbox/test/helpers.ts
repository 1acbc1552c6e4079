import { spawn } from 'node:child_process'
import { mkdtemp, realpath } from 'node:fs/promises'
import { join } from 'node:path'
import type { CommandOutcome, Sandbox, SandboxRefusal } from '../src/index.js'

export interface Ran extends CommandOutcome {
  exitCode: number | null
  refusal: SandboxRefusal | undefined
}

/** Runs `script` with bash in the sandbox, as run_command does (own session, credential-free env). */
export async function runIn(
  sandbox: Sandbox,
  script: string,
  options: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<Ran> {
  const wrapped = await sandbox.wrap(['bash', '-c', script], {
    cwd: options.cwd ?? sandbox.roots[0]!,
    env: options.env ?? { PATH: process.env.PATH, HOME: process.env.HOME, LANG: 'C.UTF-8' },
    detached: true,
  })
  const outcome = await new Promise<CommandOutcome>((resolve, reject) => {
    const child = spawn(wrapped.command, wrapped.args, {
      env: wrapped.env,
      cwd: options.cwd ?? sandbox.roots[0]!,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    // Collected by hand, like projects' worktrees/git.ts: a test helper of this package does not
    // import another package's internals for nine lines of Node's spawn pattern.
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk
    })
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk
    })
    child.on('error', reject)
    child.on('close', (exitCode, signal) => resolve({ exitCode, signal, stdout, stderr }))
  })
  await wrapped.release()
  return { ...outcome, refusal: wrapped.refusal(outcome) }
}

/**
 * A temp directory the sandbox shows as it is: under /var/tmp, because the host's /tmp is replaced by
 * the sandbox's private one (a planted secret under /tmp would be invisible for the wrong reason).
 */
export async function visibleTempDir(prefix: string): Promise<string> {
  return realpath(await mkdtemp(join('/var/tmp', prefix)))
}
