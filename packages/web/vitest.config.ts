import { defineConfig } from 'vitest/config'

// Workspace packages resolve to their TypeScript sources, so tests run without building them.
// Unit tests declare their DOM (`@vitest-environment happy-dom`) where they need one; the browser
// tests (test/e2e) drive Debian's Chromium against a real server with the built UI (built first
// by test/support/global-setup.ts when it is missing or older than the sources).
export default defineConfig({
  resolve: { conditions: ['@penguin-ai/source'] },
  ssr: { resolve: { conditions: ['@penguin-ai/source'] } },
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    globalSetup: ['test/support/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
})
