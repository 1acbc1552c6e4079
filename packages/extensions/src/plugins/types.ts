/**
 * What a plugin is: a module whose default export is a `PenguinPlugin`, or a function of a
 * `PluginContext` returning one (possibly async). Its typed hooks map onto the engine's extension
 * seam one to one; its tools are `defineTool(...)` results.
 */
import type { ChatParams, EngineEvent, PermissionRequest } from '@penguin-ai/engine'
import type { Tool, ToolDefinition } from '@penguin-ai/tools'

export interface PluginContext {
  /** The workspace root. */
  cwd: string
  /** `defineTool` of the running Penguin, for plugins that cannot import `penguin-ai`. */
  defineTool: (definition: ToolDefinition) => Tool
  /** Where the plugin came from: the user's own config or folder, or a trusted workspace's. */
  origin: 'user' | 'workspace'
}

export interface ToolBeforeInput {
  tool: string
  args: unknown
  callId: string
  sessionId: string
  readOnly: boolean
}

/** `args`: call with these instead; `block`: refuse the call (the model reads the text). */
export interface ToolBeforeOutput {
  args?: unknown
  block?: string
}

export interface ToolAfterInput extends ToolBeforeInput {
  result: { output: string; isError: boolean }
}

/** Replaces what the model reads of the result. */
export interface ToolAfterOutput {
  output?: string
  isError?: boolean
}

// biome-ignore lint/suspicious/noConfusingVoidType: a hook that returns nothing (void) is the common case
type Maybe<T> = T | undefined | void | Promise<T | undefined | void>

export interface PenguinPlugin {
  /** Names the plugin in notices; default: the file or package name. */
  name?: string
  /** Tools the model gets (names must not clash with built-ins'). */
  tools?: Tool[]
  /** Before a call is judged: change its arguments or block it. */
  'tool.before'?: (input: ToolBeforeInput) => Maybe<ToolBeforeOutput>
  /** After a call ran: replace what the model reads. */
  'tool.after'?: (input: ToolAfterInput) => Maybe<ToolAfterOutput>
  /** The rules would ask the user: answer instead, or return nothing to leave it to the user. */
  'permission.ask'?: (request: PermissionRequest & { sessionId: string }) => Maybe<'allow' | 'deny'>
  /** The model options of the next request: return the ones to change. */
  'chat.params'?: (params: ChatParams) => Maybe<Partial<ChatParams>>
  /** Every engine event. Must not block. */
  event?: (event: EngineEvent) => void
}

export type PluginModule =
  | PenguinPlugin
  | ((context: PluginContext) => PenguinPlugin | Promise<PenguinPlugin>)

/** Identity, for types: `export default definePlugin({...})`. */
export function definePlugin<T extends PluginModule>(plugin: T): T {
  return plugin
}
