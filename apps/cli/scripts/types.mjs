// dist/index.d.ts for `import { PenguinAgent } from 'penguin-ai'`: tsc (TypeScript 7) emits the
// entry's declarations, which re-export from the workspace packages' own dist/*.d.ts; API Extractor
// (which carries its own TypeScript compiler API) rolls them into one file, inlining every
// `@penguin-ai/*` declaration the public surface reaches and nothing else. A consumer must be able
// to resolve whatever the result still imports, so it may import only Node's built-ins and this
// package's `dependencies`: anything else fails the build.
import { execFileSync } from 'node:child_process'
import { readFileSync, rmSync } from 'node:fs'
import { builtinModules, createRequire } from 'node:module'
import { join } from 'node:path'
import { Extractor, ExtractorConfig } from '@microsoft/api-extractor'

export async function buildTypes(root, dependencies) {
  const staging = join(root, '.types')
  rmSync(staging, { recursive: true, force: true })
  const tsc = createRequire(join(root, 'package.json'))
    .resolve('typescript/package.json')
    .replace(/package\.json$/, 'bin/tsc')
  execFileSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.types.json')], {
    cwd: root,
    stdio: 'inherit',
  })

  const target = join(root, 'dist', 'index.d.ts')
  const config = ExtractorConfig.prepare({
    configObjectFullPath: join(root, 'api-extractor.json'),
    packageJsonFullPath: join(root, 'package.json'),
    configObject: {
      projectFolder: root,
      mainEntryPointFilePath: join(staging, 'index.d.ts'),
      bundledPackages: ['@penguin-ai/*'],
      newlineKind: 'lf',
      compiler: {
        overrideTsconfig: {
          compilerOptions: {
            target: 'ES2023',
            lib: ['ES2023'],
            module: 'NodeNext',
            moduleResolution: 'NodeNext',
            types: ['node'],
            strict: true,
            skipLibCheck: true,
          },
          files: [join(staging, 'index.d.ts')],
        },
      },
      apiReport: { enabled: false },
      docModel: { enabled: false },
      tsdocMetadata: { enabled: false },
      dtsRollup: { enabled: true, untrimmedFilePath: target },
      messages: {
        compilerMessageReporting: { default: { logLevel: 'error' } },
        extractorMessageReporting: {
          default: { logLevel: 'none' },
          // A declaration the surface uses but nothing exports: still emitted, just unnamed to users.
          'ae-forgotten-export': { logLevel: 'none' },
          'ae-wrong-input-file-type': { logLevel: 'error' },
        },
        tsdocMessageReporting: { default: { logLevel: 'none' } },
      },
    },
  })
  const result = Extractor.invoke(config, { localBuild: true, showVerboseMessages: false })
  if (!result.succeeded) throw new Error(`API Extractor failed with ${result.errorCount} error(s)`)
  rmSync(staging, { recursive: true, force: true })

  const builtins = new Set(builtinModules)
  const text = readFileSync(target, 'utf8')
  const stray = []
  for (const match of text.matchAll(/(?:from\s+|import\s*\(\s*|require\s*\(\s*|types=)['"]([^'"]+)['"]/g)) {
    const specifier = match[1]
    const name = specifier.startsWith('@')
      ? specifier.split('/').slice(0, 2).join('/')
      : specifier.split('/')[0]
    if (specifier.startsWith('node:') || builtins.has(name) || name === 'node' || dependencies.includes(name))
      continue
    stray.push(specifier)
  }
  if (stray.length > 0) {
    throw new Error(
      `dist/index.d.ts refers to modules a consumer does not have (${[...new Set(stray)].join(', ')}): ` +
        'keep them out of the public surface (src/index.ts) or make them dependencies',
    )
  }
}
