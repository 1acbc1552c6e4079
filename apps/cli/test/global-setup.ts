import { execFileSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'

/**
 * End-to-end tests spawn the built `penguin`, so build it (and the packages it uses) first.
 * Turbo's cache makes this nearly free when nothing changed. Under `turbo run test` (TURBO_HASH is
 * set for its tasks) the build already ran before this task (turbo.json: test depends on build),
 * and a second, nested build could rewrite dist/ while other packages' tests run the binary.
 */
export default function setup(): void {
  if (process.env.TURBO_HASH) return
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
