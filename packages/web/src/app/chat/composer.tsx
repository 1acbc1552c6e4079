import { type FormEvent, type KeyboardEvent, useId, useRef, useState } from 'react'

interface Props {
  running: boolean
  cancelling: boolean
  onSend: (text: string) => void
  onStop: () => void
}

/** The prompt box: Enter sends, Shift+Enter starts a new line; Stop while a run is going. */
export function Composer({ running, cancelling, onSend, onStop }: Props) {
  const [text, setText] = useState('')
  const id = useId()
  const area = useRef<HTMLTextAreaElement>(null)

  const send = () => {
    const prompt = text.trim()
    if (!prompt || running) return
    onSend(prompt)
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
      send()
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
          running ? 'Penguin is working… (Stop to interrupt)' : 'Ask Penguin to do something (Enter to send)'
        }
        value={text}
        onChange={(event) => setText(event.target.value)}
        onKeyDown={onKeyDown}
      />
      {running ? (
        <button type="button" className="danger" onClick={onStop} disabled={cancelling}>
          {cancelling ? 'Stopping…' : 'Stop'}
        </button>
      ) : (
        <button type="submit" className="primary" disabled={!text.trim()}>
          Send
        </button>
      )}
    </form>
  )
}
