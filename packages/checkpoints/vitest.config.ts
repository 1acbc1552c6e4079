import { defineConfig } from 'vitest/config'

// Resolve workspace packages to their TypeScript sources so a package's tests run without a build.
// Bounds: every test snapshots and restores real workspaces with git, several processes each; at
// load 20–30 on two cores most took 9–21 s, past the old 20 s. The bounds only turn a hang into a
// failure, so they are generous: 90 s for a test and for hooks (vitest's default hook bound is 10 s).
export default defineConfig({
  resolve: { conditions: ['@penguin-ai/source'] },
  ssr: { resolve: { conditions: ['@penguin-ai/source'] } },
  test: {
    include: ['test/**/*.test.ts', 'src/**/*.test.ts'],
    testTimeout: 90_000,
    hookTimeout: 90_000,
  },
})
