/**
 * The process-runner thread's shells (plain JavaScript, evaluated in that thread with its program).
 *
 * Starting a process from Node costs the process that starts it a fork of its whole memory map, and
 * the child the tear-down of that copy: measured on a 2-core machine, about 12 ms of CPU in
 * Penguin's process and 8 ms more in the child than the same `git` started from a shell. A parallel
 * run's git commands (a worktree, a commit, a merge per task) are therefore started from a few
 * long-lived `/bin/sh` processes instead: the thread writes each command to an idle shell's stdin,
 * and the shell runs it in a subshell — its own working directory and environment changes, stdin
 * from /dev/null, stdout and stderr to files — and prints its pid, then its exit status.
 *
 * A shell runs one command at a time; the thread keeps up to MAX_SHELLS of them and starts a command
 * directly (`spawn`) when all are busy, when the command's environment has a variable a POSIX shell
 * cannot pass on (a name that is not an identifier) or a PATH other than the shell's, and for
 * process-group commands (verify commands) when there is no `setsid` program. A command the shell cannot start (no such directory or
 * program) fails as `spawn` fails. `close` ends the shells and waits for them: what their commands
 * cost is then counted in Penguin's process, as a directly started command's is.
 *
 * Defines `shellJob(request, reply, direct)` (false when the command must start directly),
 * `killShellJob(id)` (true when the command is one of the shells'), `warmShells(count, env)` (starts
 * idle shells ahead of the first commands) and `closeShells()` (a promise).
 * Lines are `\n`-separated JavaScript without template interpolation.
 */
export const SHELL_POOL_SOURCE = String.raw`
const { accessSync, closeSync, constants, fstatSync, mkdtempSync, openSync, readFileSync, readSync, rmSync } = require('node:fs')
const { tmpdir } = require('node:os')
const { join, resolve } = require('node:path')
const MAX_SHELLS = 8
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/
const quote = (text) => "'" + String(text).split("'").join("'\\''") + "'"
const shells = new Set()
const idleShells = []
const shellJobs = new Map()
let shellsUsable = true
// Process-group commands start through setsid(1) (util-linux, busybox): the subshell running it is
// no group leader, so setsid makes it the leader of a new session and group, as Node's detached
// spawn does, without a fork. Without setsid on the PATH they start directly.
const SETSID = findProgram('setsid')

function findProgram(name) {
  for (const dir of (process.env.PATH || '').split(':')) {
    if (!dir.startsWith('/')) continue
    try {
      accessSync(join(dir, name), constants.X_OK)
      return join(dir, name)
    } catch {}
  }
  return undefined
}

/** A group command's output (stdout and stderr together): its first and last keep bytes. */
function readKept(file, keep) {
  let fd
  try {
    fd = openSync(file, 'r')
    const size = fstatSync(fd).size
    const read = (at, length) => {
      const buffer = Buffer.alloc(length)
      return buffer.subarray(0, readSync(fd, buffer, 0, length, at))
    }
    if (size <= 2 * keep) return read(0, size).toString('utf8')
    return Buffer.concat([read(0, keep), read(size - keep, keep)]).toString('utf8')
  } catch {
    return ''
  } finally {
    if (fd !== undefined) closeSync(fd)
  }
}

function environmentChanges(base, env) {
  const lines = []
  for (const key of Object.keys(env)) {
    if (!NAME.test(key)) return undefined
    const value = env[key]
    if (value === undefined || base[key] === value) continue
    if (key === 'PATH') return undefined
    lines.push('export ' + key + '=' + quote(value))
  }
  for (const key of Object.keys(base)) {
    if (env[key] !== undefined) continue
    if (key === 'PATH') return undefined
    lines.push('unset ' + key)
  }
  return lines
}

function newShell(env) {
  // Its own folder for its commands' output, which the shell deletes when it exits, however Penguin
  // ends (its stdin then closes). Ctrl-C, which the terminal sends the whole process group, leaves
  // the shell and the command it runs alone (a merge is never cut in half): Penguin stops the run.
  const dir = mkdtempSync(join(tmpdir(), 'penguin-sh-'))
  let child
  try {
    child = spawn('/bin/sh', [], { env, stdio: ['pipe', 'pipe', 'ignore'] })
  } catch (error) {
    rmSync(dir, { recursive: true, force: true })
    throw error
  }
  const shell = {
    child,
    env,
    dir,
    out: join(dir, 'out'),
    err: join(dir, 'err'),
    job: undefined,
    buffer: '',
    gone: false,
    closing: false,
  }
  shell.exited = new Promise((done) => {
    const gone = () => {
      if (!shell.gone) shellGone(shell)
      done()
    }
    child.on('exit', gone)
    child.on('error', (error) => {
      // Could not start at all (no /bin/sh): every later command starts directly.
      if (child.pid === undefined) shellsUsable = false
      gone()
    })
  })
  child.stdin.on('error', () => {})
  child.stdin.write(
    'trap ' + quote('rm -rf -- ' + quote(dir)) + " EXIT; trap '' INT; trap 'exit 129' HUP; trap 'exit 143' TERM\n",
  )
  child.stdout.setEncoding('utf8')
  child.stdout.on('data', (chunk) => {
    shell.buffer += chunk
    for (let end = shell.buffer.indexOf('\n'); end >= 0; end = shell.buffer.indexOf('\n')) {
      const line = shell.buffer.slice(0, end)
      shell.buffer = shell.buffer.slice(end + 1)
      shellLine(shell, line)
    }
  })
  shells.add(shell)
  return shell
}

function shellGone(shell) {
  shell.gone = true
  try {
    rmSync(shell.dir, { recursive: true, force: true })
  } catch {}
  shells.delete(shell)
  const at = idleShells.indexOf(shell)
  if (at >= 0) idleShells.splice(at, 1)
  const job = shell.job
  shell.job = undefined
  if (!job) return
  clearTimeout(job.timer)
  shellJobs.delete(job.id)
  // It may have run: it fails (as a command that could not start) rather than running twice.
  job.reply({ id: job.id, error: 'the shell that started ' + job.command + ' stopped' })
}

function shellLine(shell, line) {
  const job = shell.job
  if (!job) return
  if (line.startsWith('p ')) {
    job.pid = Number(line.slice(2))
    job.reply({ id: job.id, pid: job.pid })
    if (job.killed) killShellJob(job.id)
    return
  }
  let reply
  if (line === 'e') {
    reply = { id: job.id, error: 'spawn ' + job.command + ' ENOENT (in ' + job.cwd + ')' }
  } else if (line.startsWith('x ')) {
    const status = Number(line.slice(2))
    const read = (file) => {
      try {
        return readFileSync(file, 'utf8')
      } catch {
        return ''
      }
    }
    const stopped = job.killed
    reply = {
      id: job.id,
      code: stopped ? 1 : status,
      exitCode: stopped ? null : status,
      timedOut: job.timedOut,
      stdout: job.group ? readKept(shell.out, job.group.keepBytes) : read(shell.out),
      stderr: job.group ? '' : read(shell.err),
    }
  } else {
    return
  }
  clearTimeout(job.timer)
  shellJobs.delete(job.id)
  shell.job = undefined
  // A shell closed while this command ran ends only now that its output is read: its exit trap
  // deletes the output files.
  if (shell.closing) shell.child.stdin.end()
  else idleShells.push(shell)
  job.reply(reply)
}

function shellJob(request, reply) {
  if (!shellsUsable || (request.group && !SETSID)) return false
  let shell = idleShells.pop()
  let changes
  if (shell) {
    changes = environmentChanges(shell.env, request.env)
    if (!changes) {
      idleShells.push(shell)
      return false
    }
  } else {
    if (shells.size >= MAX_SHELLS) return false
    if (!Object.keys(request.env).every((key) => NAME.test(key))) return false
    try {
      shell = newShell(request.env)
    } catch {
      shellsUsable = false
      return false
    }
    changes = []
  }
  const job = {
    id: request.id,
    command: request.command,
    group: request.group,
    cwd: resolve(request.cwd),
    reply,
    pid: undefined,
    killed: false,
    timedOut: false,
    timer: undefined,
  }
  shell.job = job
  shellJobs.set(job.id, job)
  job.timer = setTimeout(() => {
    job.timedOut = true
    killShellJob(job.id)
  }, request.timeoutMs)
  const argv = [request.command, ...request.args].map(quote).join(' ')
  // A group command gets Ctrl-C's default back (the shell ignores it, which a command would
  // inherit) and its own session and group; its stdout and stderr go to one file, in order.
  const steps = request.group
    ? [...changes, 'trap - INT', 'exec ' + quote(SETSID) + ' ' + argv]
    : [...changes, 'exec ' + argv]
  const errors = request.group ? '2>&1' : '2>' + quote(shell.err)
  shell.child.stdin.write(
    'if ! cd -- ' + quote(job.cwd) + ' 2>/dev/null || ! command -v ' + quote(request.command) +
      ' >/dev/null 2>&1; then echo e; else (\n' + steps.join('\n') + '\n) </dev/null >' + quote(shell.out) +
      ' ' + errors + ' & echo "p $!"; wait $!; echo "x $?"; fi\n',
  )
  return true
}

function warmShells(count, env) {
  if (!shellsUsable || !Object.keys(env).every((key) => NAME.test(key))) return
  while (shells.size < Math.min(count, MAX_SHELLS)) {
    try {
      idleShells.push(newShell(env))
    } catch {
      shellsUsable = false
      return
    }
  }
}

function killShellJob(id) {
  const job = shellJobs.get(id)
  if (!job) return false
  job.killed = true
  if (job.pid !== undefined) {
    // A group command's whole group; the command itself too, in case setsid has not run yet.
    if (job.group) {
      try {
        process.kill(-job.pid, 'SIGKILL')
      } catch {}
    }
    try {
      process.kill(job.pid, 'SIGKILL')
    } catch {}
  }
  return true
}

async function closeShells() {
  const closing = [...shells]
  idleShells.length = 0
  for (const shell of closing) {
    shell.closing = true
    // One still running a command is ended once that command's output is read (shellLine).
    if (!shell.job) shell.child.stdin.end()
  }
  await Promise.all(closing.map((shell) => shell.exited))
}
`
