/**
 * The CLI's side of extensions (hooks, MCP servers, plugins, custom tools): loaded only when the
 * setup configures any, so a plain `penguin run` imports none of their code.
 */
import { hasExtensions } from '@penguin-ai/config'
import type { EngineExtension } from '@penguin-ai/engine'
import type { SessionEndReason } from '@penguin-ai/extensions'
import { version } from './help.js'
import type { AgentSetup } from './setup.js'

export interface LoadedExtensions {
  extensions: EngineExtension[]
  close(reason?: SessionEndReason): Promise<void>
}

export async function loadExtensions(
  setup: AgentSetup,
  options: { autoApprove: boolean; warn: (line: string) => void },
): Promise<LoadedExtensions | undefined> {
  if (!hasExtensions(setup.extensions)) return undefined
  const { openExtensions } = await import('@penguin-ai/extensions')
  return openExtensions({
    settings: setup.extensions,
    workspace: setup.workspace.root,
    commandEnv: setup.commandEnv,
    autoApprove: options.autoApprove,
    clientInfo: { name: 'penguin', version: version() },
    onNotice: (notice) => options.warn(`${notice.source}: ${notice.message}`),
  })
}
