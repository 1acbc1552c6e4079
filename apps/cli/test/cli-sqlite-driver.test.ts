/**
 * A driver that is missing or not built: the built `penguin` copied into an npm-global and a
 * pnpm-global layout beside a real better-sqlite3 whose native build is absent (what `pnpm add -g`
 * leaves until the build is approved, or `--ignore-scripts`), or no better-sqlite3 at all. Commands
 * that need the database say so in one line with the fix, exit 2; the others keep working.
 */
import { cp, mkdir, mkdtemp, readdir, rm, symlink } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { classifyDriverError, driverMessage, installKind } from '../src/store/driver.js'
import { runPenguin } from './cli-helpers.js'
import { TEST_BUILD } from './test-build.js'

const cliRoot = fileURLToPath(new URL('..', import.meta.url))
const requireHere = createRequire(join(cliRoot, 'package.json'))
const packageDir = (from: NodeRequire, name: string) => dirname(from.resolve(`${name}/package.json`))

let base: string
beforeAll(async () => {
  base = await mkdtemp(join(tmpdir(), 'penguin-driver-'))
})
afterAll(async () => {
  await rm(base, { recursive: true, force: true })
})

/** pnpm puts its virtual store on NODE_PATH for scripts: a user's shell has none of that. */
const clean = { NODE_PATH: undefined }

/** penguin-ai as a package manager lays it out: bin, the bundle (no source maps), its files. */
async function installCopy(pkgDir: string): Promise<void> {
  await mkdir(pkgDir, { recursive: true })
  for (const entry of ['bin', 'demo', 'drizzle', 'package.json'])
    await cp(join(TEST_BUILD, entry), join(pkgDir, entry), { recursive: true })
  await cp(join(TEST_BUILD, 'dist'), join(pkgDir, 'dist'), {
    recursive: true,
    filter: (source) => !source.endsWith('.map'),
  })
}

/** better-sqlite3's JavaScript and its loader, without the compiled `build/` directory. */
async function unbuiltDriver(modules: string): Promise<void> {
  const driver = packageDir(requireHere, 'better-sqlite3')
  const requireDriver = createRequire(join(driver, 'package.json'))
  const bindings = packageDir(requireDriver, 'bindings')
  const fileUri = packageDir(createRequire(join(bindings, 'package.json')), 'file-uri-to-path')
  await mkdir(join(modules, 'better-sqlite3'), { recursive: true })
  for (const entry of await readdir(driver)) {
    if (entry === 'build' || entry === 'node_modules') continue
    await cp(join(driver, entry), join(modules, 'better-sqlite3', entry), { recursive: true })
  }
  await cp(bindings, join(modules, 'bindings'), { recursive: true })
  await cp(fileUri, join(modules, 'file-uri-to-path'), { recursive: true })
}

async function linkZod(modules: string): Promise<void> {
  await mkdir(modules, { recursive: true })
  await symlink(packageDir(requireHere, 'zod'), join(modules, 'zod'), 'dir')
}

describe('npm global install, driver not built', () => {
  let bin: string
  beforeAll(async () => {
    const pkg = join(base, 'npm', 'lib', 'node_modules', 'penguin-ai')
    await installCopy(pkg)
    await unbuiltDriver(join(pkg, 'node_modules'))
    await linkZod(join(pkg, 'node_modules'))
    bin = join(pkg, 'bin', 'penguin.js')
  })

  test.each([
    [['sessions', 'list']],
    [['token', 'create', '--name', 'ci']],
    [['project', 'list']],
    [['stats']],
    [['serve', '--port', '0']],
  ])('penguin %j: one line naming npm rebuild -g better-sqlite3, exit 2', async (args) => {
    const result = await runPenguin(args, { bin, env: clean })
    expect(result.code).toBe(2)
    const lines = result.stderr.trim().split('\n')
    expect(lines).toHaveLength(1)
    expect(lines[0]).toMatch(/^penguin: the SQLite driver \(better-sqlite3\) is not built/)
    expect(lines[0]).toContain('Fix: npm rebuild -g better-sqlite3')
    expect(result.stderr).not.toMatch(/bindings file|node_modules|\n\s+at /)
  })

  test('--version, --help and the demo need no database', async () => {
    expect((await runPenguin(['--version'], { bin, env: clean })).stdout.trim()).toMatch(/^\d+\.\d+\.\d+/)
    expect((await runPenguin(['--help'], { bin, env: clean })).code).toBe(0)
    const demo = await runPenguin(['demo', '--fast'], { bin, env: clean })
    expect(demo.stderr).toBe('')
    expect(demo.code).toBe(0)
    expect(demo.stdout).toMatch(/done/)
  })
})

describe('pnpm global install', () => {
  test('driver not built: the fix is approving its build', async () => {
    const store = join(base, 'pnpm-home', 'global', '5', 'node_modules', '.pnpm')
    const modules = join(store, 'penguin-ai@0.1.0', 'node_modules')
    await installCopy(join(modules, 'penguin-ai'))
    await unbuiltDriver(modules)
    await linkZod(modules)
    const result = await runPenguin(['sessions', 'list'], {
      bin: join(modules, 'penguin-ai', 'bin', 'penguin.js'),
      env: clean,
    })
    expect(result.code).toBe(2)
    expect(result.stderr.trim().split('\n')).toHaveLength(1)
    expect(result.stderr).toMatch(/is not built \(pnpm skips build scripts/)
    expect(result.stderr).toContain('Fix: pnpm approve-builds -g (approve better-sqlite3)')
  })

  test('driver not installed at all', async () => {
    const modules = join(
      base,
      'pnpm-home-2',
      'global',
      '5',
      'node_modules',
      '.pnpm',
      'penguin-ai@0.1.0',
      'node_modules',
    )
    await installCopy(join(modules, 'penguin-ai'))
    await linkZod(modules)
    const bin = join(modules, 'penguin-ai', 'bin', 'penguin.js')
    const result = await runPenguin(['task', 'list', '1'], { bin, env: clean })
    expect(result.stderr).toContain('is not installed')
    expect(result.code).toBe(2)
    expect(result.stderr.trim().split('\n')).toHaveLength(1)
    expect(result.stderr).toContain('is not installed')
    expect(result.stderr).toContain('Fix: pnpm add -g penguin-ai')
    expect((await runPenguin(['demo', '--fast'], { bin, env: clean })).code).toBe(0)
  })
})

describe('the message', () => {
  test('install kinds from real layouts', () => {
    expect(installKind('/usr/local/lib/node_modules/penguin-ai/dist/chunk-A.js')).toBe('npm-global')
    expect(installKind('/home/u/.nvm/versions/node/v20.20.0/lib/node_modules/penguin-ai/dist/x.js')).toBe(
      'npm-global',
    )
    expect(installKind('C:\\Users\\u\\AppData\\Roaming\\npm\\node_modules\\penguin-ai\\dist\\x.js')).toBe(
      'npm-global',
    )
    expect(
      installKind(
        '/home/u/.local/share/pnpm/global/5/.pnpm/penguin-ai@0.1.0/node_modules/penguin-ai/dist/x.js',
      ),
    ).toBe('pnpm-global')
    expect(
      installKind('/srv/app/node_modules/.pnpm/penguin-ai@0.1.0/node_modules/penguin-ai/dist/x.js'),
    ).toBe('pnpm')
    expect(installKind('/srv/app/node_modules/penguin-ai/dist/x.js')).toBe('npm')
    expect(installKind('/work/penguin/apps/cli/src/store/driver.ts')).toBe('workspace')
  })

  test('a Node upgrade: rebuild for this Node', () => {
    const error = new Error(
      "The module '/x/better_sqlite3.node' was compiled against a different Node.js version using NODE_MODULE_VERSION 127. This version of Node.js requires NODE_MODULE_VERSION 115.",
    )
    const problem = classifyDriverError(error)
    expect(problem).toEqual({ kind: 'abi' })
    expect(driverMessage(problem, 'npm-global', 'v20.20.2')).toBe(
      'the SQLite driver (better-sqlite3) was built for another Node.js version than this one (v20.20.2), and this command needs the database. Fix: npm rebuild -g better-sqlite3, then run the command again.',
    )
  })
})
