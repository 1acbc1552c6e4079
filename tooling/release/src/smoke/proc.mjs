// Child processes for the smoke test: every one has a deadline, and a failure shows its output.
import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { delimiter, dirname, join } from 'node:path'

/** Every child still running, so an interrupted smoke test leaves no registry or server behind. */
const live = new Set()

function track(child) {
  live.add(child)
  child.on('close', () => live.delete(child))
  return child
}

/** Kills every child process tree still running. */
export function killAll() {
  for (const child of live) killTree(child)
}

/**
 * Runs a command to completion. Rejects on a non-zero exit (unless `allowFailure`) or when
 * `timeoutMs` passes (the process tree is killed), with the command's output in the message.
 */
export function run(command, args, { cwd, env, timeoutMs = 120_000, allowFailure = false, input } = {}) {
  return new Promise((resolve, reject) => {
    const child = track(spawn(command, args, { cwd, env, stdio: ['pipe', 'pipe', 'pipe'], detached: true }))
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', (chunk) => {
      stdout += chunk
    })
    child.stderr.setEncoding('utf8').on('data', (chunk) => {
      stderr += chunk
    })
    // A child may exit without reading its input (most do): the pipe is then closed and writing
    // fails with EPIPE, which must not crash the smoke test — the exit code tells what happened.
    child.stdin.on('error', (error) => {
      if (error.code !== 'EPIPE') reject(error)
    })
    child.stdin.end(input ?? '')
    let timedOut = false
    const timer = setTimeout(() => {
      timedOut = true
      killTree(child)
    }, timeoutMs)
    child.on('error', (error) => {
      clearTimeout(timer)
      reject(error)
    })
    child.on('close', (code, signal) => {
      clearTimeout(timer)
      const result = { code, signal, stdout, stderr }
      const line = `${command} ${args.join(' ')}`
      if (timedOut)
        reject(new Error(`timed out after ${timeoutMs / 1000} s: ${line}\n${tail(stdout, stderr)}`))
      else if (code !== 0 && !allowFailure)
        reject(new Error(`exit ${code ?? signal}: ${line}\n${tail(stdout, stderr)}`))
      else resolve(result)
    })
  })
}

/** Starts a long-running process; `waitFor(regex)` resolves with the first stdout match. */
export function start(command, args, { cwd, env } = {}) {
  const child = track(spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true }))
  let stdout = ''
  let stderr = ''
  const waiters = new Set()
  child.stdout.setEncoding('utf8').on('data', (chunk) => {
    stdout += chunk
    for (const waiter of waiters) waiter()
  })
  child.stderr.setEncoding('utf8').on('data', (chunk) => {
    stderr += chunk
  })
  const exited = new Promise((resolve) => child.on('close', (code, signal) => resolve({ code, signal })))
  return {
    child,
    exited,
    output: () => tail(stdout, stderr),
    waitFor(pattern, timeoutMs = 60_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const match = pattern.exec(stdout)
          if (!match) return
          done()
          resolve(match)
        }
        const timer = setTimeout(() => {
          done()
          reject(
            new Error(`no ${pattern} within ${timeoutMs / 1000} s from ${command}\n${tail(stdout, stderr)}`),
          )
        }, timeoutMs)
        const gone = () => {
          done()
          reject(new Error(`${command} exited before printing ${pattern}\n${tail(stdout, stderr)}`))
        }
        const done = () => {
          clearTimeout(timer)
          waiters.delete(check)
          child.off('close', gone)
        }
        waiters.add(check)
        child.on('close', gone)
        check()
      })
    },
    /** SIGTERM, then SIGKILL for the whole tree if it is still there after `graceMs`. */
    async stop(graceMs = 10_000) {
      if (child.exitCode !== null || child.signalCode !== null) return exited
      child.kill('SIGTERM')
      const timer = setTimeout(() => killTree(child), graceMs)
      const result = await exited
      clearTimeout(timer)
      return result
    },
  }
}

function killTree(child) {
  try {
    process.kill(-child.pid, 'SIGKILL')
  } catch {
    child.kill('SIGKILL')
  }
}

function tail(stdout, stderr) {
  const last = (text) => text.split('\n').slice(-40).join('\n')
  return `--- stdout (end)\n${last(stdout)}\n--- stderr (end)\n${last(stderr)}`
}

/** Where an executable is on this machine's PATH (not under any node_modules), or undefined. */
export function which(name) {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir || dir.includes('node_modules')) continue
    if (existsSync(join(dir, name))) return join(dir, name)
  }
  return undefined
}

/**
 * An environment that shares nothing with the monorepo or the user running the test: a fresh
 * HOME, PATH = the install's bin directories + where node/npm/pnpm live on this machine, no
 * NODE_PATH, no npm_config_* or PNPM_* settings inherited. Only machine-wide network settings
 * (proxies, extra CA certificates) pass through.
 */
export function cleanEnv({ home, path = [], vars = {} }) {
  const passThrough = [
    'LANG',
    'LC_ALL',
    'TZ',
    'TMPDIR',
    'NODE_EXTRA_CA_CERTS',
    'SSL_CERT_FILE',
    'http_proxy',
    'https_proxy',
    'HTTP_PROXY',
    'HTTPS_PROXY',
    'no_proxy',
    'NO_PROXY',
  ]
  const env = {}
  for (const key of passThrough) if (process.env[key] !== undefined) env[key] = process.env[key]
  const tools = [
    dirname(process.execPath),
    dirname(which('npm') ?? process.execPath),
    dirname(which('pnpm') ?? process.execPath),
  ]
  const system = ['/usr/local/bin', '/usr/bin', '/bin']
  env.PATH = [...new Set([...path, ...tools, ...system])].join(delimiter)
  env.HOME = home
  env.XDG_CONFIG_HOME = join(home, '.config')
  env.XDG_DATA_HOME = join(home, '.local', 'share')
  env.XDG_CACHE_HOME = join(home, '.cache')
  env.XDG_STATE_HOME = join(home, '.local', 'state')
  env.NO_COLOR = '1'
  env.CI = 'true'
  return { ...env, ...vars }
}
