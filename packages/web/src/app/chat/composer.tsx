import { type FormEvent, type KeyboardEvent, useId, useRef, useState } from 'react'
import type { Delivery } from './run-messages.js'

interface Props {
  running: boolean
  cancelling: boolean
  onSend: (text: string) => void
  /** A message for the run in progress: steering it (Enter), or a follow-up (Alt+Enter). */
  onPost: (text: string, delivery: Delivery) => void
  onStop: () => void
}

/**
 * The prompt box: Enter sends, Shift+Enter starts a new line. While a run works it stays open:
 * Enter steers the run (read before its next step), Alt+Enter or "Queue follow-up" queues a
 * follow-up (read when it would stop); Stop interrupts it.
 */
export function Composer({ running, cancelling, onSend, onPost, onStop }: Props) {
  const [text, setText] = useState('')
  const id = useId()
  const area = useRef<HTMLTextAreaElement>(null)

  const send = (delivery?: Delivery) => {
    const message = text.trim()
    if (!message) return
    if (running) onPost(message, delivery ?? 'steer')
    else onSend(message)
    setText('')
    area.current?.focus()
  }
  const onSubmit = (event: FormEvent) => {
    event.preventDefault()
    send()
  }
  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault()
      send(event.altKey ? 'follow_up' : 'steer')
    }
  }

  return (
    <form className="composer" onSubmit={onSubmit}>
      <label htmlFor={id} className="visually-hidden">
        Message
      </label>
      <textarea
        id={id}
        ref={area}
        rows={2}
        placeholder={
          running
            ? 'Penguin is working — Enter steers it, Alt+Enter queues a follow-up'
            : 'Ask Penguin to do something (Enter to send)'
        }
        value={text}
        onChange={(event) => setText(event.target.value)}
        onKeyDown={onKeyDown}
      />
      {running ? (
        <div className="composer-actions">
          <button
            type="submit"
            className="primary"
            disabled={!text.trim()}
            title="Read before its next step (Enter)"
          >
            Steer
          </button>
          <button
            type="button"
            disabled={!text.trim()}
            title="Read when it would stop (Alt+Enter)"
            onClick={() => send('follow_up')}
          >
            Queue follow-up
          </button>
          <button type="button" className="danger" onClick={onStop} disabled={cancelling}>
            {cancelling ? 'Stopping…' : 'Stop'}
          </button>
        </div>
      ) : (
        <button type="submit" className="primary" disabled={!text.trim()}>
          Send
        </button>
      )}
    </form>
  )
}
