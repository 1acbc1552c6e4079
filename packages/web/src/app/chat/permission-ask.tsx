import type { PermissionReply } from '@penguin-ai/sdk'
import type { PermissionAsk } from './chat-types.js'
import { permissionVerb } from './tool-summary.js'

const ANSWERED: Record<PermissionReply, string> = {
  once: 'Allowed once',
  always: 'Always allowed for this session',
  reject: 'Rejected',
}

interface Props {
  ask: PermissionAsk
  tool: string
  onReply: (id: string, reply: PermissionReply) => void
}

/** An inline permission request: allow once, always, or reject; then what was answered. */
export function PermissionAskView({ ask, tool, onReply }: Props) {
  if (ask.state !== 'pending' && ask.state !== 'sending') {
    return (
      <p className={`ask-answer ${ask.state === 'reject' ? 'rejected' : 'allowed'}`}>
        {ANSWERED[ask.state]}
        {ask.auto ? ' (by a rule)' : ''}
      </p>
    )
  }
  const busy = ask.state === 'sending'
  return (
    <fieldset className="ask" aria-busy={busy}>
      <legend>Permission needed</legend>
      <p>
        <strong>{tool}</strong> wants to {permissionVerb(ask.access)}{' '}
        <code className="subject">{ask.subject}</code>
      </p>
      <div className="row wrap">
        <button type="button" className="primary" disabled={busy} onClick={() => onReply(ask.id, 'once')}>
          Allow once
        </button>
        <button type="button" disabled={busy} onClick={() => onReply(ask.id, 'always')}>
          Always allow
        </button>
        <button type="button" className="danger" disabled={busy} onClick={() => onReply(ask.id, 'reject')}>
          Reject
        </button>
      </div>
    </fieldset>
  )
}
