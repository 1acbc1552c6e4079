/** Checkpoints: list a session's, diff one against the workspace, restore one (undoable). */

import { route } from '../route.js'
import {
  CheckpointDiffSchema,
  CheckpointSchema,
  RestoreBody,
  RestoreResultSchema,
} from '../schemas/checkpoints.js'
import { IntIdParam, listOf, SessionIdParam } from '../schemas/common.js'

export const listCheckpoints = route({
  method: 'get',
  path: '/sessions/{id}/checkpoints',
  summary: "A session's checkpoints, newest first",
  tags: ['checkpoints'],
  params: SessionIdParam,
  response: { status: 200, description: 'checkpoints', schema: listOf(CheckpointSchema) },
  errors: [404],
})

export const diffCheckpoint = route({
  method: 'get',
  path: '/checkpoints/{id}/diff',
  summary: 'What changed in the workspace since a checkpoint',
  tags: ['checkpoints'],
  params: IntIdParam,
  response: { status: 200, description: 'the changes and the unified diff', schema: CheckpointDiffSchema },
  errors: [404, 422],
})

export const restoreCheckpoint = route({
  method: 'post',
  path: '/checkpoints/{id}/restore',
  summary:
    'Restore files and conversation to a checkpoint (after a pre_restore checkpoint that undoes it); keep_messages cuts the conversation to its first N messages',
  notes: '409 during a run',
  tags: ['checkpoints'],
  params: IntIdParam,
  body: RestoreBody,
  response: { status: 200, description: 'what was restored', schema: RestoreResultSchema },
  errors: [404, 409, 422],
})
