import type { CheckpointRestore } from '@penguin-ai/sdk'
import { useState } from 'react'
import { useClient } from '../api/api-context.js'
import { SessionHeader } from '../chat/session-header.js'
import { useResource } from '../hooks/use-resource.js'
import { ErrorMessage } from '../ui/error-message.js'
import { CheckpointDetail } from './checkpoint-detail.js'
import { CheckpointTimeline } from './checkpoint-timeline.js'

/** A session's checkpoints: a timeline, the diff since the chosen one, and restore (undoable). */
export function CheckpointsView({ id }: { id: string }) {
  const client = useClient()
  const session = useResource((signal) => client.sessions.get(id, { signal }), [client, id])
  const list = useResource((signal) => client.checkpoints.list(id, { signal }), [client, id])
  const [selected, setSelected] = useState<number>()
  const [restored, setRestored] = useState<CheckpointRestore>()

  const checkpoints = [...(list.data?.items ?? [])].sort((a, b) => b.id - a.id)
  const current = checkpoints.find((checkpoint) => checkpoint.id === selected)
  const onRestored = (result: CheckpointRestore) => {
    setRestored(result)
    list.reload()
    session.reload()
  }

  return (
    <section aria-labelledby="session-title">
      <SessionHeader id={id} session={session.data} tab="checkpoints" />
      <ErrorMessage error={list.error ?? session.error} />
      {restored && <RestoredNote result={restored} onShow={setSelected} />}
      {list.loading && !list.data ? (
        <p className="muted" role="status">
          Loading checkpoints…
        </p>
      ) : checkpoints.length === 0 ? (
        <p className="empty">No checkpoints yet. Penguin takes one before each turn that can change files.</p>
      ) : (
        <div className="split">
          <CheckpointTimeline checkpoints={checkpoints} selected={selected} onSelect={setSelected} />
          {current ? (
            <CheckpointDetail
              key={current.id}
              checkpoint={current}
              running={Boolean(session.data?.active_run_id)}
              onRestored={onRestored}
            />
          ) : (
            <p className="muted panel">Choose a checkpoint to see what changed since it.</p>
          )}
        </div>
      )}
    </section>
  )
}

function RestoredNote({ result, onShow }: { result: CheckpointRestore; onShow: (id: number) => void }) {
  const files = result.changes.length
  return (
    <div className="notice ok" role="status">
      Restored checkpoint #{result.checkpoint.id} ({files} {files === 1 ? 'file' : 'files'} changed). To undo,
      restore{' '}
      <button type="button" className="link" onClick={() => onShow(result.undo_checkpoint_id)}>
        checkpoint #{result.undo_checkpoint_id}
      </button>
      .
    </div>
  )
}
