import { existsSync, mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { until } from '@penguin-ai/testkit'
import { describe, expect, it } from 'vitest'
import { runVerify } from '../src/executor/verify.js'

const fromShells =
  Object.keys(process.env).every((name) => /^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) &&
  (process.env.PATH ?? '').split(':').some((dir) => dir.startsWith('/') && existsSync(join(dir, 'setsid')))

/** Whether a process is gone (or only waits to be reaped). */
function gone(pid: number): boolean {
  const stat = `/proc/${pid}/stat`
  if (existsSync('/proc/self/stat')) {
    try {
      return readFileSync(stat, 'utf8').split(') ')[1]?.startsWith('Z') ?? true
    } catch {
      return true
    }
  }
  try {
    process.kill(pid, 0)
    return false
  } catch {
    return true
  }
}

// Verify commands start from the process-runner thread, in a process group of their own.
describe('runVerify', () => {
  it('passes on exit 0 and keeps the output of both streams', async () => {
    const result = await runVerify('echo out; echo err >&2', process.cwd())
    expect(result.passed).toBe(true)
    expect(result.exitCode).toBe(0)
    expect(result.output).toContain('out')
    expect(result.output).toContain('err')
  })

  it('fails with the exit code', async () => {
    const result = await runVerify('exit 3', process.cwd())
    expect(result).toMatchObject({ passed: false, exitCode: 3, timedOut: false })
  })

  it('a timeout stops the whole group and says so', async () => {
    const result = await runVerify('sleep 60 & sleep 60', process.cwd(), { timeoutMs: 200 })
    expect(result.passed).toBe(false)
    expect(result.timedOut).toBe(true)
    expect(result.output).toContain('timed out after 200 ms')
  })

  it('an abort also stops what the command left running in the background', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'penguin-verify-group-'))
    const pidFile = join(dir, 'pid')
    const controller = new AbortController()
    const pending = runVerify(
      `echo "parent $PPID"; sleep 600 & echo $! > pid.tmp && mv pid.tmp pid; wait`,
      dir,
      { signal: controller.signal },
    )
    await until(() => existsSync(pidFile), { timeoutMs: 60_000, what: 'the verify command to start' })
    controller.abort()
    const result = await pending
    expect(result).toMatchObject({ passed: false, exitCode: null })
    // From the runner thread's shells (a setsid program and an environment a shell can pass on).
    expect(result.output).toMatch(/parent \d+/)
    if (fromShells) expect(result.output).not.toContain(`parent ${process.pid}\n`)
    const pid = Number(readFileSync(pidFile, 'utf8'))
    await until(() => gone(pid), { timeoutMs: 60_000, what: 'the background sleep to be stopped' })
  }, 90_000)

  it('an abort stops the command', async () => {
    const controller = new AbortController()
    const pending = runVerify('sleep 60', process.cwd(), { signal: controller.signal })
    controller.abort()
    const result = await pending
    expect(result.passed).toBe(false)
    expect(result.exitCode).toBeNull()
  })

  it('keeps the head and tail of a long output', async () => {
    const result = await runVerify('seq 1 200000', process.cwd())
    expect(result.passed).toBe(true)
    expect(result.output).toMatch(/^1\n2\n/)
    expect(result.output).toContain('200000')
    expect(result.output.length).toBeLessThan(20_000)
  })

  it('a command that cannot start fails with the reason', async () => {
    const result = await runVerify('true', '/nonexistent/penguin-verify-dir')
    expect(result.passed).toBe(false)
    expect(result.output).toContain('could not start the verify command')
  })
})
