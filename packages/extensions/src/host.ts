/**
 * Attaches a workspace's extensions to an engine: turns `AgentSetup.extensions` into engine
 * extensions and owns what they started, until `close`. The CLI and the server call this only when
 * something is configured (`hasExtensions`), so a plain run loads none of it.
 */
import type { ExtensionSettings } from '@penguin-ai/config'
import type { EngineExtension, NoticeLevel } from '@penguin-ai/engine'
import { McpServers, type ServerStatus } from '@penguin-ai/mcp'
import { childEnvironment } from '@penguin-ai/tools'
import { ClaudeHooks, type HookPermissionMode } from './hooks/extension.js'
import { type Launcher, launchSpec } from './launch.js'
import { loadPlugins, loadToolFiles } from './plugins/load.js'
import { type ModuleMap, provideModules } from './plugins/modules.js'

export interface Notice {
  level: NoticeLevel
  source: string
  message: string
}

export interface ExtensionHostOptions {
  /** The extension settings and workspace of an agent setup. */
  settings: ExtensionSettings
  workspace: string
  /** What commands keep of the environment besides non-credentials (`AgentSetup.commandEnv`). */
  commandEnv?: { allow?: string[] }
  /** Where `${VAR}`s are read and what children start from. Default: process.env. */
  env?: NodeJS.ProcessEnv
  /** --yes: hooks are told `permission_mode: bypassPermissions` (unless `permissionMode` says). */
  autoApprove?: boolean
  /**
   * What hooks are told as `permission_mode`, where neither `default` nor --yes's
   * `bypassPermissions` is what the caller does (`penguin mcp serve`: `plan`, or `acceptEdits` with
   * --allow-writes).
   */
  permissionMode?: HookPermissionMode
  /** How extension programs are started (the sandbox seam); default `launchSpec`. */
  launch?: Launcher
  /**
   * Bare specifiers plugin and tool files may import without installing them (`penguin-ai`, `zod`):
   * the running Penguin's own modules. Default: none.
   */
  modules?: ModuleMap
  /** Penguin's name and version, as MCP servers are told. */
  clientInfo?: { name: string; version: string }
  /** What happens outside a run (a SessionEnd hook failing): default nothing. */
  onNotice?: (notice: Notice) => void
}

export type SessionEndReason = 'clear' | 'logout' | 'prompt_input_exit' | 'other'

export interface ExtensionHost {
  /** In the order the engine should call them. */
  readonly extensions: EngineExtension[]
  /** The MCP servers and their tools, as they are now (empty when none is configured). */
  mcpStatus(): ServerStatus[]
  /** Ends the session for the extensions: SessionEnd hooks, then every server stopped. Idempotent. */
  close(reason?: SessionEndReason): Promise<void>
}

export async function openExtensions(options: ExtensionHostOptions): Promise<ExtensionHost> {
  const launch = options.launch ?? launchSpec
  const env = stringEnv(childEnvironment(options.env ?? process.env, options.commandEnv))
  const extensions: EngineExtension[] = []
  const hooks = options.settings.hooks.length
    ? new ClaudeHooks({
        hooks: options.settings.hooks,
        cwd: options.workspace,
        env,
        launch,
        permissionMode: options.permissionMode ?? (options.autoApprove ? 'bypassPermissions' : 'default'),
      })
    : undefined
  if (hooks) extensions.push(hooks)
  const { plugins, toolFiles } = options.settings
  if (plugins.length || toolFiles.length) {
    provideModules(options.modules ?? {})
    const load = {
      cwd: options.workspace,
      warn: (message: string) => options.onNotice?.({ level: 'warning', source: 'plugins', message }),
    }
    const [loadedPlugins, tools] = await Promise.all([
      loadPlugins(plugins, load),
      loadToolFiles(toolFiles, load),
    ])
    extensions.push(...loadedPlugins, ...(tools ? [tools] : []))
  }
  // Started now, in parallel: the first model request waits at most for their handshakes.
  const mcp = options.settings.mcpServers.length
    ? new McpServers(options.settings.mcpServers, {
        workspace: options.workspace,
        env: options.env ?? process.env,
        baseEnv: env,
        launch,
        ...(options.clientInfo ? { clientInfo: options.clientInfo } : {}),
      }).start()
    : undefined
  if (mcp) extensions.push(mcp)
  let closed: Promise<void> | undefined
  return {
    extensions,
    mcpStatus: () => mcp?.status() ?? [],
    close(reason = 'other') {
      closed ??= (async () => {
        const notify = (level: NoticeLevel, message: string) =>
          options.onNotice?.({ level, source: 'hooks', message })
        try {
          await hooks?.end(reason, notify)
        } finally {
          await mcp?.close()
        }
      })()
      return closed
    },
  }
}

function stringEnv(env: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [key, value] of Object.entries(env)) if (value !== undefined) out[key] = value
  return out
}
