/**
 * The set-up of the remote chat tests: a Penguin server in this process on a real port, the mock
 * model behind it over HTTP, and an SDK client to look at what the server stored. One per test
 * file (`useRemoteServer` registers beforeAll/afterAll); the CLI under test talks to `server.url`.
 */
import { mkdtemp, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { type MockServer, startMockServer } from '@penguin-ai/mock-llm'
import { PenguinClient } from '@penguin-ai/sdk'
import { type RunningServer, serve } from '@penguin-ai/server'
import { inProcessServerOptions, tempDir } from '@penguin-ai/testkit'
import { afterAll, beforeAll } from 'vitest'

export interface RemoteWorld {
  readonly mock: MockServer
  readonly server: RunningServer
  /** The server's --root: every workspace lies under it. */
  readonly root: string
  readonly client: PenguinClient
  /** A new workspace under the root, with these files. */
  workspace(files?: Record<string, string>): Promise<string>
}

export function useRemoteServer(prefix: string): RemoteWorld {
  let mock: MockServer | undefined
  let server: RunningServer | undefined
  let root: string | undefined
  let client: PenguinClient | undefined
  const ready = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('useRemoteServer: the server starts in beforeAll')
    return value
  }
  beforeAll(async () => {
    mock = await startMockServer({ script: [] })
    root = tempDir(prefix)
    server = await serve(inProcessServerOptions(mock, root))
    client = new PenguinClient({ baseUrl: server.url })
  })
  afterAll(async () => {
    await server?.close()
    await mock?.close()
  })
  return {
    get mock() {
      return ready(mock)
    },
    get server() {
      return ready(server)
    },
    get root() {
      return ready(root)
    },
    get client() {
      return ready(client)
    },
    async workspace(files = {}) {
      const dir = await mkdtemp(join(ready(root), 'ws-'))
      for (const [path, content] of Object.entries(files)) await writeFile(join(dir, path), content)
      return dir
    },
  }
}
