/**
 * The agents project roles run as (`plan`, `build`, `test`, `review`): the agent of the same name,
 * built in or redefined by the user (`~/.config/penguin/agents/review.md`) or a trusted workspace.
 */
import type { AgentSetup } from '../agent.js'
import { untrustedReason } from '../trust.js'
import { loadAgents } from './load.js'
import { agentToolFilter, findAgent } from './select.js'

/** A role's agent as the projects executor takes it (structurally its `RoleAgent`). */
export interface ProjectRoleAgent {
  name: string
  prompt: string
  toolFilter?: (tool: string) => boolean
}

export async function projectRoleAgents(
  setup: AgentSetup,
  roles: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ agents: Record<string, ProjectRoleAgent>; warnings: string[] }> {
  const catalogue = await loadAgents({
    workspace: setup.resolved.workspace,
    trusted: setup.resolved.trust.state === 'trusted',
    untrusted: untrustedReason(setup.resolved.trust, setup.resolved.workspace),
    env,
  })
  const agents: Record<string, ProjectRoleAgent> = {}
  for (const role of roles) {
    const agent = findAgent(catalogue.agents, role)
    if (!agent) continue
    const toolFilter = agentToolFilter(agent)
    agents[role] = { name: agent.name, prompt: agent.prompt, ...(toolFilter ? { toolFilter } : {}) }
  }
  return { agents, warnings: catalogue.warnings }
}
