/**
 * The CLI's side of extensions (hooks, MCP servers, plugins, custom tools): loaded only when the
 * setup configures any, so a plain `penguin run` imports none of their code.
 */
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { hasExtensions } from '@penguin-ai/config'
import type { EngineExtension } from '@penguin-ai/engine'
import type { HookPermissionMode, SessionEndReason } from '@penguin-ai/extensions'
import type { AgentSetup } from './setup.js'
import { version } from './version.js'

export interface LoadedExtensions {
  extensions: EngineExtension[]
  close(reason?: SessionEndReason): Promise<void>
}

export async function loadExtensions(
  setup: AgentSetup,
  options: { autoApprove: boolean; permissionMode?: HookPermissionMode; warn: (line: string) => void },
): Promise<LoadedExtensions | undefined> {
  if (!hasExtensions(setup.extensions)) return undefined
  const { openExtensions, sandboxedLaunch } = await import('@penguin-ai/extensions')
  return openExtensions({
    settings: setup.extensions,
    workspace: setup.workspace.root,
    commandEnv: setup.commandEnv,
    // Programs a workspace's config names run in the agent's sandbox, as its commands do.
    launch: sandboxedLaunch(setup.sandbox.instance),
    autoApprove: options.autoApprove,
    ...(options.permissionMode ? { permissionMode: options.permissionMode } : {}),
    clientInfo: { name: 'penguin', version: version() },
    modules: ownModules(),
    onNotice: (notice) => options.warn(`${notice.source}: ${notice.message}`),
  })
}

/**
 * What plugin and tool files may import without installing: this Penguin's library (`penguin-ai`,
 * the bundle's dist/index.js beside this chunk) and the zod it was built with.
 */
function ownModules(): Record<string, string> {
  const modules: Record<string, string> = {}
  // The bundle's library entry sits beside this chunk in dist/ (a variable, not an asset URL: the
  // bundle checker's asset rule is about files copied from src/, and this one is built).
  const entry = './index.js'
  const library = new URL(entry, import.meta.url)
  if (existsSync(fileURLToPath(library))) modules['penguin-ai'] = library.href
  try {
    modules.zod = import.meta.resolve('zod')
  } catch {
    // Not resolvable from here: plugin files must bring their own.
  }
  return modules
}
