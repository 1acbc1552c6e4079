/**
 * `@penguin-ai/extensions`: what extends Penguin's agent from outside — Claude Code compatible
 * hooks, plugins and custom tool files — and the host that attaches them, with MCP servers, to an
 * engine through its one extension seam (`EngineExtension` of @penguin-ai/engine).
 */

export {
  ClaudeHooks,
  DEFAULT_HOOK_TIMEOUT_S,
  type HookPermissionMode,
  type HooksOptions,
} from './hooks/extension.js'
export { CLAUDE_TOOL_NAMES, compileMatcher } from './hooks/matcher.js'
export { type HookOutcome, interpret } from './hooks/output.js'
export { type HookRun, runHookCommand } from './hooks/run.js'
export {
  type ExtensionHost,
  type ExtensionHostOptions,
  type Notice,
  openExtensions,
  type SessionEndReason,
} from './host.js'
export {
  type Launch,
  type Launcher,
  type LaunchSpec,
  launchSpec,
  mcpNpmCache,
  type ProgramKind,
  sandboxedLaunch,
} from './launch.js'
export { PluginExtension } from './plugins/extension.js'
export { type LoadOptions, loadPlugins, loadToolFiles, locatePlugin } from './plugins/load.js'
export { importModule, type ModuleMap, provideModules } from './plugins/modules.js'
export {
  definePlugin,
  type PenguinPlugin,
  type PluginContext,
  type PluginModule,
  type ToolAfterInput,
  type ToolAfterOutput,
  type ToolBeforeInput,
  type ToolBeforeOutput,
} from './plugins/types.js'
