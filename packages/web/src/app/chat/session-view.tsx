import { useLayoutEffect, useRef } from 'react'
import { ErrorMessage } from '../ui/error-message.js'
import { Composer } from './composer.js'
import { MessageList } from './message-list.js'
import { QueuedMessages } from './queued-messages.js'
import { SessionHeader } from './session-header.js'
import { UsageTotals } from './usage-totals.js'
import { useChatSession } from './use-chat-session.js'
import { useStickToBottom } from './use-stick-to-bottom.js'

/** A session's chat: the conversation streaming in, tool cards, permission asks, Stop, and totals. */
export function SessionView({ id }: { id: string }) {
  const { state, session, loaded, error, actionError, send, post, reply, stop } = useChatSession(id)
  const running = state.run !== null
  const marked = useRef(false)

  useStickToBottom(state.items, loaded)
  useLayoutEffect(() => {
    if (!loaded || marked.current) return
    marked.current = true
    // For `pnpm bench:web`: the conversation is in the DOM; the next frame is its first paint.
    performance.mark('penguin:session-rendered')
    requestAnimationFrame(() => setTimeout(() => performance.mark('penguin:session-painted'), 0))
  }, [loaded])

  return (
    <section className="session-view" aria-labelledby="session-title">
      <SessionHeader id={id} session={session} tab="chat">
        <UsageTotals totals={state.totals} />
        {running && (
          <span className="badge running" role="status">
            {state.run?.retry ?? 'running'}
          </span>
        )}
      </SessionHeader>
      <ErrorMessage error={error} />
      {!loaded && !error ? (
        <p className="muted" role="status">
          Loading conversation…
        </p>
      ) : (
        <MessageList items={state.items} onReply={reply} />
      )}
      <div className="visually-hidden" role="status" aria-live="polite">
        {state.lastOutcome ? `Run ${state.lastOutcome.status}` : running ? 'Penguin is working' : ''}
      </div>
      <div className="composer-dock">
        <ErrorMessage error={actionError} />
        <QueuedMessages queued={state.queued} />
        <Composer
          running={running}
          cancelling={state.run?.cancelling === true}
          onSend={send}
          onPost={post}
          onStop={stop}
        />
      </div>
    </section>
  )
}
