/**
 * The MCP CLI tests' set-up (cli-mcp, cli-mcp-serve, cli-mcp-sandbox): what a test starts is closed
 * after it, last first; the mock model; a user config of its own.
 */
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { type MockServer, type MockTurn, startMockServer } from '@penguin-ai/mock-llm'
import { afterEach } from 'vitest'

const cleanups: (() => Promise<void> | void)[] = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

/** Runs `cleanup` after the test (after what was registered later). */
export function afterTest(cleanup: () => Promise<void> | void): void {
  cleanups.push(cleanup)
}

/** The mock model with `script`, closed after the test. */
export async function mock(script: MockTurn[]): Promise<MockServer> {
  const server = await startMockServer({ script })
  afterTest(() => server.close())
  return server
}

/** A user config (`$XDG_CONFIG_HOME/penguin/config.json`) of `config`: the env that selects it. */
export async function userConfig(
  config: Record<string, unknown>,
): Promise<{ env: Record<string, string>; file: string }> {
  const xdg = await mkdtemp(join(tmpdir(), 'penguin-xdg-'))
  const file = join(xdg, 'penguin', 'config.json')
  await mkdir(dirname(file), { recursive: true })
  await writeFile(file, JSON.stringify(config, null, 2))
  return { env: { XDG_CONFIG_HOME: xdg, OPENAI_API_KEY: 'sk-test' }, file }
}
