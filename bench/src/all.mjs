// `pnpm bench`: every performance figure that can be measured so far, printed as ONE table at the end.
// Each section returns rows { area, figure, value, target?, ok? }; a section that fails becomes a row
// saying so (and the exit code is 1) instead of hiding the others.
import { existsSync } from 'node:fs'
import { measureEngineOverhead, measurePromptSize } from '../dist/index.js'
import { printTable } from './measure.mjs'
import { firstRequestFigures, runRssFigure, startupFigures } from './startup.mjs'

const ms = (value) => `${value.toFixed(value < 1 ? 3 : 1)} ms`

async function startup() {
  const rows = await startupFigures()
  return rows.map((row) => ({
    area: 'CLI startup',
    figure:
      row.name === 'node -e 0' ? 'node -e 0 (median, the baseline)' : `${row.name} (median, over bare node)`,
    value: row.name === 'node -e 0' ? ms(row.median) : `${ms(row.median)} (+${row.overBare.toFixed(1)})`,
    ...(row.name === 'node -e 0' ? {} : { target: '≤ 60 ms over bare node', ok: row.overBare <= 60 }),
  }))
}

async function firstRequest() {
  const rows = await firstRequestFigures()
  return rows.map((row) => ({
    area: 'CLI startup',
    figure: `time to first request: ${row.name.replace('penguin run → first request ', 'penguin run ')} (median, over bare node)`,
    value: `${ms(row.median)} (+${row.overBare.toFixed(1)})${row.cpuMs === undefined ? '' : `, ${row.cpuMs.toFixed(0)} ms CPU`}`,
    target: '≤ 250 ms over bare node',
    ok: row.overBare <= 250,
  }))
}

async function rss() {
  const figure = await runRssFigure()
  return [
    {
      area: 'penguin run',
      figure: `peak RSS, scripted 4-turn task, ${figure.model}`,
      value: `${figure.peakRssMb.toFixed(1)} MB (${figure.wallMs.toFixed(0)} ms)`,
      target: '< 100 MB',
      ok: figure.peakRssMb < 100,
    },
  ]
}

async function engine() {
  const rows = []
  for (const tool of ['todo_write', 'read_file']) {
    const overhead = await measureEngineOverhead({ turns: 50, tool })
    rows.push({
      area: 'engine',
      figure: `Penguin time per turn, instant model, ${overhead.turns} turns calling ${tool} (median of ${overhead.runs})`,
      value: ms(overhead.perTurnMs),
      target: '< 2 ms',
      ok: overhead.perTurnMs < 2,
    })
  }
  return rows
}

async function prompt() {
  const size = await measurePromptSize()
  return [
    { area: 'first turn', figure: 'system prompt (est. tokens)', value: String(size.systemPromptTokens) },
    {
      area: 'first turn',
      figure: `${size.tools} tool schemas (est. tokens)`,
      value: String(size.toolSchemaTokens),
    },
    {
      area: 'first turn',
      figure: 'total sent before the task (est. tokens)',
      value: String(size.totalTokens),
    },
  ]
}

/** The task store's figures, from store.mjs when it is there. */
async function store() {
  if (!existsSync(new URL('./store.mjs', import.meta.url))) return []
  const { storeFigures, taskListFigure } = await import('./store.mjs')
  const rows = await storeFigures()
  const list = await taskListFigure()
  return [
    ...rows.map(([name, value]) => {
      const next = /^nextReadyTask/.test(name)
      return {
        area: 'task store',
        figure: name,
        value: ms(value),
        ...(next ? { target: '< 5 ms', ok: value < 5 } : {}),
      }
    }),
    {
      area: 'task store',
      figure: `whole \`penguin task list --json\` process, ${list.tasks} tasks (median of ${list.runs})`,
      value: `${ms(list.medianMs)} (${(list.bytes / 1024 / 1024).toFixed(1)} MB out)`,
      target: '< 300 ms',
      ok: list.medianMs < 300,
    },
  ]
}

/** Resuming a long session and workspace checkpoints, from sessions.mjs. */
async function sessions() {
  const { sessionFigures } = await import('./sessions.mjs')
  const figures = await sessionFigures()
  const { session, resume, compactedResume, continueRun } = figures
  const size = `${session.messages}-message session (${(session.bytes / 1024 / 1024).toFixed(1)} MB)`
  return [
    {
      area: 'sessions',
      figure: `resume a ${size}: openStore → engine history (median of ${resume.runs})`,
      value: ms(resume.medianMs),
      target: '< 100 ms',
      ok: resume.medianMs < 100,
    },
    {
      area: 'sessions',
      figure: `the same, compacted near its end (${compactedResume.history} messages of history)`,
      value: ms(compactedResume.medianMs),
      target: '< 100 ms',
      ok: compactedResume.medianMs < 100,
    },
    {
      area: 'sessions',
      figure: `whole \`penguin run --continue\` (compacted session) to the first model request (median of ${continueRun.runs})`,
      value: ms(continueRun.medianMs),
    },
    ...figures.checkpoints.map(([name, value]) => {
      const incremental = /^incremental snapshot/.test(name)
      return {
        area: 'checkpoints',
        figure: name,
        value: ms(value),
        ...(incremental ? { target: '< 1 s', ok: value < 1000 } : {}),
      }
    }),
  ]
}

/** The web UI: initial-load size and first render of a 500-message session in Chromium, from web.mjs. */
async function web() {
  const { webFigures } = await import('./web.mjs')
  return webFigures()
}

/** The HTTP API under load (a child `penguin serve`), from api.mjs. */
async function api() {
  const { apiFigures } = await import('./api.mjs')
  return apiFigures()
}

/** What telemetry costs a scripted 50-turn run, off vs on, from telemetry.mjs. */
async function telemetry() {
  const { telemetryFigures, telemetryRows } = await import('./telemetry.mjs')
  return telemetryRows(await telemetryFigures())
}

/** The published package: packed, unpacked and installed by `npm i -g` (size.mjs). */
async function size() {
  const { sizeFigures, sizeRows } = await import('./size.mjs')
  return sizeRows(await sizeFigures())
}

/** Prompt caching over a 30-request session on both native wires (cache.mjs). */
async function cache() {
  const { cacheFigures, cacheRows } = await import('./cache.mjs')
  return cacheRows(await cacheFigures())
}

const sections = {
  startup,
  firstRequest,
  rss,
  engine,
  prompt,
  store,
  sessions,
  api,
  web,
  telemetry,
  size,
  cache,
}
const rows = []
let failed = false
for (const [name, section] of Object.entries(sections)) {
  process.stderr.write(`bench: ${name}…\n`)
  try {
    rows.push(...(await section()))
  } catch (error) {
    failed = true
    rows.push({ area: name, figure: 'FAILED', value: error instanceof Error ? error.message : String(error) })
  }
}

printTable('Penguin performance', [
  ['area', 'figure', 'value', 'target', ''],
  ...rows.map((row) => [
    row.area,
    row.figure,
    row.value,
    row.target ?? '',
    row.ok === undefined ? '' : row.ok ? 'ok' : 'MISS',
  ]),
])
if (failed) process.exit(1)
