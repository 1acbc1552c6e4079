import type { PlanResult } from '@penguin-ai/sdk'
import { type FormEvent, useEffect, useId, useState } from 'react'
import { useClient } from '../api/api-context.js'
import { ErrorMessage } from '../ui/error-message.js'
import { formatCost, pluralize } from '../ui/format.js'

/** Paste a spec; the model turns it into tasks (or previews them with a dry run). */
export function PlanForm({ projectId, onPlanned }: { projectId: number; onPlanned: () => void }) {
  const client = useClient()
  const [spec, setSpec] = useState('')
  const [dryRun, setDryRun] = useState(false)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<unknown>()
  const [result, setResult] = useState<{ plan: PlanResult; dryRun: boolean }>()
  const id = useId()

  const submit = async (event: FormEvent) => {
    event.preventDefault()
    setBusy(true)
    setError(undefined)
    setResult(undefined)
    try {
      const plan = await client.projects.plan(projectId, { spec, dry_run: dryRun })
      setResult({ plan, dryRun })
      if (!dryRun) onPlanned()
    } catch (caught) {
      setError(caught)
    } finally {
      setBusy(false)
    }
  }

  return (
    <form onSubmit={submit} className="stack">
      <label htmlFor={id}>Specification</label>
      <textarea
        id={id}
        rows={6}
        required
        placeholder="Describe what to build; Penguin breaks it into tasks with dependencies and verify commands."
        value={spec}
        onChange={(event) => setSpec(event.target.value)}
      />
      <label className="check">
        <input type="checkbox" checked={dryRun} onChange={(event) => setDryRun(event.target.checked)} />
        Dry run (preview the plan, store nothing)
      </label>
      <div className="row">
        <button type="submit" className="primary" disabled={busy || !spec.trim()}>
          {busy ? 'Planning…' : 'Plan'}
        </button>
      </div>
      <ErrorMessage error={error} />
      {result && (
        <div className="notice ok" role="status">
          {result.dryRun
            ? `The plan has ${pluralize(result.plan.plan.length, 'task')} (nothing stored)`
            : `Added ${pluralize(result.plan.tasks.length, 'task')}`}{' '}
          after {pluralize(result.plan.attempts, 'attempt')}, {formatCost(result.plan.cost_usd)}.
          {result.dryRun && (
            <ol>
              {result.plan.plan.map((task, index) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: a preview list that never changes
                <li key={index}>{String(task.title ?? task.key ?? '')}</li>
              ))}
            </ol>
          )}
        </div>
      )}
    </form>
  )
}

/** The plan form in a panel: open at first when the project has no task, then as the user leaves it. */
export function PlanPanel(props: { projectId: number; empty: boolean | undefined; onPlanned: () => void }) {
  const [open, setOpen] = useState<boolean>()
  const { empty } = props
  useEffect(() => {
    if (empty !== undefined) setOpen((current) => current ?? empty)
  }, [empty])
  return (
    <details
      className="panel form-panel"
      open={open ?? false}
      onToggle={(event) => setOpen(event.currentTarget.open)}
    >
      <summary>Plan from a spec</summary>
      <PlanForm projectId={props.projectId} onPlanned={props.onPlanned} />
    </details>
  )
}
