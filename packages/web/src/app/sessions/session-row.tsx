import type { Session } from '@penguin-ai/sdk'
import { Link } from '../router/navigation.js'
import { paths } from '../router/routes.js'
import { formatCost, formatTokens, formatWhen, pluralize } from '../ui/format.js'

export function SessionRow({ session }: { session: Session }) {
  return (
    <Link to={paths.session(session.id)} className="card session-row">
      <span className="card-title">
        {session.title || session.id}
        {session.active_run_id && <span className="badge running">running</span>}
      </span>
      <span className="muted small">
        <code>{session.workspace}</code>
      </span>
      <span className="small meta-line">
        <span>{pluralize(session.message_count, 'message')}</span>
        <span>{formatTokens(session.input_tokens + session.output_tokens)} tokens</span>
        <span>{formatCost(session.cost_usd)}</span>
        <span>{session.model ?? 'default model'}</span>
        <span>{formatWhen(session.updated_at)}</span>
      </span>
    </Link>
  )
}
