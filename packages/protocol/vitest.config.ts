import { defineConfig } from 'vitest/config'

// Resolve workspace packages to their TypeScript sources so a package's tests run without a build.
export default defineConfig({
  resolve: { conditions: ['@penguin-ai/source'] },
  ssr: { resolve: { conditions: ['@penguin-ai/source'] } },
  test: { include: ['test/**/*.test.ts', 'src/**/*.test.ts'], testTimeout: 20_000 },
})
