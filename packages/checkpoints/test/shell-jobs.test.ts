import { execFile, execFileSync } from 'node:child_process'
import { readdirSync, readFileSync, readlinkSync } from 'node:fs'
import { writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { tempDir, until } from '@penguin-ai/testkit'
import { describe, expect, it } from 'vitest'
import { type ChildRequest, type ChildResult, runChild } from '../src/child-runner.js'

/** The same request started directly by execFile, as children started before the shells. */
function direct(request: ChildRequest): Promise<ChildResult> {
  return new Promise((resolve) => {
    const child = execFile(
      request.file,
      request.args,
      { cwd: request.cwd, env: request.env, encoding: 'buffer', maxBuffer: request.maxBuffer },
      (error, stdout, stderr) => resolve(error ? { error, stdout, stderr } : { stdout, stderr }),
    )
    child.stdin?.on('error', () => {})
    child.stdin?.end(request.input)
  })
}

/** The shells this process runs jobs in: children of this process running /bin/sh. */
function shellPids(): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((pid) => {
      try {
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
        const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1])
        return ppid === process.pid && readFileSync(`/proc/${pid}/cmdline`, 'utf8') === '/bin/sh\0'
      } catch {
        return false
      }
    })
    .map(Number)
}

const request = (fields: Partial<ChildRequest>): ChildRequest => ({
  file: 'git',
  args: ['--version'],
  cwd: tmpdir(),
  env: { ...process.env },
  input: '',
  maxBuffer: 1024 * 1024,
  ...fields,
})

/** An environment listing without what a shell may add of its own (bash as /bin/sh: SHLVL, _). */
const environment = (result: ChildResult) =>
  result.stdout
    .toString('utf8')
    .split('\0')
    .filter((entry) => entry && !/^(SHLVL|_)=/.test(entry))
    .sort()

describe('checkpoint children in the runner thread’s shells', () => {
  it('give what execFile gives: output bytes, stdin, environment, directory, exit status', async () => {
    const dir = await tempDir()
    const script = [
      'printf "out\\0with NUL\\n"',
      'printf "err \'quoted\' $1|$2|$#\\n" >&2',
      'cat',
      'pwd',
      'exit 3',
    ].join('\n')
    const cases: ChildRequest[] = [
      request({
        file: '/bin/sh',
        args: ['-c', script, 'name', "it's $HOME", ''],
        cwd: dir,
        input: 'from stdin\n',
      }),
      request({ file: 'env', args: ['-0'], env: { ...process.env, EXTRA: "a 'b'\nc", HOME: '/nowhere' } }),
      // Variables the shell had are taken away again; PWD is what the caller gave, not where cd went.
      request({ file: 'env', args: ['-0'], env: { PATH: process.env.PATH, PWD: '/somewhere' }, cwd: dir }),
      request({ file: 'env', args: ['-0'], env: { PATH: process.env.PATH } }),
      request({ file: 'git', args: ['--git-dir', path.join(dir, 'none'), 'rev-parse', 'HEAD'] }),
    ]
    for (const job of cases) {
      const [mine, theirs] = await Promise.all([runChild(job), direct(job)])
      if (job.file === 'env') expect(environment(mine)).toEqual(environment(theirs))
      else expect(mine.stdout).toEqual(theirs.stdout)
      expect(mine.stderr).toEqual(theirs.stderr)
      expect(mine.error?.code).toBe(theirs.error?.code)
    }
    expect(shellPids().length).toBeGreaterThan(0)
  })

  it('fail to start as execFile does: no such directory, no such program', async () => {
    const dir = await tempDir()
    for (const job of [
      request({ cwd: path.join(dir, 'missing') }),
      request({ file: 'penguin-no-such-program' }),
      request({ file: '/bin/sh', args: ['-c', 'true', 'name'], cwd: path.join(dir, 'missing') }),
    ]) {
      const [mine, theirs] = await Promise.all([runChild(job), direct(job)])
      expect(mine.error).toMatchObject({ code: 'ENOENT', syscall: theirs.error?.syscall })
    }
  })

  it('run many jobs at once (more than there are shells) and say when output is too big', async () => {
    const jobs = Array.from({ length: 10 }, (_, index) =>
      request({
        file: '/bin/sh',
        args: ['-c', 'printf "%s" "$1"; cat', 'name', String(index)],
        input: `-${index}`,
      }),
    )
    const results = await Promise.all(jobs.map(runChild))
    expect(results.map((result) => result.stdout.toString('utf8'))).toEqual(
      jobs.map((_, index) => `${index}-${index}`),
    )
    const big = await runChild(
      request({ file: '/bin/sh', args: ['-c', 'printf "%2000s" x', 'name'], maxBuffer: 1000 }),
    )
    expect(big.error).toMatchObject({ code: 'ERR_CHILD_PROCESS_STDIO_MAXBUFFER' })
  })

  it('fail the job a shell was running when the shell stops, and run later ones in a new shell', async () => {
    const dir = await tempDir()
    const fifo = path.join(dir, 'hold')
    execFileSync('mkfifo', [fifo])
    await runChild(request({}))
    const before = new Set(shellPids())
    // Blocks opening the FIFO until the test opens it for writing.
    const held = runChild(request({ file: '/bin/sh', args: ['-c', 'read line <"$1"', 'name', fifo] }))
    let shell: number | undefined
    let folder: string | undefined
    await until(
      () => {
        // The shell running the held job has a child (the job's subshell, blocked on the FIFO) whose
        // stdout is already the shell's output file.
        shell = shellPids().find((pid) => before.has(pid) && childrenOf(pid).length > 0)
        folder = shell === undefined ? undefined : jobFolder(shell)
        return folder !== undefined
      },
      { what: 'the held job to run in a shell' },
    )
    process.kill(shell as number, 'SIGKILL')
    const result = await held
    expect(result.error?.message).toMatch(/stopped/)
    await writeFile(fifo, 'go\n')
    await until(() => !folderExists(folder as string), { what: 'the stopped shell’s folder to be deleted' })
    const next = await runChild(request({}))
    expect(next.error).toBeUndefined()
    expect(next.stdout.toString('utf8')).toMatch(/^git version/)
  })
})

function childrenOf(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').split(' ').filter(Boolean).map(Number)
  } catch {
    return []
  }
}

/** The folder of a shell's output files, once the job it runs (its child) writes its stdout there. */
function jobFolder(pid: number): string | undefined {
  const [job] = childrenOf(pid)
  try {
    const out = readlinkSync(`/proc/${job}/fd/1`)
    return path.basename(path.dirname(out)).startsWith('penguin-checkpoint-sh-')
      ? path.dirname(out)
      : undefined
  } catch {
    return undefined
  }
}

function folderExists(folder: string): boolean {
  return readdirSync(path.dirname(folder)).includes(path.basename(folder))
}
