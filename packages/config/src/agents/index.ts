export { BUILTIN_AGENTS, DEFAULT_AGENT } from './builtin.js'
export {
  type AgentCatalogue,
  type AgentSources,
  describeProblem,
  loadAgents,
  userAgentsDir,
  WORKSPACE_AGENT_DIRS,
} from './load.js'
export type { ParsedAgent } from './parse.js'
export { type ProjectRoleAgent, projectRoleAgents } from './roles.js'
export {
  AGENT_NAME,
  type AgentDefinition,
  type AgentFileProblem,
  type AgentFrontMatter,
  type AgentOrigin,
  agentDefinitionSchema,
  agentFrontMatterSchema,
} from './schema.js'
export { agentModelId, agentPermissions, agentToolFilter, findAgent } from './select.js'
export { type SubagentOptions, subagentCatalogue } from './subagents.js'
export { penguinToolNames } from './tool-names.js'
export { selectAgent, workspaceAgents } from './workspace.js'
