import { defineConfig } from 'vitest/config'

// Resolve workspace packages to their TypeScript sources so a package's tests run without a build.
export default defineConfig({
  resolve: { conditions: ['@penguin-ai/source'] },
  ssr: { resolve: { conditions: ['@penguin-ai/source'] } },
  test: {
    include: ['test/**/*.test.ts', 'src/**/*.test.ts'],
    // Every test runs the real \`penguin\` binary as a subprocess, often several times, and each start
    // costs a second or more of CPU: on a busy machine that is genuinely slow work, so the bounds
    // (which only turn a hang into a failure) are generous. A test that starts penguin a dozen times
    // (cli-sessions) took over 120 s with two files at a time at load ~28 on 2 cores. Tests never
    // assert on time.
    testTimeout: 300_000,
    hookTimeout: 300_000,
    // Three test files at a time, even on 2 cores (vitest's default there is one): a test spends
    // most of its time waiting for the `penguin` it started, so one file at a time left the machine
    // idle between starts, and these tests are the longest task of `pnpm test` (and beside
    // `test:stress`'s two CPU-bound processes, more runnable test processes get a larger share of
    // the CPU). Each file keeps its own temp homes, databases and mock servers (nothing is shared
    // between files but the code cache, whose files are written whole and renamed into place).
    maxWorkers: 3,
    globalSetup: ['test/global-setup.ts'],
  },
})
