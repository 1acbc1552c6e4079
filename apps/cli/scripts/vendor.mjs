// Vendored libraries: big third-party code on `penguin run`'s path to its first model request (zod,
// the OpenAI SDK, the Anthropic SDK's base client), each bundled on its own into one CommonJS file,
// dist/vendor/<name>-<content hash>.cjs, and loaded by src/vendored.ts with a V8 code cache (Node 20
// has none for ES modules). Together they are over half the code that `penguin run` loads before its
// first request, and compiling them was the largest single cost left there.
//
// In the main bundle, an import of one of these packages (`import { z } from 'zod'`, the adapters'
// `import('openai')`) resolves to a small generated module that loads the vendored file and
// re-exports every name it exports (read from the built file itself). Each library is one file,
// so it is loaded once and its classes are the same wherever Penguin imports them.
import { builtinModules, createRequire } from 'node:module'
import { join, relative } from 'node:path'
import { build } from 'esbuild'
import { MINIFY } from './esbuild-options.mjs'

/**
 * Each vendored file: its name, and the modules it holds, each with the import paths it serves and
 * the names it exports (all of the module's, unless listed). A name imported from one of those paths
 * that the file does not export fails the build.
 */
export const VENDORED = [
  {
    name: 'zod',
    // zod/v4 is zod; the MCP SDK's zod/v4-mini shares zod's core (one copy of it).
    modules: [{ specifiers: ['zod', 'zod/v4'] }, { specifiers: ['zod/v4-mini'] }],
  },
  { name: 'openai', modules: [{ specifiers: ['openai'] }] },
  {
    name: 'anthropic',
    // The base client and the error classes only (see packages/llm's anthropic-sdk.ts): the client
    // module also exports the full client with every API resource, most of the SDK's code.
    modules: [
      { specifiers: ['@anthropic-ai/sdk/client'], names: ['BaseAnthropic'] },
      { specifiers: ['@anthropic-ai/sdk/core/error'] },
    ],
  },
]

const NAMESPACE = 'penguin-vendor'
const IDENTIFIER = /^[A-Za-z_$][\w$]*$/

/**
 * The esbuild plugin that serves VENDORED's import paths in the main bundle. Each vendored file is
 * built the first time one of its paths is imported, resolved from the importing package (pnpm
 * installs the SDKs for packages/llm only); every importer must resolve each path to the same file.
 * `loader` is the absolute path of src/vendored.ts; `plugins` apply to the vendored builds too
 * (zod's English-only messages). Returns the plugin, and `inputs`: every file the vendored builds
 * read (relative to `root`: for THIRD-PARTY-NOTICES.md, and for the check that the main bundle
 * inlines none of them), filled in as the main bundle builds.
 */
export function vendorPlugin({ root, outdir, loader, plugins }) {
  const builds = new Map()
  const resolved = new Map()
  const inputs = new Set()
  const vendorOf = (specifier) =>
    VENDORED.find((entry) => entry.modules.some((module) => module.specifiers.includes(specifier)))

  async function buildVendored(entry, resolve) {
    // Each module as a namespace object of the file's exports (m0, m1…), imported by its resolved
    // path: the same file content, and name, whichever package imported it first.
    const contents = []
    for (const [index, module] of entry.modules.entries()) {
      const from = JSON.stringify(await resolve(module.specifiers[0]))
      contents.push(
        module.names
          ? `import { ${module.names.join(', ')} } from ${from}; export const m${index} = { ${module.names.join(', ')} };`
          : `export * as m${index} from ${from};`,
      )
    }
    const result = await build({
      absWorkingDir: root,
      stdin: { contents: contents.join('\n'), resolveDir: root, sourcefile: `vendor-${entry.name}.js` },
      bundle: true,
      format: 'cjs',
      platform: 'node',
      target: 'node20.19',
      mainFields: ['module', 'main'],
      outdir: join(outdir, 'vendor'),
      entryNames: `${entry.name}-[hash]`,
      outExtension: { '.js': '.cjs' },
      sourcemap: 'linked',
      // As the main bundle: whitespace and syntax, never identifiers.
      ...MINIFY,
      metafile: true,
      logLevel: 'warning',
      plugins,
    })
    for (const input of Object.keys(result.metafile.inputs)) inputs.add(input)
    const [file, output] = Object.entries(result.metafile.outputs).find(([path]) => path.endsWith('.cjs'))
    // node:vm runs the file as a script: it may require Node's built-ins, nothing else, and must
    // not import() (a script has no module loader to import with).
    const builtins = new Set(builtinModules)
    const bad = output.imports.filter(
      (imported) =>
        imported.kind === 'dynamic-import' ||
        !imported.external ||
        !(imported.path.startsWith('node:') || builtins.has(imported.path)),
    )
    if (bad.length > 0) {
      const paths = bad.map((imported) => `${imported.kind} ${imported.path}`).join(', ')
      throw new Error(`vendored ${entry.name} imports more than Node's built-ins: ${paths}`)
    }
    // Every name each module exports, read from the built file as Node will run it.
    const exported = createRequire(import.meta.url)(join(root, file))
    const names = entry.modules.map((_, index) =>
      Object.keys(exported[`m${index}`]).filter((name) => name === 'default' || IDENTIFIER.test(name)),
    )
    return { file: relative(outdir, join(root, file)), names }
  }

  const plugin = {
    name: 'penguin-vendor',
    setup(pluginBuild) {
      const specifiers = VENDORED.flatMap((entry) => entry.modules.flatMap((module) => module.specifiers))
      const filter = new RegExp(`^(${specifiers.map((s) => s.replace(/[/.]/g, '\\$&')).join('|')})$`)
      // Where esbuild would have found it, from `resolveDir`.
      const resolveFrom = async (specifier, resolveDir) => {
        const found = await pluginBuild.resolve(specifier, {
          kind: 'import-statement',
          resolveDir,
          pluginData: { vendorCheck: true },
        })
        if (found.errors.length > 0) throw new Error(found.errors[0].text)
        return found.path
      }
      pluginBuild.onResolve({ filter }, async (args) => {
        if (args.pluginData?.vendorCheck) return undefined
        // The same file for every importer, or the build fails.
        const path = await resolveFrom(args.path, args.resolveDir)
        const previous = resolved.get(args.path)
        if (previous && previous !== path) {
          throw new Error(`${args.path} resolves to both ${previous} and ${path}: vendored once only`)
        }
        resolved.set(args.path, path)
        return { path: args.path, namespace: NAMESPACE, pluginData: { resolveDir: args.resolveDir } }
      })
      pluginBuild.onLoad({ filter: /.*/, namespace: NAMESPACE }, async (args) => {
        const entry = vendorOf(args.path)
        const { resolveDir } = args.pluginData
        if (!builds.has(entry.name))
          builds.set(
            entry.name,
            buildVendored(entry, (specifier) => resolveFrom(specifier, resolveDir)),
          )
        const { file, names } = await builds.get(entry.name)
        const index = entry.modules.findIndex((module) => module.specifiers.includes(args.path))
        const lines = [
          `import { loadVendored } from ${JSON.stringify(loader)};`,
          `const vendored = loadVendored(new URL(${JSON.stringify(`./${file}`)}, import.meta.url)).m${index};`,
          ...names[index].map(
            (name, i) => `const v${i} = vendored[${JSON.stringify(name)}]; export { v${i} as ${name} };`,
          ),
        ]
        return { contents: lines.join('\n'), loader: 'js', resolveDir: root }
      })
    },
  }
  return { plugin, inputs }
}
