import { execFileSync } from 'node:child_process'
import { existsSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))

function mtimes(dir: string): number[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .map((entry) => statSync(join(entry.parentPath, entry.name)).mtimeMs)
}

/**
 * The concurrency test runs the built package in child processes: build dist when it is missing
 * or older than any source (a clean checkout after `pnpm install` has no dist).
 */
export default function setup(): void {
  const dist = join(root, 'dist')
  if (existsSync(join(dist, 'index.js'))) {
    const oldestBuilt = Math.min(...mtimes(dist))
    const newestSource = Math.max(
      ...mtimes(join(root, 'src')),
      statSync(join(root, 'tsconfig.build.json')).mtimeMs,
    )
    if (oldestBuilt >= newestSource) return
  }
  execFileSync(join(root, 'node_modules', '.bin', 'tsc'), ['-p', 'tsconfig.build.json'], {
    cwd: root,
    stdio: 'inherit',
  })
}
