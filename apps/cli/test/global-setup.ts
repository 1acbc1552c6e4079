import { execFileSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'

/**
 * End-to-end tests spawn the built `penguin`, so build it (and the packages it uses) first.
 * Turbo's cache makes this nearly free when nothing changed.
 */
export default function setup(): void {
  const root = fileURLToPath(new URL('../../../', import.meta.url))
  execFileSync(
    'pnpm',
    ['exec', 'turbo', 'run', 'build', '--filter=penguin-ai...', '--output-logs=errors-only'],
    {
      cwd: root,
      stdio: 'inherit',
    },
  )
}
