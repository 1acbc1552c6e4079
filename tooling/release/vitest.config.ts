import { defineConfig } from 'vitest/config'

// Hooks do real work (servers, databases, git repositories, removing temp dirs): vitest's
// default 10 s hook bound is too tight on a busy two-core machine. Bounds only catch hangs.
export default defineConfig({
  test: { include: ['test/**/*.test.ts'], testTimeout: 60_000, hookTimeout: 60_000 },
})
