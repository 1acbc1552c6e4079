import { defineConfig } from 'vitest/config'

// Resolve workspace packages to their TypeScript sources; the `penguin` processes run the built bundle.
export default defineConfig({
  resolve: { conditions: ['@penguin-ai/source'] },
  ssr: { resolve: { conditions: ['@penguin-ai/source'] } },
  test: {
    include: ['test/**/*.test.ts'],
    // A whole deployment of real processes (PostgreSQL, servers, workers) on a busy 2-core machine:
    // the bounds only turn a hang into a failure. Tests never assert on time.
    testTimeout: 300_000,
    hookTimeout: 120_000,
  },
})
