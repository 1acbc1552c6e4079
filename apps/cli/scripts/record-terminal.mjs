// Records a chat session of the terminal UI for the docs: `node apps/cli/scripts/record-terminal.mjs`
// (after `pnpm build`). The real `penguin` runs in a pseudo-terminal against the scripted mock model;
// its output is saved as an asciinema cast (docs/media/chat.cast) and the screen, rendered by a
// headless xterm, as SVG screenshots in a dark and a light palette (docs/media/chat-*.svg), and
// those as PNG (svg-to-png.mjs: playwright-core driving /usr/bin/chromium).
import { execFileSync, spawn } from 'node:child_process'
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { startMockServer } from '@penguin-ai/mock-llm'
import xterm from '@xterm/headless'

const COLUMNS = 100
const ROWS = 34
const BIN = fileURLToPath(new URL('../bin/penguin.js', import.meta.url))
const OUT = fileURLToPath(new URL('../../../docs/media/', import.meta.url))
/** The SVG screenshots written, to render to PNG at the end. */
const shots = []

const PALETTES = {
  dark: {
    bg: '#1e1e2e',
    fg: '#d9e0ee',
    colors: [
      '#45475a',
      '#f38ba8',
      '#a6e3a1',
      '#f9e2af',
      '#89b4fa',
      '#f5c2e7',
      '#94e2d5',
      '#bac2de',
      '#585b70',
      '#f38ba8',
      '#a6e3a1',
      '#f9e2af',
      '#89b4fa',
      '#f5c2e7',
      '#94e2d5',
      '#a6adc8',
    ],
  },
  light: {
    bg: '#fbfbfb',
    fg: '#383a42',
    colors: [
      '#383a42',
      '#c8242b',
      '#2f8a2f',
      '#a06800',
      '#2a5bd7',
      '#a626a4',
      '#0f7f8a',
      '#a0a1a7',
      '#4f525e',
      '#e45649',
      '#50a14f',
      '#c18401',
      '#4078f2',
      '#a626a4',
      '#0184bc',
      '#fafafa',
    ],
  },
}

const repo = await mkdtemp(join(tmpdir(), 'penguin-shot-'))
await writeFile(join(repo, 'add.js'), 'export function add(a, b) {\n  return a - b\n}\n')
await writeFile(
  join(repo, 'add.test.js'),
  "import { add } from './add.js'\nif (add(2, 3) !== 5) throw new Error('add is wrong')\n",
)
execFileSync('git', ['init', '-q'], { cwd: repo })
const home = await mkdtemp(join(tmpdir(), 'penguin-shot-home-'))

const mock = await startMockServer({
  script: [
    {
      text: 'The test fails because `add` **subtracts**. I will fix the operator.\n',
      toolCalls: [
        { name: 'edit_file', arguments: { path: 'add.js', old_string: 'a - b', new_string: 'a + b' } },
      ],
    },
    { toolCalls: [{ name: 'run_command', arguments: { command: 'node add.test.js && echo tests pass' } }] },
    {
      text: '## Fixed\n\n- `add.js`: `a - b` → `a + b`\n- `node add.test.js` passes\n\n```js\nexport function add(a, b) {\n  return a + b // was a - b\n}\n```\n',
    },
  ],
})

const command = `stty cols ${COLUMNS} rows ${ROWS}; exec ${[process.execPath, BIN, '--model', 'openai/gpt-4o', '--base-url', mock.url, '--cwd', repo].map((a) => `'${a}'`).join(' ')}`
const child = spawn('script', ['-qfec', command, '/dev/null'], {
  cwd: repo,
  env: {
    PATH: process.env.PATH,
    HOME: home,
    PENGUIN_HOME: join(home, 'data'),
    TERM: 'xterm-256color',
    OPENAI_API_KEY: 'sk-demo',
  },
  stdio: ['pipe', 'pipe', 'pipe'],
})
const term = new xterm.Terminal({ cols: COLUMNS, rows: ROWS, allowProposedApi: true })
const started = Date.now()
const events = []
const waiters = []
child.stdout.setEncoding('utf8').on('data', (chunk) => {
  events.push([(Date.now() - started) / 1000, 'o', chunk])
  term.write(chunk, () => {
    for (const waiter of waiters.splice(0)) waiter()
  })
})
const screenText = () => {
  const buffer = term.buffer.active
  const lines = []
  for (let i = 0; i < buffer.length; i++) lines.push(buffer.getLine(i)?.translateToString(true) ?? '')
  return lines.join('\n')
}
const waitFor = (text) =>
  new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`never saw ${text}:\n${screenText()}`)), 60_000)
    const check = () => {
      if (screenText().includes(text)) {
        clearTimeout(timer)
        resolve()
      } else waiters.push(check)
    }
    check()
  })
const type = (keys) => {
  events.push([(Date.now() - started) / 1000, 'i', keys])
  child.stdin.write(keys)
}

await waitFor('shift+tab: mode')
type('the add test fails, fix it\r')
await waitFor('[w] always in this workspace')
await snapshot('chat-ask')
type('y')
// In the sandbox (the default) the test command runs without asking.
await waitFor('✓ done')
await snapshot('chat-done')
type('\u0004')
await new Promise((resolve) => child.on('close', resolve))
await mock.close()

const header = {
  version: 2,
  width: COLUMNS,
  height: ROWS,
  timestamp: Math.floor(started / 1000),
  env: { TERM: 'xterm-256color', SHELL: '/bin/sh' },
  title: 'penguin chat',
}
await mkdir(OUT, { recursive: true })
await writeFile(
  join(OUT, 'chat.cast'),
  `${[header, ...events.filter((e) => e[1] === 'o')].map((e) => JSON.stringify(e)).join('\n')}\n`,
)
console.log(`wrote ${join(OUT, 'chat.cast')}`)

// PNG copies of the SVGs, rendered by the system's Chromium (see svg-to-png.mjs).
const { svgsToPng } = await import('./svg-to-png.mjs')
for (const out of await svgsToPng(shots)) console.log(`wrote ${out}`)

/** The visible screen as SVG, in a dark and a light palette (the UI uses the terminal's 16 colours only). */
async function snapshot(name) {
  for (const [theme, palette] of Object.entries(PALETTES)) {
    shots.push(join(OUT, `${name}-${theme}.svg`))
    await writeFile(join(OUT, `${name}-${theme}.svg`), svg(palette))
    console.log(`wrote ${join(OUT, `${name}-${theme}.svg`)}`)
  }
}

function svg(palette) {
  const buffer = term.buffer.active
  const cellW = 8.4
  const cellH = 18
  const pad = 14
  const rows = []
  const cell = buffer.getNullCell()
  for (let y = 0; y < ROWS; y++) {
    const line = buffer.getLine(buffer.viewportY + y)
    if (!line) continue
    let spans = ''
    let run = null
    const flush = () => {
      if (!run?.text.trim()) {
        run = null
        return
      }
      const attrs = [`x="${(pad + run.x * cellW).toFixed(1)}"`, `fill="${run.fg}"`]
      if (run.bold) attrs.push('font-weight="bold"')
      if (run.dim) attrs.push('opacity="0.6"')
      if (run.italic) attrs.push('font-style="italic"')
      spans += `<tspan ${attrs.join(' ')}>${escapeXml(run.text)}</tspan>`
      run = null
    }
    for (let x = 0; x < COLUMNS; x++) {
      line.getCell(x, cell)
      const char = cell.getChars() || ' '
      const fg = cell.isFgPalette() ? (palette.colors[cell.getFgColor()] ?? palette.fg) : palette.fg
      const style = {
        fg,
        bold: Boolean(cell.isBold()),
        dim: Boolean(cell.isDim()),
        italic: Boolean(cell.isItalic()),
      }
      const inverse = Boolean(cell.isInverse())
      const key = `${style.fg}|${style.bold}|${style.dim}|${style.italic}|${inverse}`
      if (!run || run.key !== key) {
        flush()
        run = { key, x, text: '', ...style }
      }
      run.text += char
      if (cell.getWidth() === 2) x++
    }
    flush()
    if (spans)
      rows.push(`<text y="${(pad + 13 + y * cellH).toFixed(1)}" xml:space="preserve">${spans}</text>`)
  }
  const width = Math.ceil(pad * 2 + COLUMNS * cellW)
  const height = Math.ceil(pad * 2 + ROWS * cellH)
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img">
<title>penguin chat in a terminal</title>
<rect width="100%" height="100%" rx="8" fill="${palette.bg}"/>
<g font-family="'DejaVu Sans Mono', 'Menlo', 'Consolas', monospace" font-size="14">
${rows.join('\n')}
</g>
</svg>
`
}

function escapeXml(text) {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
}
