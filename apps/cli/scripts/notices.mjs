// The bundle redistributes the code of every third-party package it inlines, so the package ships
// their licence texts: THIRD-PARTY-NOTICES.md lists each one (name, version, licence) with its
// LICENSE file, gathered from the packages the bundle actually read.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join, resolve, sep } from 'node:path'

function packageRootOf(file) {
  let dir = dirname(file)
  for (;;) {
    const manifest = join(dir, 'package.json')
    if (existsSync(manifest)) {
      const parsed = JSON.parse(readFileSync(manifest, 'utf8'))
      // Some packages keep a {"type": "module"} package.json in a subfolder: skip those.
      if (parsed.name && parsed.version) return { dir, manifest: parsed }
    }
    const up = dirname(dir)
    if (up === dir) return undefined
    dir = up
  }
}

function licenceText(dir) {
  const file = readdirSync(dir).find((name) => /^(licen[cs]e|copying|notice)(\.|$)/i.test(name))
  return file ? readFileSync(join(dir, file), 'utf8').trim() : undefined
}

/** Writes THIRD-PARTY-NOTICES.md for the bundle's node_modules inputs; returns how many packages. */
export function writeNotices(inputs, root, target) {
  const packages = new Map()
  for (const input of inputs) {
    const file = resolve(root, input)
    if (!file.split(sep).includes('node_modules')) continue
    const found = packageRootOf(file)
    if (!found) continue
    const key = `${found.manifest.name}@${found.manifest.version}`
    if (!packages.has(key)) packages.set(key, found)
  }
  const sections = [...packages.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([key, { dir, manifest }]) => {
      const licence = typeof manifest.license === 'string' ? manifest.license : 'see below'
      const text = licenceText(dir) ?? `(no licence file in the package; its package.json says: ${licence})`
      return `## ${key} — ${licence}\n\n\`\`\`\n${text}\n\`\`\``
    })
  writeFileSync(
    target,
    `# Third-party notices\n\npenguin-ai bundles code from the following packages; their licences follow.\n\n${sections.join('\n\n')}\n`,
  )
  return packages.size
}
