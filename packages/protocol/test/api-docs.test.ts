import { execFileSync } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { expect, test } from 'vitest'
import { ROUTES } from '../src/api.js'
import { routeTable } from './route-table.js'

const repo = fileURLToPath(new URL('../../../', import.meta.url))
const docPath = `${repo}docs/api.md`
const BLOCK = /(<!-- routes:start -->\n)([\s\S]*?)(<!-- routes:end -->)/

/** Cells trimmed and separator rows collapsed: Biome pads Markdown tables, which is no difference. */
function normalize(table: string): string {
  return table
    .trim()
    .split('\n')
    .map((line) =>
      line
        .trim()
        .split(/(?<!\\)\|/)
        .map((cell) => cell.trim().replace(/^-+$/, '---'))
        .join('|'),
    )
    .join('\n')
}

test("docs/api.md's route table is the declarations' (UPDATE_README=1 rewrites it)", () => {
  const doc = readFileSync(docPath, 'utf8')
  const block = BLOCK.exec(doc)
  expect(block, 'docs/api.md has <!-- routes:start --> … <!-- routes:end -->').not.toBeNull()
  const expected = routeTable(ROUTES)
  if (process.env.UPDATE_README && normalize(block![2]!) !== normalize(expected)) {
    writeFileSync(
      docPath,
      doc.replace(BLOCK, (_, start, _old, end) => `${start}${expected}\n${end}`),
    )
    execFileSync('pnpm', ['exec', 'biome', 'format', '--write', docPath], { cwd: repo, stdio: 'ignore' })
    return
  }
  expect(
    normalize(block![2]!),
    'run UPDATE_README=1 pnpm --filter @penguin-ai/protocol exec vitest run test/api-docs.test.ts',
  ).toBe(normalize(expected))
})

test('every route is declared once, under a path of its own', () => {
  const keys = ROUTES.map((route) => `${route.method} ${route.root ? '' : 'api'}${route.path}`)
  expect(new Set(keys).size).toBe(keys.length)
  for (const route of ROUTES) {
    const placeholders = [...route.path.matchAll(/\{([^}]+)\}/g)].map((match) => match[1])
    expect(Object.keys(route.params?.shape ?? {}).sort(), `${route.method} ${route.path}`).toEqual(
      placeholders.sort(),
    )
  }
})
