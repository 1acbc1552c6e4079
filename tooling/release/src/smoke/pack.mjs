// Packing the two public packages the way `pnpm publish` does, and checking what would ship.
import { strict as assert } from 'node:assert'
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { run } from './proc.mjs'

/** The published packages and the directories they are packed from. */
export const PUBLIC_PACKAGES = [
  {
    name: '@penguin-ai/sdk',
    dir: 'packages/sdk',
    mustShip: ['LICENSE', 'README.md', 'dist/index.js', 'dist/index.d.ts'],
  },
  {
    name: 'penguin-ai',
    dir: 'apps/cli',
    // The bundle redistributes third-party code: their licences ship with it.
    mustShip: [
      'LICENSE',
      'THIRD-PARTY-NOTICES.md',
      'README.md',
      'bin/penguin.js',
      'dist/main.js',
      'dist/index.js',
      'dist/index.d.ts',
      'dist/app/index.html',
      'drizzle/meta/_journal.json',
      'demo/sample/package.json',
    ],
  },
]

/**
 * Bytes and files under a path (apparent size, what `npm pack` reports as unpacked). bench's
 * size.mjs walks the same way: the release check and the benchmark depend on neither each other.
 */
export function sizeOf(path) {
  const stat = statSync(path)
  if (!stat.isDirectory()) return { bytes: stat.size, files: 1 }
  let bytes = 0
  let files = 0
  for (const entry of readdirSync(path)) {
    const inner = sizeOf(join(path, entry))
    bytes += inner.bytes
    files += inner.files
  }
  return { bytes, files }
}

/** Packs every public package into `dir`; returns { name, version, tarball, packed, unpacked }. */
export async function packAll(repo, dir) {
  mkdirSync(dir, { recursive: true })
  const packs = []
  for (const pkg of PUBLIC_PACKAGES) {
    const before = new Set(readdirSync(dir))
    await run('pnpm', ['pack', '--pack-destination', dir], { cwd: join(repo, pkg.dir), timeoutMs: 120_000 })
    const tarball = readdirSync(dir).find((file) => file.endsWith('.tgz') && !before.has(file))
    assert.ok(tarball, `pnpm pack produced a tarball for ${pkg.name}`)
    const unpackDir = join(dir, `${tarball}.contents`)
    mkdirSync(unpackDir, { recursive: true })
    await run('tar', ['-xzf', join(dir, tarball), '-C', unpackDir])
    const manifestText = readFileSync(join(unpackDir, 'package', 'package.json'), 'utf8')
    const manifest = JSON.parse(manifestText)
    checkManifest(pkg.name, manifest, manifestText)
    for (const file of pkg.mustShip) {
      assert.ok(existsSync(join(unpackDir, 'package', file)), `${pkg.name}'s tarball has ${file}`)
    }
    packs.push({
      name: manifest.name,
      version: manifest.version,
      tarball: join(dir, tarball),
      packed: statSync(join(dir, tarball)).size,
      unpacked: sizeOf(join(unpackDir, 'package')),
      manifest,
    })
  }
  return packs
}

function checkManifest(name, manifest, text) {
  assert.equal(manifest.name, name)
  assert.notEqual(manifest.private, true, `${name} is not private`)
  assert.doesNotMatch(text, /workspace:/, `${name}'s packed manifest has no workspace: ranges`)
  assert.doesNotMatch(
    JSON.stringify(manifest.exports ?? {}),
    /@penguin-ai\/source|\/src\//,
    `${name} exports built files only`,
  )
  const runtime = Object.keys({
    ...manifest.dependencies,
    ...manifest.optionalDependencies,
    ...manifest.peerDependencies,
  })
  // Everything of ours is bundled: nothing private can be a runtime dependency.
  for (const dependency of runtime) {
    assert.ok(
      !dependency.startsWith('@penguin-ai/'),
      `${name} depends on ${dependency}, which is not published`,
    )
  }
  if (name === '@penguin-ai/sdk') assert.deepEqual(runtime, [], '@penguin-ai/sdk has no dependencies')
}
