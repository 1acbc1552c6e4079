import type { Checkpoint, CheckpointRestore } from '@penguin-ai/sdk'
import { useState } from 'react'
import { useClient } from '../api/api-context.js'
import { DiffView } from '../diff/diff-view.js'
import { useResource } from '../hooks/use-resource.js'
import { ErrorMessage } from '../ui/error-message.js'
import { pluralize } from '../ui/format.js'

interface Props {
  checkpoint: Checkpoint
  running: boolean
  onRestored: (result: CheckpointRestore) => void
}

/** What changed since a checkpoint, and restoring it (after a confirmation). */
export function CheckpointDetail({ checkpoint, running, onRestored }: Props) {
  const client = useClient()
  const diff = useResource(
    (signal) => client.checkpoints.diff(checkpoint.id, { signal }),
    [client, checkpoint.id],
  )
  const [confirming, setConfirming] = useState(false)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<unknown>()
  const changes = diff.data?.changes ?? []

  const restore = async () => {
    setBusy(true)
    setError(undefined)
    try {
      onRestored(await client.checkpoints.restore(checkpoint.id))
      setConfirming(false)
    } catch (caught) {
      setError(caught)
    } finally {
      setBusy(false)
    }
  }

  return (
    <article className="panel checkpoint-detail" aria-label={`Checkpoint ${checkpoint.id}`}>
      <h2>Checkpoint #{checkpoint.id}</h2>
      <ErrorMessage error={diff.error} />
      {diff.loading && !diff.data ? (
        <p className="muted" role="status">
          Loading diff…
        </p>
      ) : (
        <>
          <p>
            {changes.length === 0
              ? 'No file has changed since this checkpoint.'
              : `Restoring changes ${pluralize(changes.length, 'file')}:`}
          </p>
          {changes.length > 0 && (
            <ul className="changes">
              {changes.map((change) => (
                <li key={change.path}>
                  <span className={`badge ${change.status}`}>{change.status}</span> <code>{change.path}</code>
                  {change.additions !== undefined && <span className="add-count"> +{change.additions}</span>}
                  {change.deletions !== undefined && <span className="del-count"> −{change.deletions}</span>}
                </li>
              ))}
            </ul>
          )}
          {diff.data?.patch ? (
            <>
              <h3>Diff since the checkpoint (what restoring undoes)</h3>
              <DiffView diff={diff.data.patch} label="Changes since this checkpoint" />
            </>
          ) : null}
        </>
      )}
      <div className="row wrap">
        {confirming ? (
          <>
            <span>
              Restore files and conversation to #{checkpoint.id} (
              {pluralize(checkpoint.message_count, 'message')})?
            </span>
            <button type="button" className="danger" onClick={restore} disabled={busy}>
              {busy ? 'Restoring…' : 'Yes, restore'}
            </button>
            <button type="button" onClick={() => setConfirming(false)} disabled={busy}>
              Cancel
            </button>
          </>
        ) : (
          <button
            type="button"
            onClick={() => setConfirming(true)}
            disabled={running}
            title={running ? 'Wait for the run to finish' : undefined}
          >
            Restore this checkpoint
          </button>
        )}
      </div>
      <ErrorMessage error={error} />
    </article>
  )
}
