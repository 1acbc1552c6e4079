import { spawn } from 'node:child_process'

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
  return new Promise((resolve, reject) => {
    const child = spawn('git', args, {
      cwd,
      env: {
        ...process.env,
        GIT_TERMINAL_PROMPT: '0',
        GIT_EDITOR: 'true',
        GIT_PAGER: 'cat',
        LC_ALL: 'C',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk
    })
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk
    })
    const timer = setTimeout(() => child.kill('SIGKILL'), GIT_TIMEOUT_MS)
    child.on('error', (error) => {
      clearTimeout(timer)
      reject(error)
    })
    child.on('close', (code) => {
      clearTimeout(timer)
      resolve({ code: code ?? 1, stdout, stderr })
    })
  })
}

/** Like `git`, but a non-zero exit is an error carrying git's own message. */
export async function gitOk(cwd: string, args: string[], env?: NodeJS.ProcessEnv): Promise<string> {
  const result = await git(cwd, args, env)
  if (result.code !== 0) {
    const message = (result.stderr || result.stdout).trim() || `exit code ${result.code}`
    throw new GitError(`git ${args[0]} failed: ${message}`)
  }
  return result.stdout
}

export class GitError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'GitError'
  }
}
