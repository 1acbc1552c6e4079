// The web UI's figures for `pnpm bench:web` (bench/src/web.mjs) and `pnpm bench`'s table:
//   - the gzip size of the initial load: index.html plus every script and stylesheet it loads
//     (target < 250 kB);
//   - the time to first render of a stored 500-message session in Chromium: from navigation start
//     to the first frame painted after the conversation is in the DOM, measured by the app's own
//     performance marks, with a fresh browser context (cold cache) each time (target < 500 ms).
// Needs the built UI (dist/app) and the built server packages; run directly, it prints its table.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { gzipSync } from 'node:zlib'
import { chromium } from 'playwright-core'
import { webAssetsDir } from '../dist/assets.js'
import { startPenguinServer } from './penguin-server.mjs'
import { seedSession } from './seed-session.mjs'

export const MESSAGES = 500
const RUNS = Number(process.env.BENCH_RUNS ?? 7)
const CHROMIUM = process.env.PENGUIN_CHROMIUM ?? '/usr/bin/chromium'

/** The files a first visit downloads, with their raw and gzip sizes. */
export function initialLoad(dir = webAssetsDir()) {
  const html = readFileSync(join(dir, 'index.html'), 'utf8')
  const refs = [...html.matchAll(/<(?:script|link)\b[^>]*?(?:src|href)="\/([^"]+)"[^>]*>/g)]
    .filter((match) => /\.(?:js|css)$/.test(match[1]) || /rel="modulepreload"/.test(match[0]))
    .map((match) => match[1])
  const files = [{ path: 'index.html', body: Buffer.from(html) }]
  for (const path of new Set(refs)) files.push({ path, body: readFileSync(join(dir, path)) })
  const sized = files.map(({ path, body }) => ({
    path,
    bytes: body.byteLength,
    gzip: gzipSync(body, { level: 9 }).byteLength,
  }))
  return {
    files: sized,
    bytes: sized.reduce((sum, file) => sum + file.bytes, 0),
    gzip: sized.reduce((sum, file) => sum + file.gzip, 0),
  }
}

/** Navigation → painted, and data-in → painted, for a stored session of `messages` messages. */
export async function firstRender({ messages = MESSAGES, runs = RUNS } = {}) {
  const server = await startPenguinServer()
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
  })
  try {
    const session = seedSession(server.store, server.workspace, messages)
    const url = `${server.url}/sessions/${session.id}`
    const samples = []
    for (let run = 0; run < runs + 1; run++) {
      const context = await browser.newContext({ viewport: { width: 1280, height: 860 } })
      const page = await context.newPage()
      const errors = []
      page.on('pageerror', (error) => errors.push(error.message))
      await page.goto(url)
      await page.waitForFunction(
        () => performance.getEntriesByName('penguin:session-painted').length > 0,
        null,
        {
          timeout: 30_000,
        },
      )
      const marks = await page.evaluate(() => {
        const at = (name) => performance.getEntriesByName(name)[0]?.startTime ?? Number.NaN
        return {
          data: at('penguin:session-data'),
          rendered: at('penguin:session-rendered'),
          painted: at('penguin:session-painted'),
          items: document.querySelectorAll('.messages > li').length,
        }
      })
      await context.close()
      if (errors.length > 0) throw new Error(`the page failed: ${errors.join('; ')}`)
      if (run > 0) samples.push(marks) // the first visit warms the server and the browser process
    }
    return {
      messages,
      items: samples[0]?.items ?? 0,
      runs: samples.length,
      paintedMs: median(samples.map((s) => s.painted)),
      renderMs: median(samples.map((s) => s.painted - s.data)),
    }
  } finally {
    await browser.close()
    await server.close()
  }
}

/** Rows for bench/src/all.mjs: { area, figure, value, target, ok }. */
export async function webFigures() {
  const load = initialLoad()
  const render = await firstRender()
  const kb = (bytes) => `${(bytes / 1024).toFixed(1)} kB`
  return [
    {
      area: 'web UI',
      figure: `initial load, gzip -9 (${load.files.length} files: ${load.files.map((f) => f.path.replace(/^assets\//, '')).join(', ')})`,
      value: `${kb(load.gzip)} (${kb(load.bytes)} raw)`,
      target: '< 250 kB',
      ok: load.gzip < 250 * 1024,
    },
    {
      area: 'web UI',
      figure: `first render of a ${render.messages}-message session (${render.items} items), navigation → painted, Chromium (median of ${render.runs})`,
      value: ms(render.paintedMs),
      target: '< 500 ms',
      ok: render.paintedMs < 500,
    },
    {
      area: 'web UI',
      figure: 'of which: messages received → painted (React render, layout, paint)',
      value: ms(render.renderMs),
    },
  ]
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}

function ms(value) {
  return `${value.toFixed(1)} ms`
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  for (const row of await webFigures()) {
    console.log(
      `${row.figure}: ${row.value}${row.target ? ` (target ${row.target}: ${row.ok ? 'ok' : 'MISS'})` : ''}`,
    )
  }
}
