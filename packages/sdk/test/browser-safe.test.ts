/**
 * The SDK is for browsers too: bundled for the browser platform it must need no Node built-in and
 * touch no Node global, and it has no dependencies to bring any in.
 */
import { readFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'
import { expect, test } from 'vitest'

const root = fileURLToPath(new URL('..', import.meta.url))

test('bundles for the browser with no Node built-ins, globals or dependencies', async () => {
  const result = await build({
    absWorkingDir: root,
    entryPoints: ['src/index.ts'],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    metafile: true,
    logLevel: 'silent',
  })
  expect(result.errors).toEqual([])
  const inputs = Object.keys(result.metafile.inputs)
  expect(inputs.every((path) => path.startsWith('src/'))).toBe(true)
  const code = result.outputFiles[0]!.text.replace(/\/\/.*$|\/\*[\s\S]*?\*\//gm, '')
  for (const global of ['process', 'Buffer', 'require', '__dirname', 'global']) {
    expect(code, global).not.toMatch(new RegExp(`(?<![\\w.$'"])${global}\\b(?!['"])`))
  }
  const manifest = JSON.parse(await readFile(`${root}package.json`, 'utf8')) as Record<string, unknown>
  expect(manifest.dependencies ?? {}).toEqual({})
})
