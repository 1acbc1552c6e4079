// `pnpm bench:cache`: how much of a 30-request scripted session (six prompts, each a few tool calls on
// a real workspace and an answer) the providers' prompt caches serve, on the Anthropic Messages wire
// and the OpenAI Responses wire, against @penguin-ai/mock-llm's simulated caches over HTTP; and what
// the session costs at catalogue prices with the cache and as if every input token were fresh.
// Target (issue 11): at least 85% of input tokens served from cache on both wires.
// Not in the package index: the CLI's `penguin bench` loads that, and it must not carry the mock.
import { measurePromptCache } from '../dist/perf/prompt-cache.js'
import { printTable } from './measure.mjs'

const TURNS = Number(process.env.BENCH_CACHE_TURNS ?? 30)
const TARGET = 0.85

export async function cacheFigures(turns = TURNS) {
  const rows = []
  for (const wire of ['anthropic', 'responses']) rows.push(await measurePromptCache({ wire, turns }))
  return rows
}

const usd = (value) => `$${value.toFixed(4)}`
const pct = (value) => `${(100 * value).toFixed(1)}%`

/** Rows for `pnpm bench`'s one table. */
export function cacheRows(rows) {
  return rows.map((row) => ({
    area: 'prompt cache',
    figure: `${row.wire} wire (${row.model}), ${row.requests}-request session: input served from cache; cost with / without`,
    value: `${pct(row.cacheShare)}; ${usd(row.costWithCache)} / ${usd(row.costWithoutCache)}`,
    target: `≥ ${pct(TARGET)}`,
    ok: row.cacheShare >= TARGET,
  }))
}

async function main() {
  const rows = await cacheFigures()
  printTable(`Prompt caching over a ${TURNS}-request session (mock provider caches)`, [
    [
      'wire',
      'model',
      'requests',
      'input tokens',
      'cache read',
      'cache write',
      'from cache',
      'cost',
      'cost without cache',
      'saved',
      `≥ ${pct(TARGET)}`,
    ],
    ...rows.map((row) => [
      row.wire,
      row.model,
      row.requests,
      row.inputTokens,
      row.cacheReadTokens,
      row.cacheWriteTokens,
      pct(row.cacheShare),
      usd(row.costWithCache),
      usd(row.costWithoutCache),
      pct(1 - row.costWithCache / row.costWithoutCache),
      row.cacheShare >= TARGET ? 'ok' : 'MISSED',
    ]),
  ])
  if (rows.some((row) => row.cacheShare < TARGET)) process.exitCode = 1
}

if (import.meta.url === `file://${process.argv[1]}`) await main()
