// Files the bundled workspace packages read at runtime, located relative to their own modules
// (`new URL('../drizzle', import.meta.url)`). The rule that makes this work unchanged in the bundle:
// such a module sits directly in its package's src/ (so it is one level below the package root in
// src/, in a tsc build's dist/, and in this bundle's dist/), and its package lists what it reads in
// package.json "penguinAssets"; the bundle copies each listed path to the same path here.
import { cpSync, existsSync, readFileSync, rmSync } from 'node:fs'
import { dirname, join, relative, resolve, sep } from 'node:path'

/** The workspace packages (not node_modules) whose files are among the bundle's inputs. */
export function workspacePackagesIn(inputs, root) {
  const packages = new Map()
  for (const input of inputs) {
    const file = resolve(root, input)
    if (file.split(sep).includes('node_modules')) continue
    let dir = dirname(file)
    while (!existsSync(join(dir, 'package.json'))) {
      const up = dirname(dir)
      if (up === dir) throw new Error(`no package.json above ${file}`)
      dir = up
    }
    if (!packages.has(dir)) {
      packages.set(dir, {
        dir,
        manifest: JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')),
        files: [],
      })
    }
    packages.get(dir).files.push(file)
  }
  return [...packages.values()]
}

const ASSET_URL = /new URL\(\s*(['"`])([^'"`]+)\1\s*,\s*import\.meta\.url\s*\)/g

/** Every `new URL(relative, import.meta.url)` in a bundled workspace module must keep working. */
export function checkAssetUrls(packages) {
  const problems = []
  for (const pkg of packages) {
    const declared = [...(pkg.manifest.penguinAssets ?? []), 'package.json']
    for (const file of pkg.files) {
      if (!/\.[cm]?[jt]sx?$/.test(file)) continue
      const source = readFileSync(file, 'utf8')
      for (const match of source.matchAll(ASSET_URL)) {
        const where = relative(pkg.dir, file)
        if (dirname(where) !== 'src') {
          problems.push(
            `${where} (${pkg.manifest.name}): a module that reads files beside it must sit directly in src/`,
          )
          continue
        }
        const target = relative(pkg.dir, resolve(dirname(file), match[2]))
        const covered = declared.some((asset) => target === asset || target.startsWith(`${asset}${sep}`))
        const ownFile =
          pkg.manifest.name === 'penguin-ai' && (pkg.manifest.files ?? []).includes(target.split(sep)[0])
        if (!covered && !ownFile) {
          problems.push(
            `${where} (${pkg.manifest.name}) reads "${target}", which is not in its package.json "penguinAssets"`,
          )
        }
      }
    }
  }
  if (problems.length > 0) throw new Error(`the bundle would miss runtime files:\n  ${problems.join('\n  ')}`)
}

/**
 * Copies each bundled package's "penguinAssets" to the same relative path in the bundle (`out`,
 * the package root unless the build goes elsewhere). `from` maps a package name to the directory its
 * assets are read from instead of its own (a build of it made elsewhere).
 */
export function copyAssets(packages, root, out = root, from = new Map()) {
  const owners = new Map()
  for (const pkg of packages) {
    if (pkg.dir === root) continue
    for (const asset of pkg.manifest.penguinAssets ?? []) {
      const owner = owners.get(asset)
      if (owner) throw new Error(`"${asset}" is a penguinAsset of both ${owner} and ${pkg.manifest.name}`)
      owners.set(asset, pkg.manifest.name)
      const source = join(from.get(pkg.manifest.name) ?? pkg.dir, asset)
      if (!existsSync(source))
        throw new Error(`${pkg.manifest.name}'s asset ${asset} is missing: build it first`)
      const to = join(out, asset)
      rmSync(to, { recursive: true, force: true })
      cpSync(source, to, { recursive: true })
    }
  }
  return owners
}
