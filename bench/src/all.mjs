// `pnpm bench`: every performance figure that can be measured so far, printed as ONE table at the end.
// Each section returns rows { area, figure, value, target?, ok? }; a section that fails becomes a row
// saying so (and the exit code is 1) instead of hiding the others.
//
// Not measurable yet (their issues have not landed): API latency percentiles (server), web bundle
// size (web UI).
import { existsSync } from 'node:fs'
import { measureEngineOverhead, measurePromptSize } from '../dist/index.js'
import { printTable } from './measure.mjs'
import { runRssFigure, startupFigures } from './startup.mjs'

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

async function rss() {
  const figure = await runRssFigure()
  return [
    {
      area: 'penguin run',
      figure: 'peak RSS, scripted 4-turn task',
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
  const { storeFigures } = await import('./store.mjs')
  const rows = await storeFigures()
  return rows.map(([name, value]) => {
    const next = /^nextReadyTask/.test(name)
    return {
      area: 'task store',
      figure: name,
      value: ms(value),
      ...(next ? { target: '< 5 ms', ok: value < 5 } : {}),
    }
  })
}

const sections = { startup, rss, engine, prompt, store }
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
