// `pnpm bench:web`: the web UI's initial-load size (gzip) and the time to first render of a stored
// 500-message session in Chromium. The measuring lives with the UI (packages/web/bench/web.mjs,
// which needs its playwright-core and built assets); this prints its table.
import { fileURLToPath } from 'node:url'
import { webFigures } from '../../packages/web/bench/web.mjs'
import { printTable } from './measure.mjs'

export { webFigures }

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const rows = await webFigures()
  printTable('Penguin web UI', [
    ['figure', 'value', 'target', ''],
    ...rows.map((row) => [
      row.figure,
      row.value,
      row.target ?? '',
      row.ok === undefined ? '' : row.ok ? 'ok' : 'MISS',
    ]),
  ])
}
