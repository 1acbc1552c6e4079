import { relative } from 'node:path'
import { OpenAPIHono } from '@hono/zod-openapi'
import { type AgentDefinition, DEFAULT_AGENT, workspaceAgents } from '@penguin-ai/config'
import { type AgentJson, listAgents } from '@penguin-ai/protocol/api'
import type { ServerDeps } from '../deps.js'
import { serve } from '../http/route.js'
import { workspaceUnderRoot } from '../runtime/workspace.js'

/** `GET /agents?workspace=`: what a session on that workspace can run as (and `task` can start). */
export function agentRoutes(deps: ServerDeps): OpenAPIHono {
  const app = new OpenAPIHono()
  serve(app, listAgents, async ({ query }) => {
    const workspace = await workspaceUnderRoot(deps.config.root, query.workspace)
    const catalogue = await workspaceAgents({ workspace, env: deps.env })
    return {
      items: catalogue.agents.map((agent) => agentJson(agent, workspace)),
      default: DEFAULT_AGENT,
      warnings: catalogue.warnings,
    }
  })
  return app
}

function agentJson(agent: AgentDefinition, workspace: string): AgentJson {
  return {
    name: agent.name,
    description: agent.description,
    origin: agent.origin,
    // Only the workspace's own files are named: the server user's home stays out of the answer.
    file: agent.origin === 'workspace' && agent.file ? relative(workspace, agent.file) : null,
    tools: agent.tools ? [...agent.tools] : null,
    model: agent.model ?? null,
  }
}
