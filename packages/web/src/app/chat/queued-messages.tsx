import type { QueuedMessage } from './chat-types.js'

const LABEL = { steer: 'steering', follow_up: 'follow-up' } as const
const WHEN = { steer: 'read before its next step', follow_up: 'read when it would stop' } as const

/** What the user typed for the run in progress, until the run reads it (see run-messages.ts). */
export function QueuedMessages({ queued }: { queued: readonly QueuedMessage[] }) {
  if (queued.length === 0) return null
  return (
    <ul className="queued-messages" aria-label="Waiting for the agent">
      {queued.map((message) => (
        <li key={message.key} className={`queued ${message.state}`}>
          <span className="badge waiting">{LABEL[message.delivery]}</span>{' '}
          <span className="queued-text">{message.text}</span>{' '}
          <span className="muted">
            {message.state === 'sending' ? 'sending…' : `waiting — ${WHEN[message.delivery]}`}
          </span>
        </li>
      ))}
    </ul>
  )
}
