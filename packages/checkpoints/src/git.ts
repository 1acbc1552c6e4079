import type { ExecFileException } from 'node:child_process'
import { existsSync } from 'node:fs'
import path from 'node:path'
import { runChild } from './child-runner.js'
import { CheckpointError } from './errors.js'
import { gitConfigArgs, gitEnvironment } from './git-env.js'

/** Which repository a call works on. Without `workTree` the call only touches the shadow repository. */
export interface GitTarget {
  gitDir: string
  workTree?: string
  /** The user's `.git/info/exclude`, so their local ignores apply to snapshots too. */
  excludesFile?: string
}

export interface GitCallOptions {
  /** Written to git's stdin (for `--pathspec-from-file=-`). */
  input?: string
  /** Exit codes that are answers rather than failures (`rev-parse --verify` says "no" with 1). */
  okExitCodes?: number[]
}

export interface GitResult {
  stdout: Buffer
  exitCode: number
}

/** Diffs of large workspaces can be big; past this the caller gets a git_failed error, not a hang. */
export const MAX_OUTPUT_BYTES = 512 * 1024 * 1024

export const GIT_MISSING_MESSAGE =
  'git was not found on PATH; workspace checkpoints need git 2.32 or later (https://git-scm.com/downloads)'

/** Runs git (never through a shell) against `target` with the neutralised environment and config. */
export async function git(
  target: GitTarget,
  args: string[],
  options: GitCallOptions = {},
): Promise<GitResult> {
  const location = [`--git-dir=${target.gitDir}`]
  if (target.workTree) location.push(`--work-tree=${target.workTree}`)
  const fullArgs = [...location, ...gitConfigArgs(target.excludesFile), ...args]
  // Pathspecs we pass are relative to the workspace root, so git must run there. Calls on the shadow
  // repository alone run beside it: `git init` runs before the directory exists.
  const cwd = target.workTree ?? path.dirname(target.gitDir)
  const { error, stdout, stderr } = await runChild({
    file: 'git',
    args: fullArgs,
    cwd,
    env: gitEnvironment(),
    input: options.input ?? '',
    maxBuffer: MAX_OUTPUT_BYTES,
  })
  if (!error) return { stdout, exitCode: 0 }
  const exitCode = typeof error.code === 'number' ? error.code : undefined
  if (exitCode !== undefined && options.okExitCodes?.includes(exitCode)) return { stdout, exitCode }
  throw toCheckpointError(error, commandName(args), target, cwd, stderr.toString('utf8'))
}

/** `git add` for `['-q', 'add', …]`: how errors name a call. */
function commandName(args: string[]): string {
  return `git ${args.find((arg) => !arg.startsWith('-')) ?? args[0] ?? ''}`.trim()
}

/** A failed git call (or script of git calls, `command` naming the one that failed) as a CheckpointError. */
export function toCheckpointError(
  error: ExecFileException,
  command: string,
  target: GitTarget,
  cwd: string,
  stderr: string,
): CheckpointError {
  // Node reports a missing working directory exactly like a missing executable.
  if (error.code === 'ENOENT' && error.syscall?.startsWith('spawn'))
    return existsSync(cwd)
      ? new CheckpointError('git_missing', GIT_MISSING_MESSAGE, { cause: error })
      : new CheckpointError('not_a_directory', `${cwd} no longer exists`, { cause: error })
  if (error.code === 'ERR_CHILD_PROCESS_STDIO_MAXBUFFER')
    return new CheckpointError('git_failed', `${command} produced more than 512 MiB of output`, {
      cause: error,
    })
  let detail = stderr.trim() || error.message.trim()
  if (detail.includes('index.lock'))
    detail += `\n(another Penguin process may be checkpointing this workspace; if none is running, delete ${target.gitDir}/index.lock)`
  return new CheckpointError(
    'git_failed',
    `${command} failed in checkpoint repository ${target.gitDir}: ${detail}`,
    {
      cause: error,
    },
  )
}

/** True when a usable git (2.32 or later) is on PATH. */
export async function isGitAvailable(): Promise<boolean> {
  try {
    return meetsMinimum(await gitVersion())
  } catch {
    return false
  }
}

/** `git --version` as text, e.g. "git version 2.39.5"; throws git_missing without git. */
export async function gitVersion(): Promise<string> {
  const { execFile } = await childProcess()
  return new Promise((resolve, reject) => {
    execFile('git', ['--version'], { env: gitEnvironment(), windowsHide: true }, (error, stdout) => {
      if (!error) return resolve(stdout.trim())
      reject(new CheckpointError('git_missing', GIT_MISSING_MESSAGE, { cause: error }))
    })
  })
}

/**
 * 2.32 is the first git that honours GIT_CONFIG_GLOBAL (older ones would read the user's config) and
 * every `--pathspec-from-file` used here exists by then.
 */
export function meetsMinimum(version: string): boolean {
  const match = /(\d+)\.(\d+)/.exec(version)
  if (!match) return false
  const [major, minor] = [Number(match[1]), Number(match[2])]
  return major > 2 || (major === 2 && minor >= 32)
}

/**
 * node:child_process, loaded by the first git call: a session opens its checkpoints in the
 * background, and `penguin run`'s first model request does not wait for the module.
 */
export function childProcess(): Promise<typeof import('node:child_process')> {
  return import('node:child_process')
}
