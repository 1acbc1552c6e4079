import { OpenAPIHono } from '@hono/zod-openapi'
import { sessionMcp } from '@penguin-ai/protocol/api'
import type { ServerDeps } from '../deps.js'
import { serve } from '../http/route.js'
import { mcpStatusJson } from '../json/mcp.js'
import { agentSetup } from '../runtime/agent-setup.js'
import type { ServerRuntime } from '../runtime/server-runtime.js'
import { visibleSession } from '../runtime/visibility.js'
import { SERVER_VERSION } from '../version.js'

/** A session's MCP servers and their tools. */
export function mcpRoutes(deps: ServerDeps, runtime: ServerRuntime): OpenAPIHono {
  const app = new OpenAPIHono()

  serve(app, sessionMcp, async ({ params, query }) => {
    const session = await visibleSession(deps, params.id)
    const live = runtime.runs.activeRunId(session.id) !== null
    let servers = query.refresh === 'true' && !live ? undefined : runtime.runs.mcpStatus(session.id)
    if (!servers) {
      // Nothing known yet (or asked to look again): start the configured servers, list, stop them.
      const setup = await agentSetup(deps, session.workspace, session.model, undefined, session.agent)
      const entries = setup.extensions.mcpServers
      if (entries.length) {
        const [{ McpServers }, { childEnvironment }] = await Promise.all([
          import('@penguin-ai/mcp'),
          import('@penguin-ai/tools'),
        ])
        const baseEnv: Record<string, string> = {}
        for (const [key, value] of Object.entries(childEnvironment(deps.env, setup.commandEnv)))
          if (value !== undefined) baseEnv[key] = value
        const mcp = new McpServers(entries, {
          workspace: setup.workspace.root,
          env: deps.env,
          baseEnv,
          clientInfo: { name: 'penguin', version: SERVER_VERSION },
        })
        try {
          await mcp.ready()
          servers = mcp.status()
        } finally {
          await mcp.close()
        }
      } else {
        servers = []
      }
      runtime.runs.rememberMcp(session.id, servers)
    }
    return { servers: servers.map(mcpStatusJson), live }
  })

  return app
}
