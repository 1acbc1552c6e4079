/**
 * Loads the plugins and custom tool files a setup names. Only what is configured is loaded; one that
 * cannot be found, throws while loading or exports nothing usable is reported (a warning for the
 * user) and skipped — the session goes on without it.
 */
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { basename, dirname, extname, isAbsolute, join, resolve } from 'node:path'
import type { PluginEntry, ToolFileEntry } from '@penguin-ai/config'
import type { EngineExtension } from '@penguin-ai/engine'
import { defineTool, type Tool, type ToolDefinition } from '@penguin-ai/tools'
import { PluginExtension } from './extension.js'
import { importModule } from './modules.js'
import type { PenguinPlugin, PluginContext } from './types.js'

export interface LoadOptions {
  cwd: string
  warn: (message: string) => void
}

/** Where an entry's module is: a path (relative to the config naming it) or an installed package. */
export function locatePlugin(entry: PluginEntry): string {
  const { spec, base } = entry
  if (isAbsolute(spec)) return spec
  if (spec.startsWith('.') || /\.(m?js|m?ts)$/.test(spec)) return resolve(base, spec)
  try {
    return createRequire(join(base, 'package.json')).resolve(spec)
  } catch {
    // An ESM-only package (`exports` with an `import` condition only) is not visible to require.
    const found = esmEntry(spec, base)
    if (found) return found
    throw new Error(`the package "${spec}" is not installed in ${base} (install it there with npm i ${spec})`)
  }
}

/** The ESM entry of an installed package: `node_modules/<spec>` found walking up from `base`. */
function esmEntry(spec: string, base: string): string | undefined {
  for (let dir = resolve(base); ; dir = dirname(dir)) {
    const root = join(dir, 'node_modules', spec)
    const manifest = readJson(join(root, 'package.json'))
    if (manifest) {
      const target = exportTarget(manifest.exports) ?? manifest.module ?? manifest.main ?? 'index.js'
      return typeof target === 'string' ? resolve(root, target) : undefined
    }
    if (dirname(dir) === dir) return undefined
  }
}

/** The `.` export for `import` (or `default`) from a package.json `exports` field. */
function exportTarget(exports: unknown): string | undefined {
  if (typeof exports === 'string') return exports
  if (!exports || typeof exports !== 'object') return undefined
  const record = exports as Record<string, unknown>
  const dot = '.' in record ? record['.'] : record
  if (typeof dot === 'string') return dot
  if (!dot || typeof dot !== 'object') return undefined
  for (const condition of ['import', 'node', 'default']) {
    const value = exportTarget((dot as Record<string, unknown>)[condition])
    if (value) return value
  }
  return undefined
}

function readJson(path: string): Record<string, unknown> | undefined {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>
  } catch {
    return undefined
  }
}

function pluginName(entry: PluginEntry): string {
  const spec = entry.spec
  if (isAbsolute(spec) || spec.startsWith('.')) return basename(spec, extname(spec))
  return spec
}

export async function loadPlugins(
  entries: readonly PluginEntry[],
  options: LoadOptions,
): Promise<EngineExtension[]> {
  const loaded = await Promise.all(
    entries.map(async (entry): Promise<EngineExtension | undefined> => {
      const fallback = pluginName(entry)
      try {
        const module = await importModule(locatePlugin(entry))
        const exported = module.default ?? module.plugin
        if (exported === undefined) throw new Error('it has no default export (a plugin object or function)')
        const context: PluginContext = { cwd: options.cwd, defineTool: asTool, origin: entry.origin }
        const plugin = (typeof exported === 'function' ? await exported(context) : exported) as PenguinPlugin
        if (!plugin || typeof plugin !== 'object') throw new Error('it did not give a plugin object')
        const tools = (plugin.tools ?? []).map((tool) => asTool(tool as Tool | ToolDefinition))
        return new PluginExtension(plugin.name ?? fallback, { ...plugin, tools })
      } catch (error) {
        options.warn(`plugin ${fallback} (${entry.source}) was skipped: ${messageOf(error)}`)
        return undefined
      }
    }),
  )
  return loaded.filter((extension): extension is EngineExtension => extension !== undefined)
}

/** Every tool the files export (default or named), as one extension. */
export async function loadToolFiles(
  files: readonly ToolFileEntry[],
  options: LoadOptions,
): Promise<EngineExtension | undefined> {
  if (!files.length) return undefined
  const lists = await Promise.all(
    files.map(async (file): Promise<Tool[]> => {
      try {
        const module = await importModule(file.path)
        const context: PluginContext = { cwd: options.cwd, defineTool: asTool, origin: file.origin }
        const tools: Tool[] = []
        for (const value of Object.values(module)) {
          const candidate = typeof value === 'function' && !isTool(value) ? await value(context) : value
          for (const item of Array.isArray(candidate) ? candidate : [candidate]) {
            if (isTool(item) || isDefinition(item)) tools.push(asTool(item))
          }
        }
        if (!tools.length) throw new Error('it exports no tool (export default defineTool({...}))')
        return tools
      } catch (error) {
        options.warn(`custom tool file ${file.path} was skipped: ${messageOf(error)}`)
        return []
      }
    }),
  )
  const tools = lists.flat()
  return new PluginExtension('tools', { name: 'tools', tools })
}

function isTool(value: unknown): value is Tool {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Tool).name === 'string' &&
    typeof (value as Tool).run === 'function' &&
    typeof (value as Tool).parse === 'function'
  )
}

function isDefinition(value: unknown): value is ToolDefinition {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as ToolDefinition).name === 'string' &&
    typeof (value as ToolDefinition).execute === 'function'
  )
}

/**
 * A tool from what a file gave: a `defineTool` result as is; a definition object through this
 * Penguin's `defineTool` (a zod `parameters`, or a JSON Schema object the model gets as is).
 */
function asTool(value: Tool | ToolDefinition): Tool {
  if (isTool(value)) return value
  if (!isDefinition(value))
    throw new Error('not a tool: give defineTool({ name, description, parameters, execute })')
  const parameters = value.parameters as unknown
  if (parameters && typeof (parameters as { safeParse?: unknown }).safeParse === 'function')
    return defineTool(value)
  return jsonSchemaTool(value, (parameters as Record<string, unknown> | undefined) ?? { type: 'object' })
}

/** A definition whose `parameters` is JSON Schema: the arguments are only checked to be an object. */
function jsonSchemaTool(definition: ToolDefinition, schema: Record<string, unknown>): Tool {
  const passthrough = {
    safeParse: (data: unknown) =>
      data && typeof data === 'object' && !Array.isArray(data)
        ? { success: true as const, data }
        : { success: false as const, error: { issues: [{ path: [], message: 'expected a JSON object' }] } },
  }
  const tool = defineTool({ ...definition, parameters: passthrough as never })
  return Object.defineProperty(tool, 'jsonSchema', { value: { type: 'object', ...schema } })
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}
