import type { McpServerStatus } from '@penguin-ai/sdk'
import { useState } from 'react'
import { useClient } from '../api/api-context.js'
import { SessionHeader } from '../chat/session-header.js'
import { Visible } from '../chat/visible.js'
import { useResource } from '../hooks/use-resource.js'
import { ErrorMessage } from '../ui/error-message.js'

/** A session's MCP servers: status, transport, where they are configured, and the tools they give. */
export function McpView({ id }: { id: string }) {
  const client = useClient()
  const [refresh, setRefresh] = useState(0)
  const session = useResource((signal) => client.sessions.get(id, { signal }), [client, id])
  const mcp = useResource(
    (signal) => client.sessions.mcp(id, { refresh: refresh > 0 }, { signal }),
    [client, id, refresh],
  )
  const servers = mcp.data?.servers ?? []
  return (
    <section aria-labelledby="session-title">
      <SessionHeader id={id} session={session.data} tab="mcp">
        <button type="button" onClick={() => setRefresh((n) => n + 1)} disabled={mcp.loading}>
          {mcp.loading ? 'Checking…' : 'Check again'}
        </button>
      </SessionHeader>
      <ErrorMessage error={mcp.error ?? session.error} />
      {mcp.loading && !mcp.data ? (
        <p className="muted" role="status">
          Starting the MCP servers to list their tools…
        </p>
      ) : servers.length === 0 ? (
        <p className="empty">
          No MCP servers for this session. Add one with <code>penguin mcp add NAME -- CMD ARGS…</code>
        </p>
      ) : (
        <ul className="mcp-servers" aria-label="MCP servers">
          {servers.map((server) => (
            <McpServer key={server.name} server={server} live={mcp.data?.live ?? false} />
          ))}
        </ul>
      )}
    </section>
  )
}

function McpServer({ server, live }: { server: McpServerStatus; live: boolean }) {
  const state = server.state === 'connected' && !live ? 'connected (last run)' : server.state
  return (
    <li className="panel">
      <h2 className="small">
        <Visible text={server.name} /> <span className={`badge ${server.state}`}>{state}</span>
        {server.transport && <span className="muted"> · {server.transport}</span>}
        {server.server_info && (
          <span className="muted">
            {' '}
            · <Visible text={`${server.server_info.name} ${server.server_info.version}`} />
          </span>
        )}
      </h2>
      <p className="muted small">
        from <code>{server.source}</code>
        {server.origin === 'workspace' ? ' (workspace)' : ''}
      </p>
      {server.error && (
        <p className="error" role="alert">
          <Visible text={server.error} />
        </p>
      )}
      {server.tools.length > 0 && (
        <table className="mcp-tools">
          <thead>
            <tr>
              <th scope="col">Tool</th>
              <th scope="col">What it does</th>
            </tr>
          </thead>
          <tbody>
            {server.tools.map((tool) => (
              <tr key={tool.name}>
                <td>
                  <code>{tool.name}</code>
                </td>
                <td>
                  <Visible text={tool.description?.split('\n')[0] ?? ''} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </li>
  )
}
