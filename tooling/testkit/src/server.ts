/**
 * Options for an in-process Penguin server (`serve()` from @penguin-ai/server) on a loopback port,
 * pointed at a mock model: the set-up every test of a client (SDK, CLI `--server`, web) repeats.
 * The kit does not import the server (the server's own tests use the kit); spread these into
 * `serve({ ...inProcessServerOptions(mock, root), ...yours })`.
 */
import { join } from 'node:path'

export interface InProcessServerOptions {
  host: '127.0.0.1'
  port: 0
  root: string
  auth: false
  dbPath: string
  model: string
  baseUrl: string
  env: Record<string, string>
  handleSignals: false
  log: () => undefined
}

export function inProcessServerOptions(mock: { url: string }, root: string): InProcessServerOptions {
  return {
    host: '127.0.0.1',
    port: 0,
    root,
    auth: false,
    dbPath: join(root, '.penguin', 'penguin.db'),
    model: 'openai/gpt-4o',
    baseUrl: mock.url,
    env: { OPENAI_API_KEY: 'sk-test' },
    handleSignals: false,
    log: () => undefined,
  }
}
