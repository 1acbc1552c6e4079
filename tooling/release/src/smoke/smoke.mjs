// `pnpm smoke:release` (run by .ci/run): what a user gets from npm, proven end to end.
//
//  1. build, and pack penguin-ai and @penguin-ai/sdk as `pnpm publish` would (manifests checked);
//  2. publish them to a throwaway verdaccio on loopback (temp config and storage);
//  3. in parallel, in two fresh prefixes with fresh HOMEs: `npm i -g penguin-ai` and
//     `pnpm add -g penguin-ai` (better-sqlite3's build approved the way Penguin's message says),
//     better-sqlite3's prebuilt binary downloaded from a loopback mirror of the one the workspace
//     compiled, as users download it from GitHub (prebuild-mirror.mjs);
//  4. for each: `penguin --version`, `penguin demo`, `penguin serve` on a free port with a token
//     (/healthz, GET /api/v1/sessions, the UI at /), and `import('penguin-ai')` running a
//     PenguinAgent against a mock model;
//  5. print packed, unpacked and installed sizes and how long each step took.
//
// Flags: --no-build (use the current build), --keep (leave the temp directory for inspection),
// --from-source (no prebuild mirror: both installs compile better-sqlite3, a minute or more each).
import { strict as assert } from 'node:assert'
import { mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import {
  checkDemo,
  checkDriverMessage,
  checkLibrary,
  checkServe,
  checkTypes,
  checkVersion,
} from './checks.mjs'
import { npmInstall, pnpmInstall } from './installs.mjs'
import { packAll, sizeOf } from './pack.mjs'
import { startPrebuildMirror } from './prebuild-mirror.mjs'
import { killAll, run } from './proc.mjs'
import { startRegistry } from './registry.mjs'

const repo = fileURLToPath(new URL('../../../../', import.meta.url))
const args = new Set(process.argv.slice(2))
const started = performance.now()
const timings = []
const mb = (bytes) =>
  bytes < 1024 * 1024 ? `${(bytes / 1024).toFixed(0)} kB` : `${(bytes / 1024 / 1024).toFixed(1)} MB`

function logger(prefix) {
  return (message) => {
    const seconds = ((performance.now() - started) / 1000).toFixed(0).padStart(4)
    process.stdout.write(`${seconds}s [${prefix}] ${message}\n`)
  }
}

async function step(log, name, fn) {
  const at = performance.now()
  log(`${name}…`)
  const result = await fn()
  const ms = performance.now() - at
  timings.push([name, ms])
  log(`${name}: ok (${(ms / 1000).toFixed(1)} s)`)
  return result
}

/** npm: install, use, then break the driver's build to see the message and the fix it names work. */
async function npmFlow(dir, registry, version, vars) {
  const log = logger('npm ')
  const install = await step(log, 'npm i -g penguin-ai', () => npmInstall(dir, registry, log, vars))
  await step(log, 'npm: penguin --version', () => checkVersion(install, version))
  await step(log, 'npm: penguin demo', () => checkDemo(install))
  await step(log, 'npm: penguin serve', () => checkServe(install))
  await step(log, "npm: import('penguin-ai')", () => checkLibrary(install, dir))
  await step(log, 'npm: a TypeScript project using the library type-checks', () => checkTypes(install, dir))
  const installed = sizeOf(install.packageDir)
  const build = join(install.packageDir, 'node_modules', 'better-sqlite3', 'build')
  await step(log, 'npm: driver not built → one line naming the fix', async () => {
    renameSync(build, `${build}.away`)
    try {
      await checkDriverMessage(install, 'npm rebuild -g better-sqlite3')
    } finally {
      renameSync(`${build}.away`, build)
    }
    await run('penguin', ['sessions', 'list'], install.exec())
  })
  return { installed }
}

/** pnpm: install (driver left unbuilt), the message, the approval it names, then use. */
async function pnpmFlow(dir, registry, version, vars) {
  const log = logger('pnpm')
  const install = await step(log, 'pnpm add -g penguin-ai', () => pnpmInstall(dir, registry, log, vars))
  await step(log, 'pnpm: penguin --version', () => checkVersion(install, version))
  await step(log, 'pnpm: penguin demo (no database needed)', () => checkDemo(install))
  await step(log, 'pnpm: driver not built → one line naming the fix', () =>
    checkDriverMessage(install, 'pnpm approve-builds -g'),
  )
  await step(log, 'pnpm approve-builds -g', () => install.approve())
  await step(log, 'pnpm: penguin sessions list', () => run('penguin', ['sessions', 'list'], install.exec()))
  await step(log, 'pnpm: penguin serve', () => checkServe(install))
  await step(log, "pnpm: import('penguin-ai')", () => checkLibrary(install, dir))
}

async function main() {
  const log = logger('main')
  const scratch = mkdtempSync(join(tmpdir(), 'penguin-release-smoke-'))
  log(`scratch directory ${scratch}`)
  let registry
  let mirror
  try {
    if (!args.has('--no-build')) {
      await step(log, 'build', () =>
        run(
          'pnpm',
          [
            'exec',
            'turbo',
            'run',
            'build',
            '--filter=penguin-ai...',
            '--filter=@penguin-ai/sdk',
            '--filter=@penguin-ai/mock-llm',
            '--output-logs=errors-only',
          ],
          { cwd: repo, timeoutMs: 20 * 60_000 },
        ),
      )
    }
    const packs = await step(log, 'pack', () => packAll(repo, join(scratch, 'packs')))
    const cli = packs.find((pack) => pack.name === 'penguin-ai')
    assert.ok(cli)
    registry = await step(log, 'start verdaccio', () => startRegistry(join(scratch, 'registry')))
    await step(log, 'publish', async () => {
      const token = await registry.addUser()
      const npmrc = join(scratch, 'publish.npmrc')
      const host = registry.url.replace(/^http:/, '')
      writeFileSync(npmrc, `registry=${registry.url}\n${host}:_authToken=${token}\n`)
      for (const pack of packs) {
        await run('npm', ['publish', pack.tarball, '--userconfig', npmrc, '--registry', registry.url], {
          cwd: scratch,
          env: { ...process.env, npm_config_provenance: 'false' },
        })
      }
    })
    mirror = args.has('--from-source')
      ? undefined
      : await startPrebuildMirror(repo, join(scratch, 'prebuilds'))
    if (mirror?.env) log(`better-sqlite3 ${mirror.version}: prebuilt binary mirrored on ${mirror.url}`)
    else log('better-sqlite3: no prebuild mirror, both installs compile it')
    const [npm] = await Promise.all([
      npmFlow(join(scratch, 'npm'), registry.url, cli.version, mirror?.env),
      pnpmFlow(join(scratch, 'pnpm'), registry.url, cli.version, mirror?.env),
    ])

    const rows = [
      ...packs.flatMap((pack) => [
        [`${pack.name} packed (.tgz)`, mb(pack.packed)],
        [`${pack.name} unpacked`, `${mb(pack.unpacked.bytes)} (${pack.unpacked.files} files)`],
      ]),
      [
        'penguin-ai installed by npm i -g (with its dependencies)',
        `${mb(npm.installed.bytes)} (target ≤ 50 MB)`,
      ],
      [
        'better-sqlite3 prebuilt binaries downloaded',
        mirror?.env
          ? `${mirror.downloads()} of 2${mirror.misses().length ? ` (not mirrored, compiled: ${mirror.misses().join(', ')})` : ''}`
          : 'none (compiled from source)',
      ],
      ...timings.map(([name, ms]) => [`time: ${name}`, `${(ms / 1000).toFixed(1)} s`]),
      ['time: total', `${((performance.now() - started) / 1000).toFixed(1)} s`],
    ]
    const width = Math.max(...rows.map(([name]) => name.length))
    process.stdout.write(
      `\nRelease smoke test: passed\n${rows.map(([n, v]) => `  ${n.padEnd(width)}  ${v}`).join('\n')}\n`,
    )
    assert.ok(
      npm.installed.bytes <= 50 * 1024 * 1024,
      `installed size ${mb(npm.installed.bytes)} is over 50 MB`,
    )
  } finally {
    await registry?.stop()
    await mirror?.stop()
    if (args.has('--keep')) log(`kept ${scratch}`)
    else rmSync(scratch, { recursive: true, force: true })
  }
}

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    killAll()
    process.stderr.write(`\nRelease smoke test interrupted (${signal}).\n`)
    process.exit(130)
  })
}

main().catch((error) => {
  killAll()
  process.stderr.write(
    `\nRelease smoke test FAILED: ${error instanceof Error ? error.message : String(error)}\n`,
  )
  process.exit(1)
})
