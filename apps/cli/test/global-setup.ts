import { execFileSync } from 'node:child_process'
import { rmSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { TEST_BUILD } from './test-build.js'

const WEB = fileURLToPath(new URL('../../../packages/web/', import.meta.url))

/**
 * End-to-end tests spawn the built `penguin`: this builds one of their own into `.test-build/`,
 * from the workspace's sources alone, in seconds — the web UI with vite (its one asset that is
 * built), then the bundle (scripts/bundle.mjs --out, without the types).
 *
 * Why not dist/: its types need every package's built .d.ts, so a test task that waited for dist/
 * waited for the workspace's whole build chain, and turbo (whose slots go to tasks in the order they
 * become ready) started these tests, the longest of the suite, after every other package's. Now they
 * depend on no build at all (apps/cli/turbo.json lists the sources they are built from as inputs).
 * And other packages' tests run dist/ while a build replayed from turbo's cache may rewrite it:
 * nothing else reads or writes `.test-build/`.
 */
export default function setup(): void {
  rmSync(TEST_BUILD, { recursive: true, force: true })
  const web = join(TEST_BUILD, 'web')
  execFileSync(
    join(WEB, 'node_modules', '.bin', 'vite'),
    ['build', '--outDir', join(web, 'dist', 'app'), '--emptyOutDir', '--logLevel', 'warn'],
    { cwd: WEB, stdio: 'inherit' },
  )
  execFileSync(
    process.execPath,
    [
      fileURLToPath(new URL('../scripts/bundle.mjs', import.meta.url)),
      '--out',
      TEST_BUILD,
      '--no-types',
      '--assets-of',
      `@penguin-ai/web=${web}`,
    ],
    { stdio: 'inherit' },
  )
  rmSync(web, { recursive: true, force: true })
}
