import type { MockScript, MockServer } from '@penguin-ai/mock-llm'
import type { Store } from '@penguin-ai/store'

export interface PenguinServerOptions {
  /** Require bearer tokens (one is created: `token`). Default false. */
  auth?: boolean
  /** The mock model's answers. */
  script?: MockScript
  /** Where the built UI is; default webAssetsDir(). */
  webDir?: string
  /** How sessions' commands run (the server's --sandbox). Default 'off': commands are asked about. */
  sandbox?: 'read-only' | 'workspace-write' | 'off'
}

export interface PenguinServer {
  url: string
  /** The server's --root, and a workspace inside it (README.md, src/app.js). */
  root: string
  workspace: string
  store: Store
  mock: MockServer
  token: string | undefined
  close(): Promise<void>
}

export function startPenguinServer(options?: PenguinServerOptions): Promise<PenguinServer>
