/**
 * The runner thread's long-lived shells (plain JavaScript, evaluated in that thread with its program;
 * see child-runner.ts).
 *
 * Starting a child from Node forks the whole process — page tables and all, then a copy-on-write
 * fault for every page the process writes afterwards — and the child must tear that copy down again
 * when it execs: measured on a 2-core machine from a 170 MB process, about 8 ms of CPU in Penguin's
 * process and 6 ms in the child, against about 1 + 2 ms for the same job handed to a shell that is
 * already running. So a checkpoint's child runs in a subshell of a `/bin/sh` the thread started
 * once: the thread writes the job to the shell's stdin — its directory, its environment (as
 * changes to the shell's), the program and arguments, each single-quoted — and the shell runs it with
 * stdin from a file (or /dev/null), stdout and stderr to files, then prints its exit status. A
 * `/bin/sh -c SCRIPT NAME ARGS…` job runs the script in the subshell itself (`set -- ARGS…; eval
 * SCRIPT`), without starting another shell.
 *
 * A shell runs one job at a time; up to MAX_SHELLS are kept, and a job starts directly (execFile)
 * when all are busy, when its environment has a name a POSIX shell cannot pass on or another PATH,
 * or when no shell can be had. The results are execFile's: stdout, stderr, and an error for a
 * non-zero exit (`code` = the status), a program or directory that is not there (ENOENT from
 * `spawn`) or output over `maxBuffer`. A shell that stops while it runs a job fails that job (it may
 * have run) rather than running it twice. Shells end when Penguin's process does (their stdin
 * closes) and delete their folder of output files on the way.
 *
 * Defines `shellJob(request, reply)`: false when the job must start directly; otherwise `reply` is
 * called once with `{stdout, stderr, error?}`. Needs `spawn`, `mkdtempSync`, `readFileSync`,
 * `rmSync`, `statSync`, `writeFileSync`, `tmpdir`, `join` and `resolve` in scope. Lines are `\n`-separated
 * JavaScript without template interpolation.
 */
export const SHELL_JOBS_SOURCE = String.raw`
const MAX_SHELLS = 4
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/
const quote = (text) => "'" + String(text).split("'").join("'\\''") + "'"
const shells = new Set()
const idleShells = []
let shellsUsable = true

/** The lines that turn the shell's environment into env (undefined: a shell cannot). */
function environmentChanges(base, env) {
  const lines = []
  for (const key of Object.keys(env)) {
    const value = env[key]
    if (value === undefined) continue
    if (!NAME.test(key)) return undefined
    if (key === 'PATH') {
      if (value !== base.PATH) return undefined
    } else if (base[key] !== value || key === 'PWD' || key === 'OLDPWD') {
      lines.push('export ' + key + '=' + quote(value))
    }
  }
  for (const key of Object.keys(base)) {
    if (env[key] !== undefined) continue
    if (key === 'PATH') return undefined
    lines.push('unset ' + key)
  }
  // cd sets and exports these in the shell itself: the job gets exactly what it was given.
  for (const key of ['PWD', 'OLDPWD']) if (env[key] === undefined && base[key] === undefined) lines.push('unset ' + key)
  return lines
}

function newShell(env) {
  const base = {}
  for (const key of Object.keys(env)) {
    if (env[key] === undefined || key === 'ENV' || key === 'BASH_ENV') continue
    if (!NAME.test(key)) return undefined
    base[key] = env[key]
  }
  const dir = mkdtempSync(join(tmpdir(), 'penguin-checkpoint-sh-'))
  let child
  try {
    child = spawn('/bin/sh', [], { env: base, stdio: ['pipe', 'pipe', 'ignore'] })
  } catch (error) {
    rmSync(dir, { recursive: true, force: true })
    throw error
  }
  const shell = { child, env: base, dir, input: join(dir, 'in'), out: join(dir, 'out'), err: join(dir, 'err'), job: undefined, buffer: '', gone: false }
  const gone = () => {
    if (!shell.gone) shellGone(shell)
  }
  child.on('exit', gone)
  child.on('error', () => {
    if (child.pid === undefined) shellsUsable = false
    gone()
  })
  child.stdin.on('error', () => {})
  child.stdin.write("trap " + quote('rm -rf -- ' + quote(dir)) + " EXIT; trap 'exit 129' HUP; trap 'exit 130' INT; trap 'exit 143' TERM\n")
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
  if (job) job.reply({ error: { message: 'the shell that ran ' + job.file + ' stopped' } })
}

function readOutput(file) {
  try {
    return readFileSync(file)
  } catch {
    return Buffer.alloc(0)
  }
}

function outputSize(file) {
  try {
    return statSync(file).size
  } catch {
    return 0
  }
}

function shellLine(shell, line) {
  const job = shell.job
  if (!job || (line !== 'e' && !line.startsWith('x '))) return
  shell.job = undefined
  idleShells.push(shell)
  const command = [job.file, ...job.args].join(' ')
  if (line === 'e') {
    job.reply({
      error: { message: 'spawn ' + job.file + ' ENOENT', code: 'ENOENT', syscall: 'spawn ' + job.file, killed: false },
    })
    return
  }
  if (outputSize(shell.out) > job.maxBuffer || outputSize(shell.err) > job.maxBuffer) {
    job.reply({ error: { message: 'stdout maxBuffer length exceeded', code: 'ERR_CHILD_PROCESS_STDIO_MAXBUFFER', killed: false } })
    return
  }
  const stdout = readOutput(shell.out)
  const stderr = readOutput(shell.err)
  const status = Number(line.slice(2))
  job.reply({
    stdout,
    stderr,
    error: status === 0 ? undefined : { message: 'Command failed: ' + command + '\n' + stderr.toString('utf8'), code: status, killed: false },
  })
}

function shellJob(request, reply) {
  if (!shellsUsable) return false
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
    try {
      shell = newShell(request.env)
    } catch {
      shellsUsable = false
      return false
    }
    if (!shell) return false
    changes = environmentChanges(shell.env, request.env)
    if (!changes) {
      idleShells.push(shell)
      return false
    }
  }
  let input = '/dev/null'
  if (request.input) {
    try {
      writeFileSync(shell.input, request.input)
    } catch {
      idleShells.push(shell)
      return false
    }
    input = shell.input
  }
  shell.job = { file: request.file, args: request.args, maxBuffer: request.maxBuffer, reply }
  const { file, args } = request
  const script = file === '/bin/sh' && args[0] === '-c' && args.length >= 3
  // sh -c SCRIPT NAME ARGS…: the script runs in the subshell, ARGS its positional parameters.
  const steps = script
    ? [...changes, 'set -- ' + args.slice(3).map(quote).join(' '), 'eval ' + quote(args[1])]
    : [...changes, 'exec ' + [file, ...args].map(quote).join(' ')]
  const startable = script ? '' : ' && command -v ' + quote(file) + ' >/dev/null 2>&1'
  shell.child.stdin.write(
    'if cd -- ' + quote(resolve(request.cwd)) + ' 2>/dev/null' + startable + '; then (\n' + steps.join('\n') +
      '\n) <' + quote(input) + ' >' + quote(shell.out) + ' 2>' + quote(shell.err) + '; echo "x $?"; else echo e; fi\n',
  )
  return true
}
`
