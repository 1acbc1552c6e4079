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
 * process-group commands (verify commands). A command the shell cannot start (no such directory or
 * program) fails as `spawn` fails. `close` ends the shells and waits for them: what their commands
 * cost is then counted in Penguin's process, as a directly started command's is.
 *
 * Defines `shellJob(request, reply, direct)` (false when the command must start directly),
 * `killShellJob(id)` (true when the command is one of the shells') and `closeShells()` (a promise).
 * Lines are `\n`-separated JavaScript without template interpolation.
 */
export const SHELL_POOL_SOURCE = String.raw`
const { mkdtempSync, readFileSync, rmSync } = require('node:fs')
const { tmpdir } = require('node:os')
const { join, resolve } = require('node:path')
const MAX_SHELLS = 8
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/
const quote = (text) => "'" + String(text).split("'").join("'\\''") + "'"
const shells = new Set()
const idleShells = []
const shellJobs = new Map()
let shellsUsable = true

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
      stdout: read(shell.out),
      stderr: read(shell.err),
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
  if (!shellsUsable || request.group) return false
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
  const steps = [...changes, 'exec ' + argv].join('\n')
  shell.child.stdin.write(
    'if ! cd -- ' + quote(job.cwd) + ' 2>/dev/null || ! command -v ' + quote(request.command) +
      ' >/dev/null 2>&1; then echo e; else (\n' + steps + '\n) </dev/null >' + quote(shell.out) +
      ' 2>' + quote(shell.err) + ' & echo "p $!"; wait $!; echo "x $?"; fi\n',
  )
  return true
}

function killShellJob(id) {
  const job = shellJobs.get(id)
  if (!job) return false
  job.killed = true
  if (job.pid !== undefined) {
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
