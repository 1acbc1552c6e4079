/** Pure: what an agent changes in a setup. */
import type { PermissionRule } from '@penguin-ai/tools'
import type { AgentDefinition } from './schema.js'
import { toolMatches } from './tool-names.js'

/** Offered tools = the agent's `tools` (all when absent) minus its `disallowedTools`. */
export function agentToolFilter(agent: AgentDefinition): ((name: string) => boolean) | undefined {
  const { tools, disallowedTools = [] } = agent
  if (!tools && disallowedTools.length === 0) return undefined
  return (name) =>
    (tools ? tools.some((pattern) => toolMatches(pattern, name)) : true) &&
    !disallowedTools.some((pattern) => toolMatches(pattern, name))
}

/**
 * An agent's permission rules: from the user (or built in) they are rules like the user's config
 * (appended, so they win); from a workspace file they can only tighten (restrictions).
 */
export function agentPermissions(agent: AgentDefinition): {
  rules: PermissionRule[]
  restrictions: PermissionRule[]
} {
  const rules = agent.permissions ?? []
  return agent.origin === 'workspace' ? { rules: [], restrictions: rules } : { rules, restrictions: [] }
}

/** A model the agent names itself; Claude Code's `inherit`/`sonnet`/`opus`/`haiku` keep the session's. */
export function agentModelId(agent: AgentDefinition): string | undefined {
  return agent.model?.includes('/') ? agent.model : undefined
}

export function findAgent(agents: readonly AgentDefinition[], name: string): AgentDefinition | undefined {
  return agents.find((agent) => agent.name === name)
}
