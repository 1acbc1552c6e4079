import { PenguinApiError } from '@penguin-ai/sdk'
import { type FormEvent, useId, useState } from 'react'
import { useAuth } from './api-context.js'
import { makeClient } from './make-client.js'

/** Shown when the server requires a token: checks it with one request before keeping it. */
export function TokenForm() {
  const { acceptToken, hasToken } = useAuth()
  const [value, setValue] = useState('')
  const [error, setError] = useState<string>()
  const [checking, setChecking] = useState(false)
  const inputId = useId()
  const hintId = useId()

  const submit = async (event: FormEvent) => {
    event.preventDefault()
    const token = value.trim()
    if (!token) return
    setChecking(true)
    setError(undefined)
    try {
      await makeClient({ token }).sessions.list({ limit: 1 })
      acceptToken(token)
    } catch (caught) {
      setError(
        caught instanceof PenguinApiError && caught.status === 401
          ? 'The server refused this token. Check it, or create a new one.'
          : caught instanceof Error
            ? caught.message
            : String(caught),
      )
    } finally {
      setChecking(false)
    }
  }

  return (
    <section className="panel narrow" aria-labelledby={`${inputId}-title`}>
      <h1 id={`${inputId}-title`}>API token</h1>
      <p id={hintId}>
        {hasToken
          ? 'The server no longer accepts the token of this tab.'
          : 'This server requires an API token.'}{' '}
        Create one on the server with <code>penguin token create --name web</code> and paste it here. It is
        kept for this tab only.
      </p>
      <form onSubmit={submit} className="stack">
        <label htmlFor={inputId}>Token</label>
        <input
          id={inputId}
          type="password"
          autoComplete="off"
          spellCheck={false}
          aria-describedby={hintId}
          aria-invalid={error ? true : undefined}
          value={value}
          onChange={(event) => setValue(event.target.value)}
          // biome-ignore lint/a11y/noAutofocus: the form is the only thing on the page
          autoFocus
        />
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
        <div className="row">
          <button type="submit" className="primary" disabled={checking || !value.trim()}>
            {checking ? 'Checking…' : 'Continue'}
          </button>
        </div>
      </form>
    </section>
  )
}
