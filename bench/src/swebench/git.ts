import { spawn } from 'node:child_process'

export interface GitResult {
  code: number | null
  stdout: string
  stderr: string
}

/** Git that never prompts, with no hooks and no pager. */
export function git(
  args: string[],
  cwd: string,
  options: { input?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<GitResult> {
  return new Promise((resolve) => {
    const child = spawn(
      'git',
      ['-c', 'core.hooksPath=/dev/null', '-c', 'advice.detachedHead=false', ...args],
      {
        cwd,
        env: { ...process.env, ...options.env, GIT_TERMINAL_PROMPT: '0', GIT_PAGER: 'cat', LC_ALL: 'C' },
        stdio: ['pipe', 'pipe', 'pipe'],
      },
    )
    const out: Buffer[] = []
    const err: Buffer[] = []
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk))
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk))
    child.on('error', (error) => resolve({ code: null, stdout: '', stderr: error.message }))
    child.on('close', (code) =>
      resolve({
        code,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
      }),
    )
    child.stdin.on('error', () => {})
    child.stdin.end(options.input ?? '')
  })
}

/** Runs git and returns stdout, or throws an Error carrying git's own message. */
export async function gitOk(
  args: string[],
  cwd: string,
  options: { input?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<string> {
  const result = await git(args, cwd, options)
  if (result.code !== 0) {
    const why = result.stderr.trim().split('\n').slice(-3).join(' ') || `exit code ${result.code}`
    throw new Error(`git ${args[0]} failed: ${why}`)
  }
  return result.stdout
}

/** Applies a patch to the work tree with `git apply`, retrying once more leniently (whitespace, less context). */
export async function applyPatch(cwd: string, patch: string): Promise<{ ok: boolean; message: string }> {
  const text = patch.endsWith('\n') ? patch : `${patch}\n`
  const strict = await git(['apply', '--whitespace=nowarn', '-'], cwd, { input: text })
  if (strict.code === 0) return { ok: true, message: '' }
  const loose = await git(
    ['apply', '--whitespace=nowarn', '--ignore-whitespace', '--recount', '-C1', '-'],
    cwd,
    {
      input: text,
    },
  )
  if (loose.code === 0) return { ok: true, message: '' }
  return { ok: false, message: strict.stderr.trim().split('\n').slice(0, 3).join(' ') }
}
