// The two ways a user installs Penguin, each in its own fresh prefix with its own fresh HOME and
// nothing of the monorepo reachable: not its node_modules (no NODE_PATH, a working directory outside
// the checkout), not its npm/pnpm configuration (a new .npmrc naming only the local registry).
import { existsSync, mkdirSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { cleanEnv, run } from './proc.mjs'

/**
 * Native modules compile against this Node's headers when they are installed beside it (Debian's
 * and NodeSource's packages put them in <prefix>/include/node): node-gyp would otherwise download
 * them from nodejs.org, which a sealed build machine cannot reach.
 */
function nodeHeadersDir() {
  const prefix = dirname(dirname(process.execPath))
  return existsSync(join(prefix, 'include', 'node', 'node.h')) ? prefix : undefined
}

function writeNpmrc(home, lines) {
  mkdirSync(home, { recursive: true })
  const headers = nodeHeadersDir()
  writeFileSync(
    join(home, '.npmrc'),
    [
      ...lines,
      ...(headers ? [`nodedir=${headers}`] : []),
      'fund=false',
      'audit=false',
      'update-notifier=false',
      '',
    ].join('\n'),
  )
}

const INSTALL_TIMEOUT = 15 * 60_000

/** `npm i -g penguin-ai` into <dir>/prefix; `vars` join its clean environment. */
export async function npmInstall(dir, registry, log, vars = {}) {
  const home = join(dir, 'home')
  const prefix = join(dir, 'prefix')
  const work = join(dir, 'work')
  mkdirSync(work, { recursive: true })
  writeNpmrc(home, [`registry=${registry}`, `prefix=${prefix}`])
  const env = cleanEnv({ home, path: [join(prefix, 'bin')], vars })
  const install = {
    name: 'npm',
    root: prefix,
    packageDir: join(prefix, 'lib', 'node_modules', 'penguin-ai'),
    // `import('penguin-ai')` from here finds lib/node_modules/penguin-ai.
    importDir: join(prefix, 'lib'),
    exec: () => ({ cwd: work, env }),
  }
  log('npm i -g penguin-ai')
  await run('npm', ['i', '-g', 'penguin-ai'], { cwd: work, env, timeoutMs: INSTALL_TIMEOUT })
  return install
}

/**
 * `pnpm add -g penguin-ai`, which installs better-sqlite3 without building it (pnpm runs no build
 * script it has not been told to trust) — then, once the driver message has been seen,
 * `approve()` runs the command it names, non-interactively (`--all`).
 */
export async function pnpmInstall(dir, registry, log, vars = {}) {
  const home = join(dir, 'home')
  const pnpmHome = join(home, '.local', 'share', 'pnpm')
  const work = join(dir, 'work')
  mkdirSync(work, { recursive: true })
  mkdirSync(pnpmHome, { recursive: true })
  writeNpmrc(home, [`registry=${registry}`])
  const env = cleanEnv({ home, path: [pnpmHome], vars: { ...vars, PNPM_HOME: pnpmHome } })
  log('pnpm add -g penguin-ai')
  await run('pnpm', ['add', '-g', 'penguin-ai'], { cwd: work, env, timeoutMs: INSTALL_TIMEOUT })
  const globalDir = (await run('pnpm', ['root', '-g'], { cwd: work, env })).stdout.trim()
  return {
    name: 'pnpm',
    root: pnpmHome,
    packageDir: join(globalDir, 'penguin-ai'),
    importDir: dirname(globalDir),
    exec: () => ({ cwd: work, env }),
    async approve() {
      log('pnpm approve-builds -g --all')
      await run('pnpm', ['approve-builds', '-g', '--all'], { cwd: work, env, timeoutMs: INSTALL_TIMEOUT })
    },
  }
}
