import { execFileSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'

/**
 * One test runs the built `penguin bench` as a subprocess, so build the CLI (and with it this
 * package and everything it uses) first. Turbo's cache makes this nearly free when nothing changed.
 */
export default function setup(): void {
  const root = fileURLToPath(new URL('../../', import.meta.url))
  execFileSync(
    'pnpm',
    ['exec', 'turbo', 'run', 'build', '--filter=penguin-ai...', '--output-logs=errors-only'],
    {
      cwd: root,
      stdio: 'inherit',
    },
  )
}
