import { type FormEvent, useEffect, useId, useState } from 'react'
import { useClient } from '../api/api-context.js'
import { navigate } from '../router/navigation.js'
import { paths } from '../router/routes.js'
import { ErrorMessage } from '../ui/error-message.js'

export function NewProjectForm({ open, defaultWorkspace }: { open: boolean; defaultWorkspace: string }) {
  const client = useClient()
  const [name, setName] = useState('')
  const [description, setDescription] = useState('')
  const [workspace, setWorkspace] = useState(defaultWorkspace)
  const [budget, setBudget] = useState('')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<unknown>()
  const id = useId()

  useEffect(() => {
    setWorkspace((current) => current || defaultWorkspace)
  }, [defaultWorkspace])

  const submit = async (event: FormEvent) => {
    event.preventDefault()
    setBusy(true)
    setError(undefined)
    try {
      const usd = Number.parseFloat(budget)
      const project = await client.projects.create({
        name: name.trim(),
        ...(description.trim() ? { description: description.trim() } : {}),
        ...(workspace.trim() ? { workspace: workspace.trim() } : {}),
        ...(Number.isFinite(usd) && usd > 0 ? { budget_usd: usd } : {}),
      })
      navigate(paths.project(project.id))
    } catch (caught) {
      setError(caught)
      setBusy(false)
    }
  }

  return (
    <details className="panel form-panel" open={open}>
      <summary>New project</summary>
      <form onSubmit={submit} className="grid-form">
        <label htmlFor={`${id}-name`}>Name</label>
        <input id={`${id}-name`} required value={name} onChange={(event) => setName(event.target.value)} />
        <label htmlFor={`${id}-desc`}>Description</label>
        <input
          id={`${id}-desc`}
          placeholder="optional"
          value={description}
          onChange={(event) => setDescription(event.target.value)}
        />
        <label htmlFor={`${id}-ws`}>Workspace</label>
        <input
          id={`${id}-ws`}
          placeholder="/absolute/path/on/the/server"
          spellCheck={false}
          value={workspace}
          onChange={(event) => setWorkspace(event.target.value)}
        />
        <label htmlFor={`${id}-budget`}>Budget (USD)</label>
        <input
          id={`${id}-budget`}
          type="number"
          min={0}
          step="0.01"
          inputMode="decimal"
          placeholder="none"
          value={budget}
          onChange={(event) => setBudget(event.target.value)}
        />
        <span />
        <div className="row">
          <button type="submit" className="primary" disabled={busy || !name.trim()}>
            {busy ? 'Creating…' : 'Create project'}
          </button>
        </div>
      </form>
      <ErrorMessage error={error} />
    </details>
  )
}
