import { z } from 'zod'
import { IsoTime } from './common.js'

export const CheckpointSchema = z
  .object({
    id: z.number().int(),
    session_id: z.string(),
    kind: z.enum(['turn', 'pre_restore', 'manual']),
    commit: z.string().nullable(),
    message_count: z.number().int(),
    message_ranges: z.array(z.tuple([z.number().int(), z.number().int()])).meta({
      description:
        "the conversation when it was taken: inclusive ranges of the session's message ids, e.g. [[1, 4], [9, 12]]",
    }),
    label: z.string().nullable(),
    created_at: IsoTime,
  })
  .meta({ id: 'Checkpoint' })
export type CheckpointJson = z.infer<typeof CheckpointSchema>

export const FileChangeSchema = z
  .object({
    path: z.string(),
    status: z.enum(['added', 'modified', 'deleted']),
    additions: z.number().int().optional(),
    deletions: z.number().int().optional(),
    binary: z.boolean().optional(),
  })
  .meta({ id: 'FileChange' })

export const CheckpointDiffSchema = z.object({
  checkpoint: CheckpointSchema,
  changes: z.array(FileChangeSchema),
  patch: z.string().meta({ description: 'unified diff from the checkpoint to the workspace now' }),
})

export const RestoreBody = z.object({
  keep_messages: z.number().int().min(0).optional().meta({
    description:
      "keep only the first N messages of the checkpoint's conversation (undoing a whole turn: the messages before its prompt); the undo checkpoint still holds all of it",
  }),
})
export const RestoreResultSchema = z.object({
  checkpoint: CheckpointSchema,
  message_count: z.number().int().meta({ description: 'messages in the conversation after the restore' }),
  undo_checkpoint_id: z.number().int().meta({ description: 'restoring this checkpoint undoes the restore' }),
  changes: z.array(FileChangeSchema),
})
export type FileChangeJson = z.infer<typeof FileChangeSchema>
