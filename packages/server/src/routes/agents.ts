import { relative } from 'node:path'
import { OpenAPIHono } from '@hono/zod-openapi'
import { type AgentDefinition, DEFAULT_AGENT, workspaceAgents } from '@penguin-ai/config'
import type { ServerDeps } from '../deps.js'
import { parseQuery } from '../http/validate.js'
import { describeRoute } from '../openapi/describe.js'
import { workspaceUnderRoot } from '../runtime/workspace.js'
import { type AgentJson, AgentListSchema, ListAgentsQuery } from '../schemas/agents.js'

/** `GET /agents?workspace=`: what a session on that workspace can run as (and `task` can start). */
export function agentRoutes(deps: ServerDeps): OpenAPIHono {
  const app = new OpenAPIHono()
  describeRoute(app, {
    method: 'get',
    path: '/agents',
    summary:
      "The agents a session on this workspace can run as: the built-ins, the server user's agent files, and the workspace's own once it is trusted",
    tags: ['agents'],
    query: ListAgentsQuery,
    ok: { status: 200, description: 'agents', schema: AgentListSchema },
    errors: [403, 404, 422],
  })
  app.get('/agents', async (c) => {
    const query = parseQuery(c, ListAgentsQuery)
    const workspace = await workspaceUnderRoot(deps.config.root, query.workspace)
    const catalogue = await workspaceAgents({ workspace, env: deps.env })
    return c.json(
      {
        items: catalogue.agents.map((agent) => agentJson(agent, workspace)),
        default: DEFAULT_AGENT,
        warnings: catalogue.warnings,
      },
      200,
    )
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
