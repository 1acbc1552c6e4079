import { runProcess, startProcessRunner } from './process-runner.js'

export interface GitResult {
  code: number
  stdout: string
  stderr: string
}

/** Bound for one git command: merges and worktree checkouts of big repositories take a while. */
const GIT_TIMEOUT_MS = 5 * 60_000

/**
 * Runs git in `cwd` with the user's environment (their identity and config), never a pager or an
 * editor, and nothing asked on a terminal. Resolves with the exit code; rejects only when git cannot
 * be started.
 */
export function git(cwd: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<GitResult> {
  return runGitProcess('git', args, cwd, env)
}

/**
 * Runs several git commands as one `sh -c` script (its arguments are `$1`, `$2`, …): one process
 * started from Node instead of one per command. Starting a process from Penguin's big one costs far
 * more than from a shell (the fork copies its memory map, and Node waits for the exec), so a step
 * that needs a few git commands in a row pays that once. Same environment as `git`.
 */
export function gitScript(
  cwd: string,
  script: string,
  args: string[],
  env: NodeJS.ProcessEnv = {},
): Promise<GitResult> {
  return runGitProcess('sh', ['-c', script, 'sh', ...args], cwd, env)
}

/** git's environment: the user's, never a pager or an editor, nothing asked on a terminal. */
function gitEnvironment(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return {
    ...process.env,
    GIT_TERMINAL_PROMPT: '0',
    GIT_EDITOR: 'true',
    GIT_PAGER: 'cat',
    LC_ALL: 'C',
    ...env,
  }
}

function runGitProcess(
  command: string,
  args: string[],
  cwd: string,
  env: NodeJS.ProcessEnv,
): Promise<GitResult> {
  return runProcess({ command, args, cwd, env: gitEnvironment(env), timeoutMs: GIT_TIMEOUT_MS })
}

/** Shells started ahead: enough for the repository checks' git commands, made at once. */
const PREPARED_SHELLS = 4

/**
 * Gets a parallel run's git ready while the run is set up: the thread its git commands start from,
 * and a few of its shells with git's environment (see process-runner.ts).
 */
export function prepareProcessRunner(): void {
  startProcessRunner({ shells: PREPARED_SHELLS, env: gitEnvironment({}) })
}

/** Like `git`, but a non-zero exit is an error carrying git's own message. */
export async function gitOk(cwd: string, args: string[], env?: NodeJS.ProcessEnv): Promise<string> {
  const result = await git(cwd, args, env)
  if (result.code !== 0) {
    const message = gitMessage(result)
    throw new GitError(`git ${args[0]} failed: ${message}`)
  }
  return result.stdout
}

/** What a git command said about its failure: stderr, else stdout, else its exit code. */
export function gitMessage(result: GitResult): string {
  return (result.stderr || result.stdout).trim() || `exit code ${result.code}`
}

export class GitError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'GitError'
  }
}
