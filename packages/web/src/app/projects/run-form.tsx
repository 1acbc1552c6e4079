import { type FormEvent, useId, useState } from 'react'
import { useClient } from '../api/api-context.js'
import { ErrorMessage } from '../ui/error-message.js'

interface Props {
  projectId: number
  running: boolean
  onStarted: (runId: string) => void
}

type Role = 'plan' | 'build' | 'test' | 'review'
const ROLES: Role[] = ['plan', 'build', 'test', 'review']
const ROLE_HELP: Record<Role, string> = {
  plan: 'splits a task that is too big into subtasks',
  build: 'implements the task (always)',
  test: 'adds or updates tests when the acceptance criteria ask for them',
  review: 'checks the diff against the acceptance criteria before done',
}

/**
 * Starts agents on the ready tasks, in dependency order: one at a time in the workspace, or several
 * at once, each in its own git worktree ("Tasks at once").
 */
export function RunForm({ projectId, running, onStarted }: Props) {
  const client = useClient()
  const [autoApprove, setAutoApprove] = useState(false)
  const [maxTasks, setMaxTasks] = useState('')
  const [parallel, setParallel] = useState('')
  const [roles, setRoles] = useState<Set<Role>>(new Set(['build']))
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<unknown>()
  const id = useId()
  const parallelId = useId()

  const submit = async (event: FormEvent) => {
    event.preventDefault()
    setBusy(true)
    setError(undefined)
    try {
      const limit = Number.parseInt(maxTasks, 10)
      const atOnce = Number.parseInt(parallel, 10)
      const chosen = ROLES.filter((role) => roles.has(role))
      const started = await client.projects.run(projectId, {
        auto_approve: autoApprove,
        ...(Number.isInteger(limit) && limit > 0 ? { max_tasks: limit } : {}),
        ...(Number.isInteger(atOnce) && atOnce > 0 ? { parallel: atOnce } : {}),
        // Only when changed from the default, so the project's config decides otherwise.
        ...(chosen.length !== 1 ? { roles: chosen } : {}),
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
      <label
        htmlFor={parallelId}
        title="Each task runs in its own git worktree and is merged back when verified"
      >
        Tasks at once
      </label>
      <input
        id={parallelId}
        type="number"
        min={1}
        max={32}
        inputMode="numeric"
        className="short"
        placeholder="1"
        value={parallel}
        onChange={(event) => setParallel(event.target.value)}
      />
      <fieldset className="row roles">
        <legend className="muted small">Roles</legend>
        {ROLES.map((role) => (
          <label key={role} className="check" title={ROLE_HELP[role]}>
            <input
              type="checkbox"
              checked={roles.has(role)}
              disabled={role === 'build'}
              onChange={(event) => {
                const next = new Set(roles)
                if (event.target.checked) next.add(role)
                else next.delete(role)
                setRoles(next)
              }}
            />
            {role}
          </label>
        ))}
      </fieldset>
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
