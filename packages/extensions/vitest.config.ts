import { defineConfig } from 'vitest/config'

// Resolve workspace packages to their TypeScript sources so a package's tests run without a build.
// A workspace's MCP server started in the sandbox took 8 s at load ~18 on two cores (40% of the old
// 20 s bound), so 60 s.
// Hooks do real work (servers, databases, git repositories, removing temp dirs): vitest's
// default 10 s hook bound is too tight on a busy two-core machine. Bounds only catch hangs.
export default defineConfig({
  resolve: { conditions: ['@penguin-ai/source'] },
  ssr: { resolve: { conditions: ['@penguin-ai/source'] } },
  test: { include: ['test/**/*.test.ts', 'src/**/*.test.ts'], testTimeout: 60_000, hookTimeout: 60_000 },
})
