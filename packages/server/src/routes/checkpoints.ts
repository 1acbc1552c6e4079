import { OpenAPIHono } from '@hono/zod-openapi'
import type { ServerDeps } from '../deps.js'
import { parseBody, parseParam } from '../http/validate.js'
import { describeRoute } from '../openapi/describe.js'
import { asCheckpointHttpError, checkpointerFor } from '../runtime/checkpoints.js'
import type { ServerRuntime } from '../runtime/server-runtime.js'
import { visibleCheckpoint, visibleSession } from '../runtime/visibility.js'
import {
  CheckpointDiffSchema,
  CheckpointSchema,
  checkpointJson,
  fileChangeJson,
  RestoreBody,
  RestoreResultSchema,
} from '../schemas/checkpoints.js'
import { IntId, IntIdParam, listOf, SessionIdParam } from '../schemas/common.js'

const TAGS = ['checkpoints']

/** Checkpoints: list a session's, diff one against the workspace, restore one (undoable). */
export function checkpointRoutes(deps: ServerDeps, runtime: ServerRuntime): OpenAPIHono {
  const app = new OpenAPIHono()

  describeRoute(app, {
    method: 'get',
    path: '/sessions/{id}/checkpoints',
    summary: "A session's checkpoints, newest first",
    tags: TAGS,
    params: SessionIdParam,
    ok: { status: 200, description: 'checkpoints', schema: listOf(CheckpointSchema) },
    errors: [404],
  })
  app.get('/sessions/:id/checkpoints', async (c) => {
    const session = await visibleSession(deps, c.req.param('id'))
    return c.json({ items: (await deps.store.listCheckpoints(session.id)).map(checkpointJson) }, 200)
  })

  describeRoute(app, {
    method: 'get',
    path: '/checkpoints/{id}/diff',
    summary: 'What changed in the workspace since a checkpoint',
    tags: TAGS,
    params: IntIdParam,
    ok: { status: 200, description: 'the changes and the unified diff', schema: CheckpointDiffSchema },
    errors: [404, 422],
  })
  app.get('/checkpoints/:id/diff', async (c) => {
    const checkpoint = await visibleCheckpoint(deps, parseParam(c, 'id', IntId))
    const session = await visibleSession(deps, checkpoint.sessionId)
    const checkpointer = await checkpointerFor(deps, session)
    try {
      const plan = await checkpointer.plan(checkpoint.id)
      const patch = await checkpointer.diff(checkpoint.id)
      return c.json(
        { checkpoint: checkpointJson(checkpoint), changes: plan.changes.map(fileChangeJson), patch },
        200,
      )
    } catch (error) {
      throw asCheckpointHttpError(error)
    }
  })

  describeRoute(app, {
    method: 'post',
    path: '/checkpoints/{id}/restore',
    summary:
      'Restore files and conversation to a checkpoint (after a pre_restore checkpoint that undoes it); keep_messages cuts the conversation to its first N messages',
    tags: TAGS,
    params: IntIdParam,
    body: RestoreBody,
    ok: { status: 200, description: 'what was restored', schema: RestoreResultSchema },
    errors: [404, 409, 422],
  })
  app.post('/checkpoints/:id/restore', async (c) => {
    const checkpoint = await visibleCheckpoint(deps, parseParam(c, 'id', IntId))
    const body = await parseBody(c, RestoreBody)
    const options = body.keep_messages === undefined ? {} : { keepMessages: body.keep_messages }
    const session = await visibleSession(deps, checkpoint.sessionId)
    const result = await runtime.runs.exclusive(session.id, async () => {
      const checkpointer = await checkpointerFor(deps, session)
      try {
        return await checkpointer.restore(checkpoint.id, options)
      } catch (error) {
        throw asCheckpointHttpError(error)
      }
    })
    return c.json(
      {
        checkpoint: checkpointJson(result.checkpoint),
        message_count: result.session.messageCount,
        undo_checkpoint_id: result.undo.id,
        changes: result.changes.map(fileChangeJson),
      },
      200,
    )
  })

  return app
}
