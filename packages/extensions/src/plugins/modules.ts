/**
 * Imports plugin and custom tool modules. Two things make files written for Penguin load anywhere:
 * - `import { defineTool } from 'penguin-ai'` and `import { z } from 'zod'` resolve to the running
 *   Penguin's own copies when the file's folder has none installed (a resolve hook, registered once).
 * - `.ts` / `.mts` files are stripped of their types (sucrase) into a hidden sibling `.mjs` that is
 *   imported and removed at once, so their relative imports still resolve.
 */
import { createHash } from 'node:crypto'
import { readFile, rm, writeFile } from 'node:fs/promises'
import { register } from 'node:module'
import { basename, dirname, extname, join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { transform } from 'sucrase'

/** Bare specifiers a plugin may import without installing them: name → module URL. */
export type ModuleMap = Record<string, string>

let registered: string | undefined

const HOOK = `
let map = {}
export async function initialize(data) { map = data.map }
export async function resolve(specifier, context, next) {
  try {
    return await next(specifier, context)
  } catch (error) {
    if (Object.hasOwn(map, specifier) && error && error.code === 'ERR_MODULE_NOT_FOUND') {
      return { url: map[specifier], shortCircuit: true }
    }
    throw error
  }
}
`

/** Makes `map`'s specifiers resolvable from plugin files (once per process; later maps are ignored). */
export function provideModules(map: ModuleMap): void {
  if (registered !== undefined || Object.keys(map).length === 0) return
  registered = JSON.stringify(map)
  register(`data:text/javascript,${encodeURIComponent(HOOK)}`, { data: { map } })
}

const TYPESCRIPT = new Set(['.ts', '.mts'])

/** Imports a module file (`.ts` compiled first). */
export async function importModule(file: string): Promise<Record<string, unknown>> {
  if (!TYPESCRIPT.has(extname(file))) {
    return (await import(pathToFileURL(file).href)) as Record<string, unknown>
  }
  const source = await readFile(file, 'utf8')
  const { code } = transform(source, {
    transforms: ['typescript'],
    disableESTransforms: true,
    filePath: file,
  })
  const hash = createHash('sha256').update(code).digest('hex').slice(0, 10)
  const compiled = join(dirname(file), `.${basename(file, extname(file))}.${hash}.penguin.mjs`)
  await writeFile(compiled, code, { flag: 'w' })
  try {
    return (await import(pathToFileURL(compiled).href)) as Record<string, unknown>
  } finally {
    await rm(compiled, { force: true })
  }
}
