import type { Task, TaskStatus } from '@penguin-ai/sdk'
import { useEffect, useRef, useState } from 'react'
import { useClient } from '../api/api-context.js'
import { useResource } from '../hooks/use-resource.js'
import { Link } from '../router/navigation.js'
import { paths } from '../router/routes.js'
import { ErrorMessage } from '../ui/error-message.js'
import { formatCost, formatTokens, formatWhen } from '../ui/format.js'
import type { VerifyInfo } from './project-live.js'
import { STATUS_LABEL } from './task-status.js'

interface Props {
  task: Task
  verify: VerifyInfo | undefined
  activity: string | undefined
  onChanged: () => void
}

/** A task's description, criteria, dependencies, usage, verify output, the sessions that ran it, and review actions. */
export function TaskDetails({ task, verify, activity, onChanged }: Props) {
  const client = useClient()
  // Task agents run in sessions titled "task <id>: <title>" on the project.
  const runs = useResource(
    (signal) => client.sessions.list({ limit: 200 }, { signal }),
    [client, task.status],
  )
  const sessions = (runs.data?.items ?? []).filter(
    (session) => session.project_id === task.project_id && session.title?.startsWith(`task ${task.id}:`),
  )
  const [error, setError] = useState<unknown>()
  const heading = useRef<HTMLHeadingElement>(null)
  // Opening a task moves focus (and, on a phone, the view) to its details.
  useEffect(() => heading.current?.focus(), [])
  const move = async (to: TaskStatus) => {
    setError(undefined)
    try {
      await client.tasks.transition(task.id, { to })
      onChanged()
    } catch (caught) {
      setError(caught)
    }
  }

  return (
    <aside className="panel task-details" aria-labelledby="task-title">
      <div className="title-row">
        <h2 id="task-title" ref={heading} tabIndex={-1}>
          <span className="muted">#{task.id}</span> {task.title}
        </h2>
        <Link to={paths.project(task.project_id)} className="close" aria-label="Close task details">
          ×
        </Link>
      </div>
      <p>
        <span className={`badge status-${task.status}`}>{STATUS_LABEL[task.status]}</span>
        {activity && <span className="activity small"> {activity}</span>}
      </p>
      {task.description && <p className="prewrap">{task.description}</p>}
      <dl className="facts">
        {task.acceptance_criteria.length > 0 && (
          <>
            <dt>Acceptance criteria</dt>
            <dd>
              <ul>
                {task.acceptance_criteria.map((criterion) => (
                  <li key={criterion}>{criterion}</li>
                ))}
              </ul>
            </dd>
          </>
        )}
        <dt>Depends on</dt>
        <dd>
          {task.depends_on.length === 0
            ? 'nothing'
            : task.depends_on.map((dep) => (
                <Link key={dep} to={paths.task(task.project_id, dep)} className="dep">
                  #{dep}
                </Link>
              ))}
        </dd>
        <dt>Verify</dt>
        <dd>{task.verify_command ? <code>{task.verify_command}</code> : 'no command (goes to review)'}</dd>
        <dt>Usage</dt>
        <dd>
          {formatTokens(task.tokens_used)} tokens · {formatCost(task.cost_usd)}
          {task.budget_usd !== null ? ` of ${formatCost(task.budget_usd)}` : ''}
        </dd>
        {task.started_at && (
          <>
            <dt>Started</dt>
            <dd>
              {formatWhen(task.started_at)}
              {task.finished_at ? `, finished ${formatWhen(task.finished_at)}` : ''}
            </dd>
          </>
        )}
      </dl>
      {verify && (
        <section aria-label="Verify output">
          <h3>
            Verify{' '}
            {verify.passed
              ? 'passed'
              : verify.timedOut
                ? 'timed out'
                : `failed (exit ${verify.exitCode ?? '?'})`}
          </h3>
          <pre className="output">{verify.output || '(no output)'}</pre>
        </section>
      )}
      {(task.result_summary || task.failure_reason) && (
        <section aria-label="Result">
          <h3>{task.failure_reason ? `Result: ${task.failure_reason}` : 'Result'}</h3>
          {task.result_summary && <pre className="output">{task.result_summary}</pre>}
        </section>
      )}
      <section aria-label="Runs">
        <h3>Runs</h3>
        {sessions.length === 0 ? (
          <p className="muted small">No agent has worked on it yet.</p>
        ) : (
          <ul className="plain">
            {sessions.map((session) => (
              <li key={session.id}>
                <Link to={paths.session(session.id)}>{session.id}</Link>{' '}
                <span className="muted small">
                  {formatTokens(session.input_tokens + session.output_tokens)} tokens ·{' '}
                  {formatCost(session.cost_usd)} · {formatWhen(session.updated_at)}
                </span>
              </li>
            ))}
          </ul>
        )}
      </section>
      <div className="row wrap">
        {task.status === 'review' && (
          <button type="button" className="primary" onClick={() => move('done')}>
            Approve
          </button>
        )}
        {(task.status === 'review' ||
          task.status === 'failed' ||
          task.status === 'done' ||
          task.status === 'cancelled') && (
          <button type="button" onClick={() => move('pending')}>
            Reopen
          </button>
        )}
        {(task.status === 'pending' || task.status === 'blocked') && (
          <button type="button" onClick={() => move('cancelled')}>
            Cancel task
          </button>
        )}
      </div>
      <ErrorMessage error={error} />
    </aside>
  )
}
