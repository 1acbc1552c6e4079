import { defineConfig } from 'vitest/config'

// Resolve workspace packages to their TypeScript sources so a package's tests run without a build.
export default defineConfig({
  resolve: { conditions: ['@penguin-ai/source'] },
  ssr: { resolve: { conditions: ['@penguin-ai/source'] } },
  test: {
    include: ['test/**/*.test.ts', 'src/**/*.test.ts'],
    // Every test runs the real \`penguin\` binary as a subprocess, often several times, and each start
    // costs a second or more of CPU: on a busy machine that is genuinely slow work, so the bounds
    // (which only turn a hang into a failure) are generous. Tests never assert on time.
    testTimeout: 120_000,
    hookTimeout: 120_000,
    globalSetup: ['test/global-setup.ts'],
  },
})
