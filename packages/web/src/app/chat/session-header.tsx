import type { Session } from '@penguin-ai/sdk'
import type { ReactNode } from 'react'
import { Link } from '../router/navigation.js'
import { paths } from '../router/routes.js'

interface Props {
  id: string
  session: Session | undefined
  tab: 'chat' | 'checkpoints' | 'mcp'
  children?: ReactNode
}

/** Title, workspace and model of a session, with its Chat / Checkpoints / MCP tabs. */
export function SessionHeader({ id, session, tab, children }: Props) {
  return (
    <header className="view-header">
      <div className="title-row">
        <h1 id="session-title">{session?.title || (session ? `Session ${session.id}` : 'Session')}</h1>
        <div className="header-extra">{children}</div>
      </div>
      {session && (
        <p className="muted small">
          <code>{session.workspace}</code> · {session.model ?? 'default model'}
          {session.agent ? (
            <>
              {' · '}
              <span className="agent-name">agent {session.agent}</span>
            </>
          ) : null}
          {session.auto_approve ? ' · auto-approve' : ''}
        </p>
      )}
      <nav className="tabs" aria-label="Session views">
        <Link to={paths.session(id)} className="nav-link" aria-current={tab === 'chat' ? 'page' : undefined}>
          Chat
        </Link>
        <Link
          to={paths.checkpoints(id)}
          className="nav-link"
          aria-current={tab === 'checkpoints' ? 'page' : undefined}
        >
          Checkpoints
        </Link>
        <Link to={paths.mcp(id)} className="nav-link" aria-current={tab === 'mcp' ? 'page' : undefined}>
          MCP
        </Link>
      </nav>
    </header>
  )
}
