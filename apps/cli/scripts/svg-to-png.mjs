// Renders the terminal screenshots (docs/media/*.svg, written by record-terminal.mjs) to PNG beside
// them, for places that do not show SVG (package registries, some chat apps and previews):
// `node apps/cli/scripts/svg-to-png.mjs [file.svg …]`. Uses playwright-core with the system's
// Chromium (PENGUIN_CHROMIUM, default /usr/bin/chromium); it never downloads a browser.
import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { chromium } from 'playwright-core'

const MEDIA = fileURLToPath(new URL('../../../docs/media/', import.meta.url))
const CHROMIUM = process.env.PENGUIN_CHROMIUM ?? '/usr/bin/chromium'

/** Twice the SVG's size: sharp on high-density screens, still small files. */
const SCALE = 2

export async function svgsToPng(files) {
  const browser = await chromium.launch({ executablePath: CHROMIUM })
  try {
    const written = []
    for (const file of files) {
      const svg = await readFile(file, 'utf8')
      const size = /<svg[^>]*\bwidth="(\d+)"[^>]*\bheight="(\d+)"/.exec(svg)
      if (!size) throw new Error(`${file}: no width/height on the <svg> element`)
      const [width, height] = [Number(size[1]), Number(size[2])]
      const page = await browser.newPage({ viewport: { width, height }, deviceScaleFactor: SCALE })
      await page.setContent(
        `<!doctype html><html><body style="margin:0;background:transparent">${svg}</body></html>`,
      )
      // The monospace font must be in before the picture is taken.
      await page.evaluate(() => document.fonts.ready)
      const out = file.replace(/\.svg$/, '.png')
      await page.screenshot({ path: out, omitBackground: true, clip: { x: 0, y: 0, width, height } })
      await page.close()
      written.push(out)
    }
    return written
  } finally {
    await browser.close()
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const given = process.argv.slice(2)
  const files = given.length
    ? given
    : (await readdir(MEDIA)).filter((name) => name.endsWith('.svg')).map((name) => join(MEDIA, name))
  for (const out of await svgsToPng(files)) console.log(`wrote ${out}`)
}
