import { describe, expect, test } from 'vitest'
import { candidateSandbox, resolvePython, runPythonProgram } from '../src/index.js'

/** For programs meant to be stopped by the timeout: short, so a busy loop burns little CPU. */
const limits = { timeoutMs: 1500, memoryMb: 256 }
/** For programs meant to finish on their own: room for a slow start on a busy machine. */
const roomy = { timeoutMs: 30_000, memoryMb: 256 }

describe('the python3 executor', () => {
  test('exit code 0 passes; an assertion fails with its reason', async () => {
    const python = await resolvePython()
    expect((await runPythonProgram('assert 1 + 1 == 2\n', python, roomy)).status).toBe('passed')
    const failed = await runPythonProgram('assert 1 + 1 == 3\n', python, roomy)
    expect(failed.status).toBe('failed')
    expect(failed.detail).toBe('AssertionError')
  })

  test('an endless loop is killed at the timeout', async () => {
    const python = await resolvePython()
    const outcome = await runPythonProgram('while True:\n    pass\n', python, limits)
    expect(outcome.status).toBe('timeout')
  })

  test('unbounded allocation hits the memory limit and fails fast', async () => {
    const python = await resolvePython()
    // A roomy timeout: only the memory limit can stop it, and it must (MemoryError, not a timeout).
    const outcome = await runPythonProgram(
      'x = []\nwhile True:\n    x.append(bytearray(10**7))\n',
      python,
      roomy,
    )
    expect(outcome.status).not.toBe('passed')
    if (process.platform === 'linux') expect(outcome.detail).toMatch(/MemoryError/)
  })

  test('a child left sleeping in the background does not hold the run up', async () => {
    const python = await resolvePython()
    const program =
      'import subprocess, sys\nsubprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])\n'
    // Waiting for the 60 s child would run into the 30 s timeout: passing proves it was not waited for.
    const outcome = await runPythonProgram(program, python, roomy)
    expect(outcome.status).toBe('passed')
  })

  test('output is capped', async () => {
    const python = await resolvePython()
    const outcome = await runPythonProgram(
      'import sys\nfor _ in range(10000):\n    sys.stderr.write("x" * 1000)\nraise SystemExit(1)\n',
      python,
      { ...roomy, maxOutputBytes: 4096 },
    )
    expect(outcome.status).toBe('failed')
    expect(outcome.detail.length).toBeLessThanOrEqual(300)
  })

  test('candidates run in the sandbox: no network, nothing written outside their /tmp', async () => {
    expect((await candidateSandbox()).description).toMatch(/read-only, no network/)
    const python = await resolvePython()
    const writes = [
      'import os, tempfile',
      'open(os.path.join(tempfile.gettempdir(), "ok"), "w").write("x")',
      'try:',
      '    open(os.path.expanduser("~/.penguin-candidate-was-here"), "w").write("x")',
      'except OSError:',
      '    raise SystemExit(0)',
      'raise SystemExit(1)',
    ].join('\n')
    expect(await runPythonProgram(writes, python, limits)).toMatchObject({ status: 'passed' })
    const program = [
      'import socket',
      's = socket.socket()',
      's.settimeout(1)',
      'try:',
      '    s.connect(("1.1.1.1", 80))',
      'except OSError:',
      '    raise SystemExit(0)',
      'raise SystemExit(1)',
    ].join('\n')
    expect((await runPythonProgram(program, python, roomy)).status).toBe('passed')
  })

  test('a missing interpreter is an environment error', async () => {
    await expect(resolvePython('/nonexistent/python3')).rejects.toMatchObject({ kind: 'environment' })
  })
})
