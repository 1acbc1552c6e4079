/**
 * Loads a vendored library (zod, the model SDKs: see scripts/vendor.mjs) from its CommonJS file in
 * dist/vendor/ with a V8 code cache, so that `penguin run` does not parse and compile ~500 KB of
 * third-party code on every start before its first model request. Node 20 offers no code cache for
 * ES modules (module.enableCompileCache came in Node 22), hence CommonJS files run by node:vm.
 *
 * The cache lives in the user's cache directory, one file per vendored file and Node version:
 * `$XDG_CACHE_HOME/penguin/code-cache/<name>-<content hash>.cjs.<node version>-<arch>` (default
 * `~/.cache`), or in `$PENGUIN_CODE_CACHE`; `PENGUIN_CODE_CACHE=off` turns it off. The vendored file's name holds a hash of its content, so a new build never meets an
 * old cache; V8 itself rejects data from another V8 version or with other flags, and a rejected,
 * missing or unreadable cache only means compiling as without one. It is written (atomically) when
 * the process exits, so that it holds every function compiled by then, and only when it was missing
 * or rejected. Any error reading or writing it is ignored: the cache can only make start-up faster.
 */
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { homedir } from 'node:os'
import { basename, dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
// The default import (not `{ Script }`): the module log of cli-run-first-request.test.ts wraps
// vm.Script to see which vendored files a command loads.
import vm from 'node:vm'

const WRAPPER = ['(function (exports, require, module, __filename, __dirname) {', '\n})']

/** Where code caches live; undefined when turned off. */
function cacheDirectory(): string | undefined {
  const setting = process.env.PENGUIN_CODE_CACHE?.trim()
  if (setting === 'off') return undefined
  if (setting) return setting
  return join(process.env.XDG_CACHE_HOME?.trim() || join(homedir(), '.cache'), 'penguin', 'code-cache')
}

function readCache(path: string | undefined): Buffer | undefined {
  if (!path) return undefined
  try {
    return readFileSync(path)
  } catch {
    return undefined
  }
}

/** Writes the cache, and removes the caches of other builds of the same library (`zod-*`). */
function writeCache(path: string, script: vm.Script): void {
  try {
    const directory = dirname(path)
    mkdirSync(directory, { recursive: true, mode: 0o700 })
    const temporary = `${path}.${process.pid}.tmp`
    writeFileSync(temporary, script.createCachedData(), { mode: 0o600 })
    renameSync(temporary, path)
    const library = `${basename(path).split('-')[0]}-`
    for (const name of readdirSync(directory)) {
      if (name.startsWith(library) && name !== basename(path) && !name.endsWith('.tmp'))
        rmSync(join(directory, name), { force: true })
    }
  } catch {
    // A read-only or full disk: the next start compiles again.
  }
}

const loaded = new Map<string, Record<string, unknown>>()

/**
 * The exports of the vendored CommonJS file at `url` (a file: URL beside the bundle's chunks), run
 * once per process however many import paths it serves.
 */
export function loadVendored(url: URL): Record<string, unknown> {
  const filename = fileURLToPath(url)
  let exports = loaded.get(filename)
  if (!exports) {
    exports = run(filename)
    loaded.set(filename, exports)
  }
  return exports
}

function run(filename: string): Record<string, unknown> {
  const directory = cacheDirectory()
  const cachePath = directory
    ? join(directory, `${basename(filename)}.${process.version}-${process.arch}`)
    : undefined
  const cachedData = readCache(cachePath)
  const source = readFileSync(filename, 'utf8')
  const script = new vm.Script(`${WRAPPER[0]}${source}${WRAPPER[1]}`, {
    filename,
    ...(cachedData ? { cachedData } : {}),
  })
  if (cachePath && (!cachedData || script.cachedDataRejected)) {
    process.once('exit', () => writeCache(cachePath, script))
  }
  const module = { exports: {} as Record<string, unknown> }
  const run = script.runInThisContext() as (
    exports: unknown,
    require: NodeJS.Require,
    module: unknown,
    filename: string,
    dirname: string,
  ) => void
  run(module.exports, createRequire(filename), module, filename, dirname(filename))
  return module.exports
}
