import { useClient } from '../api/api-context.js'
import { useResource } from '../hooks/use-resource.js'
import { ErrorMessage } from '../ui/error-message.js'
import { NewSessionForm } from './new-session-form.js'
import { SessionRow } from './session-row.js'

/** Every session, newest first, and a form to start one. */
export function SessionsPage() {
  const client = useClient()
  const sessions = useResource((signal) => client.sessions.list({ limit: 200 }, { signal }), [client])
  const items = sessions.data?.items ?? []
  return (
    <section aria-labelledby="sessions-title">
      <header className="view-header">
        <h1 id="sessions-title">Sessions</h1>
      </header>
      <ErrorMessage error={sessions.error} />
      {(sessions.data !== undefined || sessions.error !== undefined) && (
        <NewSessionForm defaultWorkspace={items[0]?.workspace ?? ''} />
      )}
      {sessions.loading && !sessions.data ? (
        <p className="muted" role="status">
          Loading sessions…
        </p>
      ) : items.length === 0 ? (
        <p className="empty">No sessions yet: start one above.</p>
      ) : (
        <ul className="card-list" aria-label="Sessions">
          {items.map((session) => (
            <li key={session.id}>
              <SessionRow session={session} />
            </li>
          ))}
        </ul>
      )}
    </section>
  )
}
