import { defineConfig } from 'vitest/config'

// Resolve workspace packages to their TypeScript sources so a package's tests run without a build.
// Bounds: the worktree and merge tests start 30–45 git processes each, one after another; at load
// 20–30 on two cores (the suite beside stress-ng and another package's tests) one took 14–21 s, past
// the old 20 s. The bounds only turn a hang into a failure, so they are generous: 90 s for a test, and
// the same for hooks (vitest's default hook bound is 10 s).
export default defineConfig({
  resolve: { conditions: ['@penguin-ai/source'] },
  ssr: { resolve: { conditions: ['@penguin-ai/source'] } },
  test: {
    include: ['test/**/*.test.ts', 'src/**/*.test.ts'],
    testTimeout: 90_000,
    hookTimeout: 90_000,
  },
})
