/**
 * `import { PenguinAgent } from 'penguin-ai'`: the library entry of the published package. The
 * workspace packages are bundled into it, so this file is the whole public surface: the agent and
 * its engine, what a custom tool needs, and the model contract. Kept to re-exports so importing it
 * loads the engine and nothing of the CLI, the server or the database.
 */
export * from '@penguin-ai/engine'
export {
  type Adapter,
  type AssistantMessage,
  type CallOptions,
  type ChatRequest,
  type JsonSchema,
  LlmError,
  type LlmErrorKind,
  listProviders,
  type Message,
  type ModelInfo,
  type ProviderConfig,
  type ResolvedModel,
  type ResolveOptions,
  registerAdapter,
  resolveModel,
  type StopReason,
  type StreamEvent,
  type SystemMessage,
  type ToolResultMessage,
  type ToolSpec,
  type Usage,
  type UserMessage,
} from '@penguin-ai/llm'
export {
  builtinTools,
  defineTool,
  openWorkspace,
  type PermissionAction,
  PermissionPolicy,
  type PermissionRule,
  type PermissionSubject,
  type Tool,
  type ToolContext,
  type ToolDefinition,
  type ToolResult,
  Workspace,
  type WorkspaceOptions,
} from '@penguin-ai/tools'
