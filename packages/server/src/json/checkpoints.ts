/** Store records → the API's JSON records (snake_case), typed by the schemas in @penguin-ai/protocol. */
import type { FileChange } from '@penguin-ai/checkpoints'
import type { CheckpointJson, FileChangeJson } from '@penguin-ai/protocol/api'
import type { Checkpoint } from '@penguin-ai/store'

export function checkpointJson(checkpoint: Checkpoint): CheckpointJson {
  return {
    id: checkpoint.id,
    session_id: checkpoint.sessionId,
    kind: checkpoint.kind,
    commit: checkpoint.commit,
    message_count: checkpoint.messageCount,
    message_ranges: checkpoint.messages.map(([from, to]) => [from, to] as [number, number]),
    label: checkpoint.label,
    created_at: checkpoint.createdAt,
  }
}

export function fileChangeJson(change: FileChange): FileChangeJson {
  return { ...change }
}
