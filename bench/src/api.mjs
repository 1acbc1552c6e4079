// `pnpm bench:api`: the HTTP API under load. A child `penguin serve --no-auth` on 127.0.0.1 with a
// temporary database and root (the scripted mock model behind it), then:
//   - p50/p95/p99 latency of GET and POST /api/v1/sessions at 50 connections (autocannon);
//   - how long one event takes to reach 100 SSE subscribers (the SDK's client.events()).
// Exported as `apiFigures()` for all.mjs; run directly, it prints its own table.
import { spawn } from 'node:child_process'
import { mkdir, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { startMockServer } from '@penguin-ai/mock-llm'
import { PenguinClient } from '@penguin-ai/sdk'
import autocannon from 'autocannon'
import { printTable } from './measure.mjs'

const PENGUIN_BIN = fileURLToPath(new URL('../../apps/cli/bin/penguin.js', import.meta.url))
const CONNECTIONS = 50
const DURATION_S = 5
const SUBSCRIBERS = 100
const FANOUT_RUNS = 5

/** A `penguin serve` child on an ephemeral port; resolves once it says where it listens. */
async function startServer(modelUrl) {
  const dir = await mkdtemp(join(tmpdir(), 'penguin-bench-api-'))
  const root = join(dir, 'root')
  await mkdir(join(root, 'ws'), { recursive: true })
  const args = ['serve', '--no-auth', '--host', '127.0.0.1', '--port', '0', '--root', root]
  args.push('--db', join(dir, 'penguin.db'), '--model', 'openai/gpt-4o', '--base-url', modelUrl)
  const child = spawn(process.execPath, [PENGUIN_BIN, ...args], {
    env: { ...process.env, OPENAI_API_KEY: 'sk-bench', PENGUIN_SERVER: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`penguin serve did not start:\n${output}`)), 20_000)
    const onData = (chunk) => {
      output += chunk
      const match = /listening on (http:\/\/\S+)/.exec(output)
      if (match) {
        clearTimeout(timer)
        resolve(match[1])
      }
    }
    child.stdout.setEncoding('utf8').on('data', onData)
    child.stderr.setEncoding('utf8').on('data', onData)
    child.on('exit', (code) => reject(new Error(`penguin serve exited ${code}:\n${output}`)))
  })
  const close = async () => {
    const exited = new Promise((resolve) => child.once('exit', resolve))
    child.kill('SIGTERM')
    await exited
    await rm(dir, { recursive: true, force: true })
  }
  return { url, workspace: join(root, 'ws'), close }
}

function percentile(sorted, p) {
  if (sorted.length === 0) return Number.NaN
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]
}

/** autocannon at CONNECTIONS for DURATION_S, with every response time kept (for p95). */
async function load(options, connections = CONNECTIONS, duration = DURATION_S) {
  await autocannon({ ...options, connections, duration: 1 }) // warm-up
  const times = []
  const instance = autocannon({ ...options, connections, duration })
  instance.on('response', (_client, status, _bytes, ms) => {
    if (status < 400) times.push(ms)
  })
  const result = await instance
  if (result.errors > 0 || result.non2xx > 0) {
    throw new Error(
      `${options.method} ${options.url}: ${result.errors} errors, ${result.non2xx} non-2xx responses`,
    )
  }
  times.sort((a, b) => a - b)
  return {
    requests: times.length,
    rps: result.requests.average,
    p50: percentile(times, 50),
    p95: percentile(times, 95),
    p99: percentile(times, 99),
  }
}

/** Per-event delay from the engine emitting it (its `time`) to the 100th subscriber reading it. */
async function fanout(url, workspace, mock) {
  const client = new PenguinClient({ baseUrl: url })
  const session = await client.sessions.create({ workspace, auto_approve: true })
  const received = new Map() // event id → { time, arrivals: number[] }
  const streams = Array.from({ length: SUBSCRIBERS }, () => client.events({ sessionId: session.id }))
  await Promise.all(streams.map((stream) => stream.connected()))
  const readers = streams.map(async (stream) => {
    for await (const event of stream) {
      const now = performance.timeOrigin + performance.now()
      if (event.event !== 'text.delta') continue
      const entry = received.get(event.id) ?? { time: event.data.time, arrivals: [] }
      entry.arrivals.push(now)
      received.set(event.id, entry)
    }
  })
  for (let run = 0; run < FANOUT_RUNS; run++) {
    mock.push({ text: 'x'.repeat(240), chunkDelayMs: 25 })
    await client.sessions.run(session.id, `run ${run}`)
  }
  // Let the slowest subscriber drain, then stop them all.
  await new Promise((resolve) => setTimeout(resolve, 200))
  for (const stream of streams) stream.close()
  await Promise.all(readers)
  const delays = [...received.values()]
    .filter((entry) => entry.arrivals.length === SUBSCRIBERS)
    .map((entry) => Math.max(...entry.arrivals) - entry.time)
    .sort((a, b) => a - b)
  const incomplete = received.size - delays.length
  if (delays.length === 0 || incomplete > 0) throw new Error(`${incomplete} events missed some subscribers`)
  return {
    events: delays.length,
    p50: percentile(delays, 50),
    p95: percentile(delays, 95),
    max: delays.at(-1),
  }
}

const ms = (value) => `${value.toFixed(2)} ms`

/** The rows of the performance table. */
export async function apiFigures() {
  const mock = await startMockServer({ script: [] })
  const server = await startServer(mock.url)
  try {
    const client = new PenguinClient({ baseUrl: server.url })
    for (let i = 0; i < 20; i++) await client.sessions.create({ workspace: server.workspace })
    const get = { url: `${server.url}/api/v1/sessions?limit=20`, method: 'GET' }
    const post = {
      url: `${server.url}/api/v1/sessions`,
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ workspace: server.workspace }),
    }
    // GET first, while the table holds the 20 seeded sessions (POST adds thousands).
    const list = await load(get)
    const listAlone = await load(get, 1, 3)
    const create = await load(post)
    const createAlone = await load(post, 1, 3)
    const spread = await fanout(server.url, server.workspace, mock)
    const latency = (name, r, connections = CONNECTIONS) => ({
      area: 'API',
      figure: `${name}, ${connections} connection${connections === 1 ? '' : 's'} (${Math.round(r.rps)} req/s): p50 / p95 / p99`,
      value: `${ms(r.p50)} / ${ms(r.p95)} / ${ms(r.p99)}`,
      ...(connections === CONNECTIONS ? { target: 'p95 < 10 ms', ok: r.p95 < 10 } : {}),
    })
    return [
      latency('GET /api/v1/sessions (20 items)', list),
      latency('POST /api/v1/sessions', create),
      latency('GET /api/v1/sessions (20 items)', listAlone, 1),
      latency('POST /api/v1/sessions', createAlone, 1),
      {
        area: 'API',
        figure: `one event to all ${SUBSCRIBERS} SSE subscribers (${spread.events} events): p50 / p95 / max`,
        value: `${ms(spread.p50)} / ${ms(spread.p95)} / ${ms(spread.max)}`,
        target: 'p95 < 50 ms',
        ok: spread.p95 < 50,
      },
    ]
  } finally {
    await server.close()
    await mock.close()
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const rows = await apiFigures()
  printTable('Penguin API', [
    ['figure', 'value', 'target', ''],
    ...rows.map((row) => [
      row.figure,
      row.value,
      row.target ?? '',
      row.ok === undefined ? '' : row.ok ? 'ok' : 'MISS',
    ]),
  ])
}
