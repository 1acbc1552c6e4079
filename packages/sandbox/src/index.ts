/**
 * @penguin-ai/sandbox — runs commands in an OS sandbox (bubblewrap on Linux). The narrow interface:
 * check whether it works here, describe a policy, wrap a command line into one that runs inside, and
 * tell from a failed command's output what the sandbox refused it.
 */

export { AGENT_CONFIG_DIRECTORIES, AGENT_CONFIG_FILES, AGENT_CONFIG_NAMES } from './agent-config.js'
export { type Expansion, expandPattern, MAX_GLOB_ENTRIES } from './glob.js'
export { checkSandbox, findOnPath, unavailableMessage } from './probe.js'
export { domainAllowed, PROXY_PORT } from './proxy.js'
export { detectRefusal, type RefusalContext } from './refusal.js'
export {
  createSandbox,
  Sandbox,
  type SandboxedCommand,
  SandboxUnavailableError,
  type WrapOptions,
} from './sandbox.js'
export { penguinDataHome, secretPaths, socketPaths } from './secrets.js'
export {
  type CommandOutcome,
  NetworkDomainSchema,
  type RefusalKind,
  type SandboxedMode,
  type SandboxMode,
  SandboxModeSchema,
  type SandboxNetwork,
  SandboxNetworkSchema,
  type SandboxPolicy,
  type SandboxRefusal,
  type SandboxSupport,
} from './types.js'
