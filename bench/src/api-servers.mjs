// The servers bench:api measures, as child processes: \`penguin serve\` (auth on, one token, temp
// root and database) and the floor (api-floor.mjs), each preloaded with report-pauses.mjs so its GC
// pauses, event-loop stalls and CPU waits reach the bench.
import { execFile, spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { mkdir, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'

const PENGUIN_BIN = fileURLToPath(new URL('../../apps/cli/bin/penguin.js', import.meta.url))
const PAUSES = fileURLToPath(new URL('./report-pauses.mjs', import.meta.url))
/** High enough that the load never trips it, so the limiter's own cost is part of what is measured. */
const RATE_LIMIT = '100000000/min'

/**
 * A child Node process serving HTTP (its server script preloaded with report-pauses.mjs); resolves
 * once it prints where it listens. `pauses` collects the long GCs and event-loop stalls it reports,
 * `sched` its main thread's CPU time and wait for a CPU (cpu-wait.mjs samples).
 */
export async function startChild(args, env = process.env) {
  const child = spawn(process.execPath, ['--import', PAUSES, ...args], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  const pauses = []
  const sched = []
  let partial = ''
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${args[0]} did not start:\n${output}`)), 60_000)
    const onData = (chunk) => {
      if (output.length < 100_000 && !chunk.startsWith('SCHED ')) output += chunk
      const lines = (partial + chunk).split('\n')
      partial = lines.pop() ?? ''
      for (const line of lines) {
        const pause = /^PAUSE (\w+) ([\d.]+) ([\d.]+) ([\w-]+)$/.exec(line)
        if (pause)
          pauses.push({ what: pause[1], start: Number(pause[2]), ms: Number(pause[3]), kind: pause[4] })
        const sample = /^SCHED ([\d.]+) ([\d.]+) ([\d.]+)$/.exec(line)
        if (sample) sched.push([Number(sample[1]), Number(sample[2]), Number(sample[3])])
      }
      const match = /listening on (http:\/\/\S+)/.exec(output)
      if (match) {
        clearTimeout(timer)
        resolve(match[1])
      }
    }
    child.stdout.setEncoding('utf8').on('data', onData)
    child.stderr.setEncoding('utf8').on('data', onData)
    child.on('exit', (code) => reject(new Error(`${args[0]} exited ${code}:\n${output}`)))
  })
  const close = async () => {
    if (child.exitCode !== null) return
    const exited = new Promise((resolve) => child.once('exit', resolve))
    child.kill('SIGTERM')
    await exited
  }
  return { url, pid: child.pid, pauses, sched, close }
}

/** `penguin serve` with auth on and one token, its root and database in a temp directory. */
export async function startPenguin(modelUrl) {
  const dir = await mkdtemp(join(tmpdir(), 'penguin-bench-api-'))
  const root = join(dir, 'root')
  const db = join(dir, 'penguin.db')
  await mkdir(join(root, 'ws'), { recursive: true })
  const env = { ...process.env, OPENAI_API_KEY: 'sk-bench', PENGUIN_SERVER: '', PENGUIN_LOG_LEVEL: 'warn' }
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [PENGUIN_BIN, 'token', 'create', '--name', 'bench', '--db', db],
    { env },
  )
  const token = stdout.trim()
  const args = [PENGUIN_BIN, 'serve', '--host', '127.0.0.1', '--port', '0', '--root', root, '--db', db]
  args.push('--model', 'openai/gpt-4o', '--base-url', modelUrl, '--rate-limit', RATE_LIMIT)
  const server = await startChild(args, env)
  return {
    ...server,
    token,
    workspace: join(root, 'ws'),
    async close() {
      await server.close()
      await rm(dir, { recursive: true, force: true })
    },
  }
}
/** Peak resident set size of a process so far (Linux's VmHWM), in MiB; undefined elsewhere. */
export function peakRssMiB(pid) {
  try {
    const kb = Number(/^VmHWM:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1])
    return Number.isFinite(kb) ? kb / 1024 : undefined
  } catch {
    return undefined
  }
}
