import { type FormEvent, useId, useState } from 'react'
import { useClient } from '../api/api-context.js'
import { useResource } from '../hooks/use-resource.js'
import { navigate } from '../router/navigation.js'
import { paths } from '../router/routes.js'
import { ErrorMessage } from '../ui/error-message.js'

/** Starts a session on a workspace of the server's machine (under its --root); open when there is none yet. */
export function NewSessionForm({ defaultWorkspace }: { defaultWorkspace: string }) {
  const client = useClient()
  const models = useResource((signal) => client.models.list({ signal }), [client])
  const [workspace, setWorkspace] = useState(defaultWorkspace)
  const [model, setModel] = useState('')
  const [agent, setAgent] = useState('')
  // The workspace's agents (built-ins, the server user's, a trusted workspace's own) as it is typed;
  // a path that is not (yet) a workspace under the root simply offers the default.
  const typed = workspace.trim()
  const agents = useResource(
    (signal) => (typed ? client.agents.list({ workspace: typed }, { signal }) : Promise.resolve(undefined)),
    [client, typed],
  )
  const [title, setTitle] = useState('')
  const [autoApprove, setAutoApprove] = useState(false)
  const [error, setError] = useState<unknown>()
  const [busy, setBusy] = useState(false)
  const id = useId()

  const submit = async (event: FormEvent) => {
    event.preventDefault()
    setBusy(true)
    setError(undefined)
    try {
      const session = await client.sessions.create({
        workspace: workspace.trim(),
        ...(model ? { model } : {}),
        ...(agent ? { agent } : {}),
        ...(title.trim() ? { title: title.trim() } : {}),
        auto_approve: autoApprove,
      })
      navigate(paths.session(session.id))
    } catch (caught) {
      setError(caught)
      setBusy(false)
    }
  }

  const defaultModel = models.data?.default
  return (
    <details className="panel form-panel" open={defaultWorkspace === ''}>
      <summary>New session</summary>
      <form onSubmit={submit} className="grid-form">
        <label htmlFor={`${id}-ws`}>Workspace</label>
        <input
          id={`${id}-ws`}
          required
          placeholder="/absolute/path/on/the/server"
          value={workspace}
          onChange={(event) => setWorkspace(event.target.value)}
          spellCheck={false}
        />
        <label htmlFor={`${id}-model`}>Model</label>
        <select id={`${id}-model`} value={model} onChange={(event) => setModel(event.target.value)}>
          <option value="">{defaultModel ? `Server default (${defaultModel})` : 'Server default'}</option>
          {(models.data?.items ?? []).map((item) => (
            <option key={item.id} value={item.id}>
              {item.id}
            </option>
          ))}
        </select>
        <label htmlFor={`${id}-agent`}>Agent</label>
        <select id={`${id}-agent`} value={agent} onChange={(event) => setAgent(event.target.value)}>
          <option value="">{`Default (${agents.data?.default ?? 'build'})`}</option>
          {(agents.data?.items ?? [])
            .filter((item) => item.name !== agents.data?.default)
            .map((item) => (
              <option key={item.name} value={item.name} title={item.description}>
                {item.origin === 'builtin' ? item.name : `${item.name} (${item.origin})`}
              </option>
            ))}
          {/* A choice the workspace no longer offers stays visible, so the form does not change it silently. */}
          {agent && agents.data && !agents.data.items.some((item) => item.name === agent) ? (
            <option value={agent}>{agent}</option>
          ) : null}
        </select>
        <label htmlFor={`${id}-title`}>Title</label>
        <input
          id={`${id}-title`}
          placeholder="optional"
          value={title}
          onChange={(event) => setTitle(event.target.value)}
        />
        <span />
        <label className="check">
          <input
            type="checkbox"
            checked={autoApprove}
            onChange={(event) => setAutoApprove(event.target.checked)}
          />
          Auto-approve writes and commands (no permission asks)
        </label>
        <span />
        <div className="row">
          <button type="submit" className="primary" disabled={busy || !workspace.trim()}>
            {busy ? 'Creating…' : 'Create session'}
          </button>
        </div>
      </form>
      <ErrorMessage error={error} />
    </details>
  )
}
