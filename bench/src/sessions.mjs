// `pnpm bench:sessions`: resuming a long session, and workspace checkpoints.
// Targets (sessions issue): resuming a 1,000-message session under 100 ms (opening the store to the
// engine's history ready); an incremental checkpoint of a 5,000-file repository under 1 s.
//
// `sessionFigures()` returns the figures for `pnpm bench`'s table; run this file to print them.
import { spawn } from 'node:child_process'
import { mkdir, mkdtemp, realpath, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { startMockServer } from '@penguin-ai/mock-llm'
import { toEngineHistory } from '@penguin-ai/sessions'
import { openStore } from '@penguin-ai/store'
import { median, printTable } from './measure.mjs'
import { checkpointFigures } from './sessions-checkpoint.mjs'

const PENGUIN = fileURLToPath(new URL('../../apps/cli/bin/penguin.js', import.meta.url))
export const MESSAGES = 1_000
const RESUME_RUNS = Number(process.env.BENCH_RUNS ?? 51)
const PROCESS_RUNS = Number(process.env.BENCH_RUNS ?? 11)
/** Where the compacted session's summary sits, and how many messages before it it keeps verbatim. */
const SUMMARY_AT = 960
const SUMMARY_KEEPS = 6

/** About 3.6 KB of code, different for every `n`: what a read_file result looks like. */
function fileContent(n) {
  const lines = [`// src/feature-${n}.ts`, `import { db } from '../db.js'`, '']
  for (let i = 0; lines.join('\n').length < 3_600; i++)
    lines.push(
      `export async function handler${n}_${i}(id: number): Promise<number> {`,
      `  const row = await db.get('SELECT total FROM orders WHERE id = ?', id + ${i})`,
      `  return row ? row.total * ${n + i} : 0`,
      '}',
    )
  return `${lines.join('\n')}\n`
}

/**
 * The messages of a long agent session, as the recorder stores them: a prompt, then turns of an
 * assistant message calling read_file and its result, with a follow-up prompt every 40 messages,
 * ending with an answer: about 1.9 MB of parts for 1,000 messages. With `compactedAt`, a compaction
 * summary (keeping the `SUMMARY_KEEPS` messages before it) stands at that position.
 */
export function sessionMessages(count = MESSAGES, compactedAt = undefined) {
  const messages = [{ role: 'user', parts: [{ type: 'text', text: 'Review every feature module.' }] }]
  let call = 0
  let nextPrompt = 40
  while (messages.length < count - 1) {
    const at = messages.length
    if (compactedAt !== undefined && at >= compactedAt && !messages.some(isSummary)) {
      const text = `## Goal\nReview every feature module.\n## Files touched\n${'- src/feature-N.ts: read\n'.repeat(40)}`
      messages.push({ role: 'user', parts: [{ type: 'summary', text, keptMessages: SUMMARY_KEEPS }] })
    } else if (at >= nextPrompt || at + 2 > count - 1) {
      nextPrompt += 40
      messages.push({ role: 'user', parts: [{ type: 'text', text: `Carry on from module ${call}.` }] })
    } else {
      call++
      const id = `call_${call}`
      messages.push(
        {
          role: 'assistant',
          parts: [
            { type: 'text', text: `Module ${call - 1} is fine. Next, src/feature-${call}.ts: `.repeat(4) },
            { type: 'tool_call', id, name: 'read_file', arguments: `{"path":"src/feature-${call}.ts"}` },
          ],
          model: 'gpt-4o',
          inputTokens: 20_000,
          outputTokens: 60,
          costUsd: 0.05,
        },
        {
          role: 'tool',
          parts: [
            {
              type: 'tool_result',
              toolCallId: id,
              name: 'read_file',
              content: fileContent(call),
              isError: false,
            },
          ],
        },
      )
    }
  }
  messages.push({
    role: 'assistant',
    parts: [{ type: 'text', text: 'All modules reviewed.' }],
    model: 'gpt-4o',
  })
  return messages
}

const isSummary = (message) => message.parts.some((part) => part.type === 'summary')

/** A database holding one stored session per workspace given: `{ name: { workspace, compactedAt } }`. */
async function sessionsDatabase(dir, sessions) {
  const path = join(dir, 'penguin.db')
  const store = openStore({ path })
  const made = {}
  try {
    for (const [name, { workspace, compactedAt }] of Object.entries(sessions)) {
      const session = store.createSession({ workspace, model: 'openai/gpt-4o', title: name })
      const messages = sessionMessages(MESSAGES, compactedAt)
      for (let start = 0; start < messages.length; start += 100)
        store.appendMessages(session.id, messages.slice(start, start + 100))
      const bytes = messages.reduce((sum, message) => sum + JSON.stringify(message.parts).length, 0)
      made[name] = { id: session.id, messages: messages.length, bytes }
    }
  } finally {
    store.close()
  }
  return { path, made }
}

/** What `--continue` does before the engine starts, timed in parts: open, find, read, convert. */
function resumeOnce(path, workspace) {
  const t0 = performance.now()
  const store = openStore({ path })
  try {
    const t1 = performance.now()
    const session = store.latestSession(workspace)
    const stored = store.listMessages(session.id)
    const t2 = performance.now()
    const history = toEngineHistory(stored)
    const t3 = performance.now()
    return { total: t3 - t0, open: t1 - t0, read: t2 - t1, convert: t3 - t2, history: history.length }
  } finally {
    store.close()
  }
}

/** Median resume times over `runs` (after one warm-up) of the session stored for `workspace`. */
function resumeFigure(path, workspace, runs = RESUME_RUNS) {
  const first = resumeOnce(path, workspace)
  const samples = Array.from({ length: runs }, () => resumeOnce(path, workspace))
  const of = (key) => median(samples.map((sample) => sample[key]))
  return {
    medianMs: of('total'),
    openMs: of('open'),
    readMs: of('read'),
    convertMs: of('convert'),
    history: first.history,
    runs,
  }
}

/**
 * The whole `penguin run --continue` process up to the model: from spawn until the mock server
 * receives the first chat request (the model answers at once and the run ends).
 */
async function continueFigure(dir, dbPath, workspace, runs = PROCESS_RUNS) {
  let started = 0n
  let firstRequest
  const server = await startMockServer({
    script: () => {
      firstRequest ??= Number(process.hrtime.bigint() - started) / 1e6
      return { text: 'Nothing else to do.' }
    },
  })
  const once = () =>
    new Promise((resolve, reject) => {
      firstRequest = undefined
      started = process.hrtime.bigint()
      const child = spawn(
        process.execPath,
        [
          PENGUIN,
          'run',
          '--continue',
          '--yes',
          '--model',
          'openai/gpt-4o',
          '--base-url',
          server.url,
          'go on',
        ],
        {
          cwd: workspace,
          stdio: ['ignore', 'ignore', 'pipe'],
          env: {
            ...process.env,
            PENGUIN_DB: dbPath,
            PENGUIN_HOME: join(dir, 'home'),
            OPENAI_API_KEY: 'bench',
            NO_COLOR: '1',
          },
        },
      )
      let stderr = ''
      child.stderr.on('data', (chunk) => {
        stderr += chunk
      })
      child.on('error', reject)
      child.on('close', (code) => {
        if (code !== 0 || firstRequest === undefined)
          reject(new Error(`penguin run --continue exited ${code}: ${stderr.trim()}`))
        else resolve({ ms: firstRequest, messages: server.requests.at(-1)?.body?.messages.length ?? 0 })
      })
    })
  try {
    const warm = await once()
    const times = []
    for (let i = 0; i < runs; i++) times.push((await once()).ms)
    return { medianMs: median(times), runs, sent: warm.messages }
  } finally {
    await server.close()
  }
}

/** Every figure of this file: `{ resume, compactedResume, continueRun, checkpoints, session }`. */
export async function sessionFigures() {
  const dir = await mkdtemp(join(tmpdir(), 'penguin-bench-sessions-'))
  try {
    const full = await realpath(await mkdirp(join(dir, 'full')))
    const compacted = await realpath(await mkdirp(join(dir, 'compacted')))
    const db = await sessionsDatabase(dir, {
      full: { workspace: full },
      compacted: { workspace: compacted, compactedAt: SUMMARY_AT },
    })
    const resume = resumeFigure(db.path, full)
    const compactedResume = resumeFigure(db.path, compacted)
    // Every run adds its prompt and answer to the session: 2 of 1,000+ messages, left in place.
    const continueRun = await continueFigure(dir, db.path, compacted)
    const checkpoints = await checkpointFigures()
    return { session: db.made.full, resume, compactedResume, continueRun, checkpoints }
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}

async function mkdirp(path) {
  await mkdir(path, { recursive: true })
  return path
}

const fixed = (ms) => ms.toFixed(ms < 10 ? 2 : 1)

async function main() {
  const figures = await sessionFigures()
  const { session, resume, compactedResume, continueRun } = figures
  const size = `${session.messages} messages, ${(session.bytes / 1024 / 1024).toFixed(1)} MB of parts`
  printTable(`Resuming a session (median of ${resume.runs}; target: < 100 ms)`, [
    ['session', 'total ms', 'openStore', 'find + listMessages', 'toEngineHistory', 'history'],
    [
      `${size}, never compacted`,
      fixed(resume.medianMs),
      fixed(resume.openMs),
      fixed(resume.readMs),
      fixed(resume.convertMs),
      `${resume.history} messages`,
    ],
    [
      `${size}, compacted at ${SUMMARY_AT}`,
      fixed(compactedResume.medianMs),
      fixed(compactedResume.openMs),
      fixed(compactedResume.readMs),
      fixed(compactedResume.convertMs),
      `${compactedResume.history} messages`,
    ],
  ])
  printTable(
    `Whole \`penguin run --continue\` process up to the first model request (median of ${continueRun.runs})`,
    [
      ['session', 'ms', 'messages sent'],
      [`${size}, compacted at ${SUMMARY_AT}`, fixed(continueRun.medianMs), String(continueRun.sent)],
    ],
  )
  printTable('Workspace checkpoints (target: incremental snapshot < 1000 ms)', [
    ['operation', 'ms'],
    ...figures.checkpoints.map(([name, ms]) => [name, ms.toFixed(1)]),
  ])
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main()
