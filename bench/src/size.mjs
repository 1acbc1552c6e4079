// `pnpm bench:size`: what `npm i -g penguin-ai` costs. Packs penguin-ai as it is published, then
// installs that tarball globally into a temp prefix with a fresh HOME (dependencies from the npm
// registry, better-sqlite3 built as the machine can: a prebuilt binary, else compiled from source)
// and measures the tarball, the unpacked package and everything the install put on disk.
// Target (issue 17): installed ≤ 50 MB.
import { execFile } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { printTable } from './measure.mjs'

const run = promisify(execFile)
const CLI = fileURLToPath(new URL('../../apps/cli/', import.meta.url))
export const INSTALLED_TARGET_MB = 50

// tooling/release's smoke test has the same walk (sizeOf in src/smoke/pack.mjs): the benchmark
// and the release check stay independent of each other (neither depends on the other package).
function bytesUnder(path) {
  const stat = statSync(path)
  if (!stat.isDirectory()) return { bytes: stat.size, files: 1 }
  let bytes = 0
  let files = 0
  for (const entry of readdirSync(path)) {
    const inner = bytesUnder(join(path, entry))
    bytes += inner.bytes
    files += inner.files
  }
  return { bytes, files }
}

export async function sizeFigures() {
  const scratch = mkdtempSync(join(tmpdir(), 'penguin-bench-size-'))
  try {
    await run('pnpm', ['pack', '--pack-destination', scratch], { cwd: CLI, maxBuffer: 1 << 24 })
    const tarball = readdirSync(scratch).find(
      (file) => file.startsWith('penguin-ai-') && file.endsWith('.tgz'),
    )
    if (!tarball) throw new Error('pnpm pack made no penguin-ai tarball')
    const unpackDir = join(scratch, 'unpacked')
    mkdirSync(unpackDir)
    await run('tar', ['-xzf', join(scratch, tarball), '-C', unpackDir])

    const home = join(scratch, 'home')
    const prefix = join(scratch, 'prefix')
    mkdirSync(home)
    // Compile native modules against this Node's headers when they are installed beside it.
    const nodePrefix = dirname(dirname(process.execPath))
    const headers = existsSync(join(nodePrefix, 'include', 'node', 'node.h')) ? [`nodedir=${nodePrefix}`] : []
    writeFileSync(
      join(home, '.npmrc'),
      [`prefix=${prefix}`, ...headers, 'fund=false', 'audit=false', ''].join('\n'),
    )
    const env = {
      PATH: process.env.PATH,
      HOME: home,
      NODE_EXTRA_CA_CERTS: process.env.NODE_EXTRA_CA_CERTS ?? '',
    }
    const started = performance.now()
    await run('npm', ['i', '-g', join(scratch, tarball)], {
      cwd: scratch,
      env,
      timeout: 20 * 60_000,
      maxBuffer: 1 << 24,
    })
    const installMs = performance.now() - started
    const installedDir = join(prefix, 'lib', 'node_modules', 'penguin-ai')
    return {
      packed: statSync(join(scratch, tarball)).size,
      unpacked: bytesUnder(join(unpackDir, 'package')),
      installed: bytesUnder(installedDir),
      packages: readdirSync(join(installedDir, 'node_modules')).filter((name) => !name.startsWith('.'))
        .length,
      installMs,
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true })
  }
}

const mb = (bytes) => `${(bytes / 1024 / 1024).toFixed(1)} MB`

/** Rows for `pnpm bench`'s table. */
export function sizeRows(figures) {
  return [
    { area: 'package', figure: 'penguin-ai packed (.tgz)', value: mb(figures.packed) },
    {
      area: 'package',
      figure: 'penguin-ai unpacked',
      value: `${mb(figures.unpacked.bytes)} (${figures.unpacked.files} files)`,
    },
    {
      area: 'package',
      figure: `npm i -g penguin-ai: installed, with ${figures.packages} dependency directories (${(figures.installMs / 1000).toFixed(0)} s)`,
      value: mb(figures.installed.bytes),
      target: `≤ ${INSTALLED_TARGET_MB} MB`,
      ok: figures.installed.bytes <= INSTALLED_TARGET_MB * 1024 * 1024,
    },
  ]
}

async function main() {
  const rows = sizeRows(await sizeFigures())
  printTable('What npm i -g penguin-ai costs', [
    ['figure', 'value', 'target'],
    ...rows.map((row) => [row.figure, row.value, row.target ?? '']),
  ])
}

if (import.meta.url === `file://${process.argv[1]}`) await main()
