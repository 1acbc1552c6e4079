import { execFile } from 'node:child_process'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { BenchError } from '../errors.js'
import { type CandidateSandbox, candidateSandbox } from './sandbox.js'

export interface SandboxLimits {
  /** Wall-clock limit per candidate, in milliseconds. */
  timeoutMs: number
  /** Address-space limit in MiB (RLIMIT_AS); 0 for none. */
  memoryMb: number
  /** Bytes of stdout/stderr kept. Default 64 KiB. */
  maxOutputBytes?: number
}

export type CandidateStatus = 'passed' | 'failed' | 'timeout'

export interface CandidateOutcome {
  status: CandidateStatus
  /** The last line of stderr for failures (e.g. `AssertionError`), or why it was stopped. */
  detail: string
  exitCode: number | null
  durationMs: number
}

/**
 * Runs the candidate file under limits set from inside Python before any candidate code runs:
 * address space (so unbounded allocation fails fast with MemoryError), CPU seconds as a backstop to
 * the wall-clock timeout, and file size.
 */
const RUNNER = `
import resource, runpy, sys
mem, cpu, path = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
def limit(name, value):
    which = getattr(resource, name, None)
    if which is None:
        return
    try:
        resource.setrlimit(which, (value, value))
    except (ValueError, OSError):
        pass
if mem > 0:
    limit('RLIMIT_AS', mem)
    limit('RLIMIT_DATA', mem)
limit('RLIMIT_CPU', cpu)
limit('RLIMIT_FSIZE', 16 * 1024 * 1024)
sys.argv = [path]
runpy.run_path(path, run_name='__main__')
`

const pythonCache = new Map<string, Promise<string>>()

/**
 * The interpreter's real path (`sys.executable`), so shims such as pyenv's are resolved once rather
 * than on every candidate. A missing interpreter is an `environment` error.
 */
export function resolvePython(command = 'python3'): Promise<string> {
  let found = pythonCache.get(command)
  if (!found) {
    found = new Promise((resolve, reject) => {
      execFile(command, ['-c', 'import sys; print(sys.executable)'], { timeout: 15_000 }, (error, stdout) => {
        const path = stdout.trim()
        if (error || !path) {
          reject(
            new BenchError(
              'environment',
              `Cannot run ${command}: HumanEval candidates need Python 3 (install python3 or pass --python PATH).`,
            ),
          )
        } else resolve(path)
      })
    })
    pythonCache.set(command, found)
    found.catch(() => pythonCache.delete(command))
  }
  return found
}

/**
 * Runs one Python program in a fresh scratch directory with the limits, in the OS sandbox (default:
 * `candidateSandbox()` — read-only, no network).
 */
export async function runPythonProgram(
  program: string,
  python: string,
  limits: SandboxLimits,
  signal?: AbortSignal,
  sandbox?: CandidateSandbox,
): Promise<CandidateOutcome> {
  const isolation = sandbox ?? (await candidateSandbox())
  const dir = await mkdtemp(join(tmpdir(), 'penguin-candidate-'))
  try {
    await writeFile(join(dir, 'candidate.py'), program)
    const cpuSeconds = Math.max(1, Math.ceil(limits.timeoutMs / 1000) + 1)
    const outcome = await isolation.run(
      [
        python,
        '-I',
        '-B',
        '-c',
        RUNNER,
        String(limits.memoryMb * 1024 * 1024),
        String(cpuSeconds),
        'candidate.py',
      ],
      {
        cwd: dir,
        env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir, LANG: 'C.UTF-8', PYTHONHASHSEED: '0' },
        timeoutMs: limits.timeoutMs,
        ...(limits.maxOutputBytes ? { maxOutputBytes: limits.maxOutputBytes } : {}),
        ...(signal ? { signal } : {}),
      },
    )
    const base = { exitCode: outcome.exitCode, durationMs: outcome.durationMs }
    if (outcome.startError)
      return { ...base, status: 'failed', detail: `could not start: ${outcome.startError}` }
    if (outcome.timedOut)
      return { ...base, status: 'timeout', detail: `timed out after ${limits.timeoutMs} ms` }
    if (outcome.aborted) return { ...base, status: 'failed', detail: 'aborted' }
    if (outcome.exitCode === 0) return { ...base, status: 'passed', detail: '' }
    return {
      ...base,
      status: 'failed',
      detail: failureDetail(outcome.stderr, outcome.exitCode, outcome.signal),
    }
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}

function failureDetail(stderr: string, code: number | null, signal: NodeJS.Signals | null): string {
  const last = stderr
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)
    .pop()
  const why = last ?? (signal ? `killed by ${signal}` : `exit code ${code}`)
  return why.length > 300 ? `${why.slice(0, 297)}…` : why
}
