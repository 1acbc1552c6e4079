import { execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs'
import { readlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { until } from '@penguin-ai/testkit'
import { describe, expect, it } from 'vitest'
import { git, gitScript, prepareProcessRunner } from '../src/worktrees/git.js'
import { closeProcessShells, runProcess } from '../src/worktrees/process-runner.js'

// A POSIX shell cannot pass on a variable whose name is not an identifier: with one in the
// environment, commands start directly (as before the shells).
const shellable = Object.keys(process.env).every((name) => /^[A-Za-z_][A-Za-z0-9_]*$/.test(name))

// git commands of a parallel run start from the runner thread's long-lived shells (shell-pool.ts),
// not from Penguin's process; they must behave exactly as a directly started command.
describe('the process runner shells', () => {
  it('run git commands outside this process with their arguments, environment and output intact', async () => {
    const result = await gitScript(
      process.cwd(),
      'printf "%s|%s\\n" "$1" "$2"; echo "$GIT_AUTHOR_NAME" >&2; echo "$PPID"; exit 3',
      ["it's\nquoted", '$HOME `x` "y"'],
      { GIT_AUTHOR_NAME: "O'Brien" },
    )
    expect(result.code).toBe(3)
    const [first, second, parent] = result.stdout.split('\n')
    expect(`${first}\n${second}`).toBe('it\'s\nquoted|$HOME `x` "y"')
    if (shellable) expect(Number(parent)).not.toBe(process.pid)
    expect(result.stderr).toBe("O'Brien\n")
    expect((await git(process.cwd(), ['--version'])).stdout).toMatch(/^git version /)
  }, 60_000)

  it('many at once each get their own output', async () => {
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, index) => gitScript(process.cwd(), 'echo "$1"', [String(index)])),
    )
    expect(results.map((result) => result.stdout.trim())).toEqual(
      Array.from({ length: 12 }, (_, index) => String(index)),
    )
  }, 60_000)

  it('a command that cannot start rejects, as a spawn error does', async () => {
    await expect(git('/nonexistent/penguin-runner-dir', ['--version'])).rejects.toThrow(/ENOENT/)
    await expect(
      runProcess({
        command: 'penguin-no-such-program',
        args: [],
        cwd: process.cwd(),
        env: process.env,
        timeoutMs: 60_000,
      }),
    ).rejects.toThrow(/ENOENT/)
  }, 60_000)

  it('a timeout kills the command', async () => {
    const result = await runProcess({
      command: 'sleep',
      args: ['60'],
      cwd: process.cwd(),
      env: process.env,
      timeoutMs: 200,
    })
    expect(result).toMatchObject({ code: 1, exitCode: null, timedOut: true })
  }, 60_000)

  it.runIf(shellable && existsSync(`/proc/${process.pid}/task`))(
    'prepareProcessRunner starts shells before the first command, which then runs in one of them',
    async () => {
      await closeProcessShells()
      expect(shells()).toEqual([])
      prepareProcessRunner()
      // Nothing announces a shell's start: looked for, under a bound.
      await until(() => shells().length === 4, { what: 'four shells started ahead' })
      const ahead = shells()
      const shown = await gitScript(process.cwd(), 'echo "$PPID"', [])
      expect(ahead).toContain(Number(shown.stdout.trim()))
      expect(shells()).toEqual(ahead)
      await closeProcessShells()
      expect(shells()).toEqual([])
    },
    60_000,
  )

  it.runIf(shellable)(
    'closing ends the shells and removes their output folders; the next command starts new ones',
    async () => {
      const shown = await gitScript(process.cwd(), 'echo "$PPID"; readlink /proc/self/fd/1', [])
      const [pid = '', out = ''] = shown.stdout.trim().split('\n')
      await closeProcessShells()
      expect(() => process.kill(Number(pid), 0)).toThrow()
      if (out.startsWith('/')) expect(existsSync(dirname(out))).toBe(false)
      expect((await git(process.cwd(), ['--version'])).code).toBe(0)
      await closeProcessShells()
      // Nothing of ours keeps the closed shell's folder open.
      if (out.startsWith('/')) await expect(readlink(out)).rejects.toThrow()
    },
    60_000,
  )

  it('closing lets the commands the shells are running finish, their output intact', async () => {
    // Each command waits for the test to write to its FIFO, so it is still running when close comes.
    const dir = mkdtempSync(join(tmpdir(), 'penguin-runner-fifo-'))
    const fifos = [0, 1, 2].map((index) => join(dir, `fifo-${index}`))
    execFileSync('mkfifo', fifos)
    const running = fifos.map((fifo) => gitScript(process.cwd(), 'cat "$1"; echo done >&2', [fifo]))
    const closed = closeProcessShells()
    await Promise.all(fifos.map((fifo, index) => writeFile(fifo, `line ${index}\n`)))
    const results = await Promise.all(running)
    await closed
    expect(results).toEqual(
      [0, 1, 2].map((index) => ({
        code: 0,
        exitCode: 0,
        timedOut: false,
        stdout: `line ${index}\n`,
        stderr: 'done\n',
      })),
    )
  }, 60_000)
})

/** This process's child shells (the runner thread's: the thread is in this process). */
function shells(): number[] {
  const pids: number[] = []
  for (const task of readdirSync(`/proc/${process.pid}/task`)) {
    let children = ''
    try {
      children = readFileSync(`/proc/${process.pid}/task/${task}/children`, 'utf8')
    } catch {
      continue
    }
    for (const pid of children.split(' ').filter(Boolean).map(Number)) {
      try {
        if (readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'sh') pids.push(pid)
      } catch {}
    }
  }
  return pids.sort((a, b) => a - b)
}
