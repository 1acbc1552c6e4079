// docs/architecture.md's package table says which workspace packages each package depends on; this
// keeps it true. A dependency added to (or dropped from) a package.json fails here until the table
// says so — the doc cannot drift from the code.
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'

const ROOT = new URL('../../../', import.meta.url).pathname

interface Manifest {
  name: string
  dependencies?: Record<string, string>
  devDependencies?: Record<string, string>
}

/** Every workspace package outside tooling/ (test infrastructure is never a runtime dependency). */
function workspacePackages(): Map<string, { folder: string; manifest: Manifest }> {
  const found = new Map<string, { folder: string; manifest: Manifest }>()
  const folders = [
    ...['packages', 'apps'].flatMap((parent) =>
      readdirSync(join(ROOT, parent)).map((name) => `${parent}/${name}`),
    ),
    'bench',
  ]
  for (const folder of folders) {
    let manifest: Manifest
    try {
      manifest = JSON.parse(readFileSync(join(ROOT, folder, 'package.json'), 'utf8')) as Manifest
    } catch {
      continue
    }
    found.set(manifest.name, { folder, manifest })
  }
  return found
}

/** `@penguin-ai/x` → `x`; `penguin-ai` stays. */
const short = (name: string) => name.replace(/^@penguin-ai\//, '')

function documented(): Map<string, { folder: string; dependsOn: string[] }> {
  const doc = readFileSync(join(ROOT, 'docs/architecture.md'), 'utf8')
  const table = doc.match(/<!-- packages:start -->\n([\s\S]*?)<!-- packages:end -->/)?.[1] ?? ''
  const rows = new Map<string, { folder: string; dependsOn: string[] }>()
  for (const line of table.split('\n').slice(2)) {
    const cells = line.split('|').map((cell) => cell.trim())
    if (cells.length < 6) continue
    const name = cells[1]?.replaceAll('`', '') ?? ''
    const dependsOn = [...(cells[4] ?? '').matchAll(/`([^`]+)`/g)].map((match) => match[1] as string)
    rows.set(name, { folder: cells[2] ?? '', dependsOn: dependsOn.sort() })
  }
  return rows
}

describe('docs/architecture.md', () => {
  const packages = workspacePackages()
  const rows = documented()

  test('names every package (outside tooling/), in its folder', () => {
    expect([...rows.keys()].sort()).toEqual([...packages.keys()].sort())
    for (const [name, { folder }] of packages)
      expect({ name, folder: rows.get(name)?.folder }).toEqual({ name, folder })
  })

  test('says what each depends on, as its package.json does', () => {
    for (const [name, { manifest }] of packages) {
      // penguin-ai bundles the workspace packages it uses: they are its devDependencies.
      const declared = name === 'penguin-ai' ? manifest.devDependencies : manifest.dependencies
      const actual = Object.keys(declared ?? {})
        .filter((dependency) => packages.has(dependency))
        .map(short)
        .sort()
      expect({ name, dependsOn: rows.get(name)?.dependsOn }).toEqual({ name, dependsOn: actual })
    }
  })

  test('dependencies point down the table: a package only uses packages listed above it', () => {
    const order = [...rows.keys()].map(short)
    for (const [name, row] of rows) {
      for (const dependency of row.dependsOn) {
        expect({ name, dependency, above: order.indexOf(dependency) < order.indexOf(short(name)) }).toEqual({
          name,
          dependency,
          above: true,
        })
      }
    }
  })
})
