/**
 * Before the browser tests: builds what they serve when it is missing or older than its sources —
 * the UI (Vite → dist/app) and the Node entry that serves it (tsc → dist/assets.js).
 */
import { execFileSync } from 'node:child_process'
import { existsSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const PACKAGE = fileURLToPath(new URL('../../', import.meta.url))

export default function setup(): void {
  if (stale('dist/app/index.html', ['src/app', 'public', 'index.html', 'vite.config.ts'])) {
    // A child process: vitest's NODE_ENV=test would otherwise give a development build of React.
    run('vite', ['build', '--logLevel', 'warn'])
  }
  if (stale('dist/assets.js', ['src/assets.ts', 'src/node', 'tsconfig.build.json'])) {
    run('tsc', ['-p', 'tsconfig.build.json'])
  }
}

function run(bin: string, args: string[]): void {
  execFileSync(join(PACKAGE, 'node_modules', '.bin', bin), args, {
    cwd: PACKAGE,
    stdio: 'inherit',
    env: { ...process.env, NODE_ENV: 'production' },
  })
}

function stale(output: string, sources: string[]): boolean {
  const path = join(PACKAGE, output)
  if (!existsSync(path)) return true
  const builtAt = statSync(path).mtimeMs
  return sources.some((source) => newestMtime(join(PACKAGE, source)) > builtAt)
}

function newestMtime(path: string): number {
  if (!existsSync(path)) return 0
  const info = statSync(path)
  if (!info.isDirectory()) return info.mtimeMs
  return Math.max(info.mtimeMs, ...readdirSync(path).map((name) => newestMtime(join(path, name))))
}
