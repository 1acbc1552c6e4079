import { defineConfig } from 'vitest/config'

// Resolve workspace packages to their TypeScript sources so a package's tests run without a build.
// The concurrency test spawns Node on the built package, so globalSetup builds dist when it is stale;
// postgres-setup starts a private PostgreSQL cluster: every backend test runs on SQLite and Postgres.
// On PostgreSQL, at load ~20 on two cores, a test took 9–21 s (one past the old 20 s bound): 60 s.
// Hooks do real work (servers, databases, git repositories, removing temp dirs): vitest's
// default 10 s hook bound is too tight on a busy two-core machine. Bounds only catch hangs.
export default defineConfig({
  resolve: { conditions: ['@penguin-ai/source'] },
  ssr: { resolve: { conditions: ['@penguin-ai/source'] } },
  test: {
    include: ['test/**/*.test.ts', 'src/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts', 'test/postgres-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
})
