/**
 * The agents a session may delegate to with the `task` tool, as the engine takes them: every agent
 * of the catalogue (built-ins and the files this workspace may use), each resolved when a task
 * starts it — its model, the tools its definition offers, its permissions as restrictions (a child
 * never gets more than its parent), its iteration cap and reasoning.
 */
import { DEFAULT_MAX_PARALLEL, type SubagentProfile, type Subagents } from '@penguin-ai/engine'
import type { ResolvedModel } from '@penguin-ai/llm'
import type { AgentCatalogue } from './load.js'
import { agentModelId, agentToolFilter, findAgent } from './select.js'

export interface SubagentOptions {
  /** `agents.max_parallel`. */
  maxParallel?: number
  /** Resolves a model an agent names (`provider/model`); throws a ConfigError it cannot. */
  resolveModel(id: string): ResolvedModel
}

export function subagentCatalogue(catalogue: AgentCatalogue, options: SubagentOptions): Subagents {
  return {
    agents: catalogue.agents.map(({ name, description }) => ({ name, description })),
    maxParallel: options.maxParallel ?? DEFAULT_MAX_PARALLEL,
    resolve: async (name) => {
      const agent = findAgent(catalogue.agents, name)
      if (!agent) return undefined
      const modelId = agentModelId(agent)
      const toolFilter = agentToolFilter(agent)
      const profile: SubagentProfile = {
        name: agent.name,
        description: agent.description,
        prompt: agent.prompt,
        ...(modelId ? { model: options.resolveModel(modelId) } : {}),
        ...(toolFilter ? { toolFilter } : {}),
        // Whoever wrote the agent, its rules can only narrow what the parent may do.
        ...(agent.permissions?.length ? { restrictions: agent.permissions } : {}),
        ...(agent.maxIterations ? { maxIterations: agent.maxIterations } : {}),
        ...(agent.reasoning ? { reasoning: agent.reasoning } : {}),
        ...(agent.recursive ? { recursive: true } : {}),
      }
      return profile
    },
  }
}
