/**
 * `useMockLlm()`: mock servers for a vitest file, each closed after the test that started it. Its
 * own subpath (`@penguin-ai/mock-llm/vitest`) so the package's root stays usable outside vitest.
 */
import { afterEach } from 'vitest'
import { startMockServer } from './server.js'
import type { MockServer, MockServerOptions, MockTurn } from './types.js'

/** Starts a mock server with a script (or full options), closed after the current test. */
export type StartMock = (script?: MockTurn[] | MockServerOptions) => Promise<MockServer>

export function useMockLlm(): StartMock {
  const servers: MockServer[] = []
  afterEach(async () => {
    for (const server of servers.splice(0)) await server.close()
  })
  return async (script = []) => {
    const server = await startMockServer(Array.isArray(script) ? { script } : script)
    servers.push(server)
    return server
  }
}
