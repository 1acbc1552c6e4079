// `pnpm bench:soak`: the server's memory over one long session. A child `penguin serve --no-auth` on
// 127.0.0.1 (temporary database and root, the scripted mock model behind it) runs one session whose
// model calls `run_command` again and again, each command printing 16 MiB, until 1 GiB of tool
// output has gone through; one SSE client follows the session live, as the web UI would. The
// server's peak resident set size (VmHWM in /proc) is the figure, with a goal of 300 MB. Exits 1
// when the goal is missed. SOAK_MB sets the total (default 1024).
import { spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { startMockServer } from '@penguin-ai/mock-llm'
import { printTable } from './measure.mjs'

const PENGUIN_BIN = fileURLToPath(new URL('../../apps/cli/bin/penguin.js', import.meta.url))
const TOTAL_MB = Number(process.env.SOAK_MB ?? 1024)
const CHUNK_MB = 16
const GOAL_MB = 300
const LINE = 'penguin soak: a line of tool output, 64 bytes long, 0123456789ab'

/** `VmRSS` / `VmHWM` of a process, in MB. */
function memoryOf(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8')
  const field = (name) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0) / 1024
  return { rss: field('VmRSS'), peak: field('VmHWM') }
}

async function startServer(modelUrl) {
  const dir = await mkdtemp(join(tmpdir(), 'penguin-bench-soak-'))
  const root = join(dir, 'root')
  await mkdir(join(root, 'ws'), { recursive: true })
  // The user's config: enough model turns for every command (the default limit is 50).
  await mkdir(join(dir, 'xdg', 'penguin'), { recursive: true })
  await writeFile(join(dir, 'xdg', 'penguin', 'config.json'), JSON.stringify({ maxIterations: 1000 }))
  const args = ['serve', '--no-auth', '--host', '127.0.0.1', '--port', '0', '--root', root]
  args.push('--db', join(dir, 'penguin.db'), '--model', 'openai/gpt-4o', '--base-url', modelUrl)
  const child = spawn(process.execPath, [PENGUIN_BIN, ...args], {
    env: {
      ...process.env,
      OPENAI_API_KEY: 'sk-bench',
      PENGUIN_SERVER: '',
      PENGUIN_LOG_LEVEL: 'warn',
      XDG_CONFIG_HOME: join(dir, 'xdg'),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`penguin serve did not start:\n${output}`)), 30_000)
    child.stdout.setEncoding('utf8').on('data', (chunk) => {
      output += chunk
      const match = /listening on (http:\/\/\S+)/.exec(output)
      if (match) {
        clearTimeout(timer)
        resolve(match[1])
      }
    })
    child.stderr.setEncoding('utf8').on('data', (chunk) => {
      output += chunk
    })
    child.on('exit', (code) => reject(new Error(`penguin serve exited ${code}:\n${output}`)))
  })
  const close = async () => {
    const exited = new Promise((resolve) => child.once('exit', resolve))
    child.kill('SIGTERM')
    await exited
    await rm(dir, { recursive: true, force: true })
  }
  return { url, pid: child.pid, workspace: join(root, 'ws'), close }
}

/** Reads the session's SSE stream until `run.finished`; counts what arrived. */
async function follow(url, sessionId, signal) {
  const response = await fetch(`${url}/api/v1/sessions/${sessionId}/events`, { signal })
  const reader = response.body.getReader()
  const decoder = new TextDecoder()
  let tail = ''
  let bytes = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) throw new Error('the event stream ended before run.finished')
    bytes += value.byteLength
    tail = (tail + decoder.decode(value, { stream: true })).slice(-4096)
    if (tail.includes('event: run.finished\n')) {
      await reader.cancel()
      return {
        bytes,
        status: /"status":"(\w+)"/.exec(tail.slice(tail.lastIndexOf('event: run.finished')))?.[1],
      }
    }
  }
}

export async function soakFigures() {
  const calls = Math.ceil(TOTAL_MB / CHUNK_MB)
  const command = `yes '${LINE}' | head -c ${CHUNK_MB * 1024 * 1024}`
  const mock = await startMockServer({
    script: (_request, index) =>
      index < calls
        ? { toolCalls: [{ name: 'run_command', arguments: { command } }] }
        : { text: `Ran ${calls} commands.` },
  })
  const server = await startServer(mock.url)
  const started = Date.now()
  try {
    const before = memoryOf(server.pid)
    const json = { 'content-type': 'application/json' }
    const created = await fetch(`${server.url}/api/v1/sessions`, {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ workspace: server.workspace, auto_approve: true, title: 'soak' }),
    })
    if (created.status !== 201) throw new Error(`create session: ${created.status} ${await created.text()}`)
    const { id } = await created.json()
    const controller = new AbortController()
    const following = follow(server.url, id, controller.signal)
    const posted = await fetch(`${server.url}/api/v1/sessions/${id}/messages`, {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ content: 'produce a lot of output' }),
    })
    if (posted.status !== 202) throw new Error(`post message: ${posted.status} ${await posted.text()}`)
    const streamed = await following
    const after = memoryOf(server.pid)
    const seconds = (Date.now() - started) / 1000
    return {
      calls,
      outputMb: calls * CHUNK_MB,
      streamedMb: streamed.bytes / 1024 / 1024,
      status: streamed.status,
      seconds,
      startRss: before.rss,
      peakRss: after.peak,
      endRss: after.rss,
    }
  } finally {
    await server.close()
    await mock.close()
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const figures = await soakFigures()
  const ok = figures.peakRss < GOAL_MB && figures.status === 'completed'
  printTable('Penguin server soak', [
    ['figure', 'value', 'goal', ''],
    ['tool output', `${figures.outputMb} MB in ${figures.calls} commands`, '1 GB', ''],
    ['run status', figures.status, 'completed', figures.status === 'completed' ? 'ok' : 'MISS'],
    ['streamed to the SSE client', `${figures.streamedMb.toFixed(0)} MB`, '', ''],
    ['duration', `${figures.seconds.toFixed(1)} s`, '', ''],
    ['server RSS at start', `${figures.startRss.toFixed(0)} MB`, '', ''],
    ['server RSS at end', `${figures.endRss.toFixed(0)} MB`, '', ''],
    ['server peak RSS (VmHWM)', `${figures.peakRss.toFixed(0)} MB`, `< ${GOAL_MB} MB`, ok ? 'ok' : 'MISS'],
  ])
  if (!ok) process.exitCode = 1
}
