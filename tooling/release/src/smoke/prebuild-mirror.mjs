// better-sqlite3 installs by downloading a prebuilt binary from its GitHub releases
// (prebuild-install) and compiles from source only when none is found. A sealed build machine cannot
// reach GitHub, so each of the two installs compiled SQLite for a minute or more. This mirror serves
// the binary the workspace compiled at `pnpm install` — the same version, this Node's ABI, this
// platform — in prebuild's layout, on loopback, so both installs take the path a user's install takes:
// a download and no compiler. Any other file (another version, another ABI) gets a 404 and
// prebuild-install falls back to compiling, as it would for a user. `--from-source` leaves it off.
import { spawnSync } from 'node:child_process'
import { copyFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs'
import { createServer } from 'node:http'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'

const DRIVER = 'better-sqlite3'

/** The workspace's compiled driver: its version and binary, resolved the way the CLI resolves it. */
function workspaceDriver(repo) {
  const require = createRequire(join(repo, 'apps', 'cli', 'package.json'))
  const packageJson = require.resolve(`${DRIVER}/package.json`)
  const { version } = JSON.parse(readFileSync(packageJson, 'utf8'))
  const binary = join(dirname(packageJson), 'build', 'Release', 'better_sqlite3.node')
  return existsSync(binary) ? { version, binary } : undefined
}

/** prebuild's asset name: `{name}-v{version}-{runtime}-v{abi}-{platform}{libc}-{arch}.tar.gz` (glibc: no libc part). */
function assetName(version) {
  return `${DRIVER}-v${version}-node-v${process.versions.modules}-${process.platform}-${process.arch}.tar.gz`
}

/** The tarball prebuild would have uploaded: `build/Release/better_sqlite3.node`. */
function packAsset(binary, dir, name) {
  const staging = join(dir, 'staging')
  mkdirSync(join(staging, 'build', 'Release'), { recursive: true })
  copyFileSync(binary, join(staging, 'build', 'Release', 'better_sqlite3.node'))
  const tarball = join(dir, name)
  const tar = spawnSync('tar', ['-czf', tarball, '-C', staging, 'build'], { encoding: 'utf8' })
  if (tar.status !== 0) throw new Error(`tar failed packing the prebuilt driver: ${tar.stderr}`)
  return tarball
}

/**
 * Starts the mirror. `env` is what an install's environment needs for prebuild-install to use it
 * (undefined when the workspace has no compiled driver: the installs then compile); `downloads()`
 * counts the binaries served, `misses()` lists the paths asked for that it did not have.
 */
export async function startPrebuildMirror(repo, dir) {
  const driver = workspaceDriver(repo)
  if (!driver) return { env: undefined, downloads: () => 0, misses: () => [], stop: async () => {} }
  mkdirSync(dir, { recursive: true })
  const name = assetName(driver.version)
  const path = `/v${driver.version}/${name}`
  const asset = readFileSync(packAsset(driver.binary, dir, name))
  let downloads = 0
  const misses = []
  const server = createServer((request, response) => {
    if (request.method === 'GET' && request.url === path) {
      downloads++
      response.writeHead(200, { 'content-type': 'application/gzip', 'content-length': asset.length })
      response.end(asset)
      return
    }
    misses.push(request.url ?? '')
    response.writeHead(404).end()
  })
  await new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', resolve)
  })
  const url = `http://127.0.0.1:${server.address().port}`
  return {
    version: driver.version,
    url,
    // prebuild-install reads npm_config_<package>_binary_host and appends /v<version>/<asset>.
    env: { npm_config_better_sqlite3_binary_host: url },
    downloads: () => downloads,
    misses: () => [...misses],
    stop: () =>
      new Promise((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
