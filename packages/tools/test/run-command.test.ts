import { mkdir } from 'node:fs/promises'
import path from 'node:path'
import { isAlive, lineWrittenTo } from '@penguin-ai/testkit'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { childEnvironment } from '../src/child-env.js'
import { Capture, KILL_GRACE_MS } from '../src/process.js'
import { runCommandTool } from '../src/tools/run-command.js'
import { commandDetails, fixture } from './helpers.js'

/** Polls for a state that has no event (a non-child process exiting); the bound only names a hang. */
async function waitUntil(check: () => boolean, ms = 30_000): Promise<boolean> {
  let expired = false
  const bound = setTimeout(() => {
    expired = true
  }, ms)
  while (!check() && !expired) await new Promise((r) => setTimeout(r, 20))
  clearTimeout(bound)
  return check()
}

const leftovers: number[] = []
afterEach(() => {
  vi.useRealTimers()
  for (const pid of leftovers.splice(0)) {
    try {
      process.kill(pid, 'SIGKILL')
    } catch {}
  }
})

describe('run_command', () => {
  it('reports exit code, stdout and stderr', async () => {
    const f = await fixture()
    const result = await f.run(runCommandTool, { command: 'echo out; echo err >&2' })
    expect(result.isError).toBe(false)
    expect(result.output).toBe('Exit code: 0\n[stdout]\nout\n[stderr]\nerr')
    expect(result.details).toMatchObject({
      kind: 'command',
      summary: 'echo out; echo err >&2 — exit 0',
      command: 'echo out; echo err >&2',
      cwd: '.',
      exitCode: 0,
      signal: null,
      stdout: 'out\n',
      stderr: 'err\n',
      timedOut: false,
    })
    expect(result.details?.kind === 'command' && result.details.durationMs).toBeGreaterThanOrEqual(0)
  })

  it('marks non-zero exits as errors and omits empty sections', async () => {
    const f = await fixture()
    const result = await f.run(runCommandTool, { command: 'echo nope >&2; exit 3' })
    expect(result).toMatchObject({ isError: true, output: 'Exit code: 3\n[stderr]\nnope' })
    expect((await f.run(runCommandTool, { command: 'true' })).output).toBe('Exit code: 0\n(no output)')
  })

  it('runs in a confined cwd with stdin closed', async () => {
    const f = await fixture()
    await mkdir(path.join(f.root, 'sub'))
    expect((await f.run(runCommandTool, { command: 'pwd', cwd: 'sub' })).output).toBe(
      `Exit code: 0\n[stdout]\n${path.join(f.root, 'sub')}`,
    )
    // `cat` would wait forever on an open stdin.
    expect((await f.run(runCommandTool, { command: 'cat', timeout_ms: 5000 })).output).toBe(
      'Exit code: 0\n(no output)',
    )
    const denied = await f.run(runCommandTool, { command: 'pwd', cwd: '/' })
    expect(denied.isError).toBe(true)
    expect(denied.output).toMatch(/^Access denied/)
  })

  // The timeout runs on a fake clock, moved once the command has visibly started its background job:
  // a real 500 ms timeout could fire before a busy machine even got that far.
  it('kills the whole process tree on timeout', async () => {
    const f = await fixture()
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    const running = f.run(runCommandTool, {
      command: 'sleep 100 & echo $! > bg.pid; sleep 100; wait',
      timeout_ms: 500,
    })
    const pid = Number(await lineWrittenTo(path.join(f.root, 'bg.pid')))
    leftovers.push(pid)
    vi.advanceTimersByTime(500)
    const result = await running
    vi.useRealTimers()
    expect(result.isError).toBe(true)
    expect(result.output).toBe('Timed out after 500 ms; the process tree was killed.\n(no output)')
    expect(result.details).toMatchObject({ timedOut: true, exitCode: null, signal: 'SIGTERM' })
    expect(await waitUntil(() => !isAlive(pid))).toBe(true)
  })

  it('SIGKILLs a process group that ignores SIGTERM', async () => {
    const f = await fixture()
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    const running = f.run(runCommandTool, {
      command: "trap '' TERM; sh -c 'trap \"\" TERM; echo $$ > child.pid; sleep 100' & wait",
      timeout_ms: 300,
    })
    const pid = Number(await lineWrittenTo(path.join(f.root, 'child.pid')))
    leftovers.push(pid)
    // The timeout sends SIGTERM, which everything ignores; the grace period later, SIGKILL.
    vi.advanceTimersByTime(300 + KILL_GRACE_MS)
    const result = await running
    vi.useRealTimers()
    expect(result.details).toMatchObject({ timedOut: true })
    expect(await waitUntil(() => !isAlive(pid))).toBe(true)
  })

  it('kills the tree when the call is aborted', async () => {
    const f = await fixture()
    const controller = new AbortController()
    const running = runCommandTool.run(
      { command: 'sleep 100 & echo $! > bg.pid; wait' },
      { ...f.ctx, signal: controller.signal },
    )
    const pid = Number(await lineWrittenTo(path.join(f.root, 'bg.pid')))
    leftovers.push(pid)
    controller.abort()
    const result = await running
    expect(result).toMatchObject({
      isError: true,
      output: 'Aborted; the process tree was killed.\n(no output)',
    })
    expect(await waitUntil(() => !isAlive(pid))).toBe(true)
  })

  it('returns when the shell exits even if a background process holds the output', async () => {
    const f = await fixture()
    const result = await f.run(runCommandTool, { command: 'sleep 30 & echo started $!' })
    const pid = Number(/started (\d+)/.exec(commandDetails(result).stdout)?.[1])
    leftovers.push(pid)
    expect(result.output).toContain('A background process still holds the output open')
    expect(result.output).toContain(`[stdout]\nstarted ${pid}`)
    expect(result.isError).toBe(false)
  })

  it('caps large output for the model and keeps more in details', async () => {
    const f = await fixture()
    const result = await f.run(runCommandTool, { command: 'seq 1 100000' })
    expect(result.output.length).toBeLessThan(35_000)
    expect(result.output).toContain('\n1\n2\n3\n')
    expect(result.output).toMatch(/lines omitted; pipe through head, tail or grep/)
    expect(result.output.endsWith('99999\n100000')).toBe(true)
    // UIs get the head and tail of the 588,895 bytes, 256 KiB in all.
    const kept = commandDetails(result).stdout
    expect(kept.startsWith('1\n2\n3\n')).toBe(true)
    expect(kept.endsWith('99999\n100000\n')).toBe(true)
    expect(kept).toMatch(/\n… \[326,751 bytes omitted\] …\n/)
  })

  it('hides secrets from the environment and sets non-interactive hints', async () => {
    const env = childEnvironment({
      PATH: '/bin',
      OPENAI_API_KEY: 'sk-1',
      GITHUB_TOKEN: 'ghp',
      MY_SECRET: 's',
      PENGUIN_MODEL: 'x',
      HOME: '/home/u',
    })
    expect(env).toMatchObject({ PATH: '/bin', HOME: '/home/u', PAGER: 'cat', GIT_PAGER: 'cat', TERM: 'dumb' })
    for (const name of ['OPENAI_API_KEY', 'GITHUB_TOKEN', 'MY_SECRET', 'PENGUIN_MODEL'])
      expect(env).not.toHaveProperty(name)

    process.env.TEST_RUN_API_KEY = 'sk-secret'
    try {
      const f = await fixture()
      const result = await f.run(runCommandTool, {
        command: 'echo "[$TEST_RUN_API_KEY] $PAGER"',
      })
      expect(result.output).toBe('Exit code: 0\n[stdout]\n[] cat')
    } finally {
      delete process.env.TEST_RUN_API_KEY
    }
  })

  it('validates the timeout bound', async () => {
    const f = await fixture()
    const result = await f.run(runCommandTool, { command: 'true', timeout_ms: 700_000 })
    expect(result.isError).toBe(true)
    expect(result.output).toContain('timeout_ms')
  })
})

describe('Capture', () => {
  it('keeps head and tail bytes and counts the rest', () => {
    const capture = new Capture(10)
    for (const chunk of ['abc', 'defgh', 'ijklmnop', 'qrst']) capture.add(Buffer.from(chunk))
    expect(capture.text()).toBe('abcde\n… [10 bytes omitted] …\npqrst')
    // A character split across chunks survives when nothing is dropped.
    const small = new Capture(10)
    const bytes = Buffer.from('é')
    small.add(bytes.subarray(0, 1))
    small.add(bytes.subarray(1))
    expect(small.text()).toBe('é')
  })
})
