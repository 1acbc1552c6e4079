/**
 * The SQLite driver (better-sqlite3) is a native module: pnpm installs it without building it
 * unless the build is approved, `--ignore-scripts` skips the build, and a Node upgrade leaves a
 * build for the old ABI. Every command that needs the database asks here first, so those cases
 * are one line naming the fix for the way Penguin was installed (exit 2), not a stack of binding
 * paths. Commands that never open the database never load the driver.
 */
import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'
import { CliError, EXIT } from '../cli-error.js'

export type DriverProblem =
  | { kind: 'missing' }
  | { kind: 'unbuilt' }
  | { kind: 'abi' }
  | { kind: 'broken'; detail: string }

/** How this copy of Penguin was installed, judged from where its files are. */
export type InstallKind = 'npm-global' | 'pnpm-global' | 'npm' | 'pnpm' | 'workspace'

export function installKind(modulePath: string): InstallKind {
  const parts = modulePath.split(/[\\/]/)
  const pnpmStore = parts.indexOf('.pnpm')
  if (pnpmStore >= 0) return parts.slice(0, pnpmStore).includes('global') ? 'pnpm-global' : 'pnpm'
  const modules = parts.lastIndexOf('node_modules')
  if (modules < 0) return 'workspace'
  // npm's global packages are in <prefix>/lib/node_modules (Unix) or %APPDATA%\npm\node_modules.
  const parent = parts[modules - 1]
  return parent === 'lib' || parent === 'npm' ? 'npm-global' : 'npm'
}

/** What went wrong loading the driver, from the error Node or better-sqlite3 threw. */
export function classifyDriverError(error: unknown): DriverProblem {
  const code = (error as { code?: unknown } | undefined)?.code
  const message = error instanceof Error ? error.message : String(error)
  if ((code === 'MODULE_NOT_FOUND' || code === 'ERR_MODULE_NOT_FOUND') && /better-sqlite3/.test(message))
    return { kind: 'missing' }
  if (/Could not locate the bindings file/.test(message)) return { kind: 'unbuilt' }
  if (/NODE_MODULE_VERSION|was compiled against a different Node\.js version/.test(message))
    return { kind: 'abi' }
  return { kind: 'broken', detail: message.split('\n')[0] ?? message }
}

const FIXES: Record<InstallKind, Record<DriverProblem['kind'], string>> = {
  'pnpm-global': {
    missing: 'pnpm add -g penguin-ai',
    unbuilt: 'pnpm approve-builds -g (approve better-sqlite3)',
    abi: 'pnpm rebuild -g better-sqlite3',
    broken: 'pnpm rebuild -g better-sqlite3',
  },
  'npm-global': {
    missing: 'npm i -g penguin-ai',
    unbuilt: 'npm rebuild -g better-sqlite3',
    abi: 'npm rebuild -g better-sqlite3',
    broken: 'npm rebuild -g better-sqlite3',
  },
  pnpm: {
    missing: 'pnpm add penguin-ai',
    unbuilt: 'pnpm approve-builds (approve better-sqlite3)',
    abi: 'pnpm rebuild better-sqlite3',
    broken: 'pnpm rebuild better-sqlite3',
  },
  npm: {
    missing: 'npm i penguin-ai',
    unbuilt: 'npm rebuild better-sqlite3',
    abi: 'npm rebuild better-sqlite3',
    broken: 'npm rebuild better-sqlite3',
  },
  workspace: {
    missing: 'pnpm install',
    unbuilt: 'pnpm rebuild better-sqlite3',
    abi: 'pnpm rebuild better-sqlite3',
    broken: 'pnpm rebuild better-sqlite3',
  },
}

/** The one line a user reads: what is wrong with the driver and the command that fixes it. */
export function driverMessage(problem: DriverProblem, install: InstallKind, nodeVersion: string): string {
  const what =
    problem.kind === 'missing'
      ? 'is not installed'
      : problem.kind === 'unbuilt'
        ? install === 'pnpm-global' || install === 'pnpm'
          ? 'is not built (pnpm skips build scripts it has not been told to trust)'
          : 'is not built (its install script did not run)'
        : problem.kind === 'abi'
          ? `was built for another Node.js version than this one (${nodeVersion})`
          : `cannot be loaded (${problem.detail})`
  return `the SQLite driver (better-sqlite3) ${what}, and this command needs the database. Fix: ${FIXES[install][problem.kind]}, then run the command again.`
}

const here = fileURLToPath(import.meta.url)
let checked = false

/** Undefined when the driver loads and opens a database; otherwise the one-line explanation. */
export function sqliteDriverProblem(): string | undefined {
  try {
    // Resolved the way the store's own `import` resolves it (ESM resolution, which ignores
    // NODE_PATH), then loaded synchronously: it is a CommonJS module.
    const entry = fileURLToPath(import.meta.resolve('better-sqlite3'))
    const Database = createRequire(import.meta.url)(entry) as new (path: string) => { close(): void }
    new Database(':memory:').close()
    return undefined
  } catch (error) {
    return driverMessage(classifyDriverError(error), installKind(here), process.version)
  }
}

/** Throws the usage error (exit 2) unless the driver works. Checked once per process. */
export function requireSqliteDriver(): void {
  if (checked) return
  const problem = sqliteDriverProblem()
  if (problem) throw new CliError(problem, EXIT.usage)
  checked = true
}
