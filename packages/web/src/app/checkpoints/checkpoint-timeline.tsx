import type { Checkpoint } from '@penguin-ai/sdk'
import { formatWhen, pluralize } from '../ui/format.js'

const KIND: Record<string, string> = {
  turn: 'before a turn',
  pre_restore: 'before a restore',
  manual: 'manual',
}

interface Props {
  checkpoints: readonly Checkpoint[]
  selected: number | undefined
  onSelect: (id: number) => void
}

export function CheckpointTimeline({ checkpoints, selected, onSelect }: Props) {
  return (
    <ol className="timeline" aria-label="Checkpoints, newest first">
      {checkpoints.map((checkpoint) => (
        <li key={checkpoint.id}>
          <button
            type="button"
            className="timeline-entry"
            aria-pressed={checkpoint.id === selected}
            onClick={() => onSelect(checkpoint.id)}
          >
            <span className="card-title">
              #{checkpoint.id} {checkpoint.label ?? KIND[checkpoint.kind] ?? checkpoint.kind}
            </span>
            <span className="muted small">
              {pluralize(checkpoint.message_count, 'message')} · {formatWhen(checkpoint.created_at)}
              {checkpoint.commit ? '' : ' · no files'}
            </span>
          </button>
        </li>
      ))}
    </ol>
  )
}
