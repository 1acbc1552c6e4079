export {
  type AgentRequest,
  type AgentSetup,
  type CheckpointSettings,
  engineOptions,
  type ModelResolver,
  NO_MODEL_MESSAGE,
  prepareAgent,
  projectEngineSettings,
  resolveAgentModel,
  switchAgent,
} from './agent.js'
export * from './agents/index.js'
export { ConfigError, type ConfigErrorKind, isConfigError } from './errors.js'
export {
  HOOK_EVENTS,
  type HookEvent,
  type HookMatcherConfig,
  type HooksConfig,
  hookMatcherSchema,
  hookSchema,
  hooksSchema,
  type McpServerConfig,
  mcpServerSchema,
  type OpencodeMcpConfig,
  opencodeMcpSchema,
} from './extension-keys.js'
export {
  type ExtensionOrigin,
  type ExtensionSettings,
  extensionSettings,
  type HookEntry,
  hasExtensions,
  type McpServerEntry,
  MODULE_EXTENSIONS,
  type PluginEntry,
  type ToolFileEntry,
} from './extensions.js'
export { CONFIG_KEYS, type ConfigKey, type ConfigKeyName, type UntrustedRule, wideningKeys } from './keys.js'
export { addMcpServer, type McpEditOptions, mcpConfigPath, removeMcpServer } from './mcp-servers.js'
export { userConfigPath, workspaceConfigPath } from './paths.js'
export { formatRateLimit, parseRateLimit, rateLimitSchema } from './rate-limit.js'
export { type ConfigFile, keyPath, parseConfigText, readConfigFile } from './read.js'
export {
  type ConfigLayer,
  type ConfigRequest,
  filterWorkspace,
  ignoredWarning,
  mergeLayers,
  type ResolvedConfig,
  resolveConfig,
  sourceOf,
} from './resolve.js'
export { describeSandbox, type SandboxRequest, type SandboxSetup, sandboxSetup } from './sandbox.js'
export { mergeSandbox, type SandboxConfig, sandboxConfigSchema, splitSandbox } from './sandbox-schema.js'
export { type Config, configJsonSchema, configSchema } from './schema.js'
export {
  listTrust,
  type RevokeResult,
  realDirectory,
  revokeTrust,
  setTrust,
  type TrustDecision,
  type TrustEntry,
  type TrustOptions,
  type TrustState,
  trustOf,
  untrustedReason,
} from './trust.js'
export { agentConfigChangedSince, keepingTrust, nestedAgentConfig, workspaceTrust } from './trust-changes.js'
