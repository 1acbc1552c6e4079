import { type FormEvent, useId, useState } from 'react'
import { useClient } from '../api/api-context.js'
import { ErrorMessage } from '../ui/error-message.js'

interface Props {
  projectId: number
  running: boolean
  onStarted: (runId: string) => void
}

/** Starts agents on the ready tasks, in dependency order. */
export function RunForm({ projectId, running, onStarted }: Props) {
  const client = useClient()
  const [autoApprove, setAutoApprove] = useState(false)
  const [maxTasks, setMaxTasks] = useState('')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<unknown>()
  const id = useId()

  const submit = async (event: FormEvent) => {
    event.preventDefault()
    setBusy(true)
    setError(undefined)
    try {
      const limit = Number.parseInt(maxTasks, 10)
      const started = await client.projects.run(projectId, {
        auto_approve: autoApprove,
        ...(Number.isInteger(limit) && limit > 0 ? { max_tasks: limit } : {}),
      })
      onStarted(started.project_run_id)
    } catch (caught) {
      setError(caught)
    } finally {
      setBusy(false)
    }
  }

  return (
    <form onSubmit={submit} className="row wrap run-form">
      <label className="check">
        <input
          type="checkbox"
          checked={autoApprove}
          onChange={(event) => setAutoApprove(event.target.checked)}
        />
        Auto-approve (tasks without a verify command go to done, not review)
      </label>
      <label htmlFor={id}>Max tasks</label>
      <input
        id={id}
        type="number"
        min={1}
        inputMode="numeric"
        className="short"
        placeholder="all"
        value={maxTasks}
        onChange={(event) => setMaxTasks(event.target.value)}
      />
      <button type="submit" className="primary" disabled={busy || running}>
        {running ? 'Running…' : busy ? 'Starting…' : 'Start run'}
      </button>
      <p className="muted small">
        Tasks run without asking: every write and command the agents make is auto-approved; the sandbox and
        the deny rules are the limits.
      </p>
      <ErrorMessage error={error} />
    </form>
  )
}
