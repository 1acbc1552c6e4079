// `pnpm --filter penguin-ai build`: the published package, built the way it ships.
//
// - JavaScript: esbuild bundles src/main.ts (the `penguin` command) and src/index.ts (the library)
//   into dist/, with every workspace package (read from its TypeScript sources) and every
//   third-party module inlined, except what this package.json lists under `dependencies` — those
//   stay real dependencies (native: better-sqlite3), except those in INLINED below (zod: installed
//   for the public types and plugins, inlined for start-up speed). A new workspace
//   package or a new pure-JS dependency is picked up with no list to edit.
// - Code splitting keeps the CLI's lazy per-command imports lazy: `penguin --version` loads
//   dist/main.js and one small chunk; a command loads its own chunks when it runs.
// - Files a bundled package reads at runtime beside its code (its package.json "penguinAssets")
//   are copied to the same place here (see assets.mjs).
// - Types: dist/index.d.ts, rolled up by API Extractor (see types.mjs).
//
// `--out DIR` writes the package's runtime files (bin/, dist/, the assets, demo/, package.json) to
// DIR instead, `--no-types` skips the types and the notices, and `--assets-of NAME=DIR` reads a
// bundled package's assets from DIR (a build of it made elsewhere) instead of its own directory. The
// CLI's tests run such a build of their own (test/global-setup.ts), made from the workspace's
// sources alone — the types are what needs every package's built .d.ts — so they never wait for the
// whole build, and a build replayed while they run cannot rewrite the files they execute.
import { cpSync, mkdirSync, readFileSync, rmSync } from 'node:fs'
import { builtinModules } from 'node:module'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { build } from 'esbuild'
import { checkAssetUrls, copyAssets, workspacePackagesIn } from './assets.mjs'
import { MINIFY } from './esbuild-options.mjs'
import { writeNotices } from './notices.mjs'
import { buildTypes } from './types.mjs'
import { vendorPlugin } from './vendor.mjs'

const root = fileURLToPath(new URL('..', import.meta.url))
const { values: options } = parseArgs({
  options: {
    out: { type: 'string' },
    'no-types': { type: 'boolean', default: false },
    'assets-of': { type: 'string', multiple: true, default: [] },
  },
})
const assetsFrom = new Map(
  options['assets-of'].map((spec) => {
    const at = spec.indexOf('=')
    if (at < 1) throw new Error(`--assets-of takes NAME=DIR, got "${spec}"`)
    return [spec.slice(0, at), resolve(spec.slice(at + 1))]
  }),
)
const out = options.out ? resolve(options.out) : root
const dist = join(out, 'dist')
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'))
const dependencies = Object.keys(manifest.dependencies ?? {})
// Dependencies that are installed (for the public types and for plugins that import them) but
// inlined all the same: zod's ESM build is ~100 files, and resolving, reading and compiling them one
// by one cost `penguin run` tens of milliseconds before its first request. Inlined, it is one chunk.
// zod 4 schemas work across copies (its `instanceof` checks its own brand), so a schema
// built with the installed zod by a plugin or library user goes through the inlined one unchanged.
const INLINED = new Set(['zod'])
const external = dependencies.filter((name) => !INLINED.has(name))

/**
 * zod's error messages in its ~50 other languages (`z.locales.*`, half of zod's 580 KB as bundled):
 * zod exports its namespace object whole, so esbuild keeps every locale, and Node compiled them all
 * before `penguin run`'s first request. Nothing in Penguin switches zod's language (plugins import
 * the installed zod, whose locales are all there): the inlined copy keeps only English, its default.
 */
const zodEnglishOnly = {
  name: 'zod-english-only',
  setup(build) {
    build.onLoad({ filter: /[\\/]zod[\\/]v4[\\/]locales[\\/]index\.js$/ }, () => ({
      contents: 'export { default as en } from "./en.js";\n',
      loader: 'js',
    }))
  },
}

rmSync(dist, { recursive: true, force: true })
mkdirSync(dist, { recursive: true })

// zod and the model SDKs: vendored files loaded with a V8 code cache (see vendor.mjs).
const vendor = vendorPlugin({
  root,
  outdir: dist,
  loader: join(root, 'src/vendored.ts'),
  plugins: [zodEnglishOnly],
})

const result = await build({
  absWorkingDir: root,
  entryPoints: { main: 'src/main.ts', index: 'src/index.ts' },
  outdir: dist,
  // Chunks sit beside the entries, one level below the package root, as every module did in src/.
  chunkNames: 'chunk-[hash]',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20.19',
  // Workspace packages straight from their sources; ESM builds of dependencies where they have one.
  conditions: ['@penguin-ai/source'],
  mainFields: ['module', 'main'],
  external: [...external, ...external.map((name) => `${name}/*`)],
  // CommonJS dependencies inlined into ESM still call require() for Node's built-ins.
  banner: {
    js: "import { createRequire as __penguinCreateRequire } from 'node:module';\nconst require = __penguinCreateRequire(import.meta.url);",
  },
  sourcemap: 'linked',
  // Whitespace and syntax, never identifiers (see esbuild-options.mjs).
  ...MINIFY,
  metafile: true,
  logLevel: 'warning',
  plugins: [vendor.plugin, zodEnglishOnly],
})

// A vendored library must not also be inlined (two copies: twice the code, and classes that differ).
const inlined = Object.keys(result.metafile.inputs).filter((input) => vendor.inputs.has(input))
if (inlined.length > 0)
  throw new Error(`vendored packages inlined in the bundle: ${inlined.slice(0, 5).join(', ')}`)

// ws tries these native speed-ups inside try/catch and works without them; pg loads its native
// binding only when `pg.native` is asked for (the store never does). Never installed.
const OPTIONAL = new Set(['bufferutil', 'utf-8-validate', 'pg-native'])
const builtins = new Set(builtinModules)
const stray = new Set()
for (const output of Object.values(result.metafile.outputs)) {
  for (const imported of output.imports) {
    if (!imported.external) continue
    const name = imported.path.startsWith('@')
      ? imported.path.split('/').slice(0, 2).join('/')
      : imported.path.split('/')[0]
    if (imported.path.startsWith('node:') || builtins.has(name) || OPTIONAL.has(name)) continue
    if (dependencies.includes(name)) continue
    stray.add(imported.path)
  }
}
if (stray.size > 0) {
  throw new Error(
    `the bundle imports modules that are neither bundled nor dependencies: ${[...stray].join(', ')}`,
  )
}

// esbuild gives a dynamically imported CommonJS module only a default export (its named exports
// come out undefined at runtime): lazy imports of CommonJS packages must go through an ESM module of
// our own that imports them statically (as packages/telemetry/src/sdk.ts does).
const lazyCommonJs = []
for (const [path, input] of Object.entries(result.metafile.inputs)) {
  if (path.includes('node_modules')) continue
  for (const imported of input.imports) {
    if (imported.kind !== 'dynamic-import' || imported.external) continue
    if (result.metafile.inputs[imported.path]?.format === 'cjs')
      lazyCommonJs.push(`${path}: import('${imported.original}')`)
  }
}
if (lazyCommonJs.length > 0) {
  throw new Error(
    `dynamic imports of CommonJS modules lose their named exports in the bundle:\n  ${lazyCommonJs.join('\n  ')}`,
  )
}

const packages = workspacePackagesIn(Object.keys(result.metafile.inputs), root)
// What stays external must be installed in the range the bundled code was written against.
const mismatched = []
for (const pkg of packages) {
  for (const [name, range] of Object.entries(pkg.manifest.dependencies ?? {})) {
    const ours = manifest.dependencies[name]
    if (ours !== undefined && ours !== range)
      mismatched.push(`${pkg.manifest.name} wants ${name}@${range}, penguin-ai has ${ours}`)
  }
}
if (mismatched.length > 0) throw new Error(`dependency ranges differ:\n  ${mismatched.join('\n  ')}`)
checkAssetUrls(packages)
copyAssets(packages, root, out, assetsFrom)
if (out !== root)
  for (const file of ['bin', 'demo', 'package.json'])
    cpSync(join(root, file), join(out, file), { recursive: true })
if (!options['no-types']) {
  writeNotices(
    [...Object.keys(result.metafile.inputs), ...vendor.inputs],
    root,
    join(root, 'THIRD-PARTY-NOTICES.md'),
  )
  await buildTypes(root, dependencies)
}
