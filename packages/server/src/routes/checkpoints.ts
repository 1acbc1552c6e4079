import { OpenAPIHono } from '@hono/zod-openapi'
import { diffCheckpoint, listCheckpoints, restoreCheckpoint } from '@penguin-ai/protocol/api'
import type { ServerDeps } from '../deps.js'
import { serve } from '../http/route.js'
import { checkpointJson, fileChangeJson } from '../json/checkpoints.js'
import { asCheckpointHttpError, checkpointerFor } from '../runtime/checkpoints.js'
import type { ServerRuntime } from '../runtime/server-runtime.js'
import { visibleCheckpoint, visibleSession } from '../runtime/visibility.js'

/** Checkpoints: list a session's, diff one against the workspace, restore one (undoable). */
export function checkpointRoutes(deps: ServerDeps, runtime: ServerRuntime): OpenAPIHono {
  const app = new OpenAPIHono()

  serve(app, listCheckpoints, async ({ params }) => {
    const session = await visibleSession(deps, params.id)
    return { items: (await deps.store.listCheckpoints(session.id)).map(checkpointJson) }
  })

  serve(app, diffCheckpoint, async ({ params }) => {
    const checkpoint = await visibleCheckpoint(deps, params.id)
    const session = await visibleSession(deps, checkpoint.sessionId)
    const checkpointer = await checkpointerFor(deps, session)
    try {
      const plan = await checkpointer.plan(checkpoint.id)
      const patch = await checkpointer.diff(checkpoint.id)
      return { checkpoint: checkpointJson(checkpoint), changes: plan.changes.map(fileChangeJson), patch }
    } catch (error) {
      throw asCheckpointHttpError(error)
    }
  })

  serve(app, restoreCheckpoint, async ({ params, body }) => {
    const checkpoint = await visibleCheckpoint(deps, params.id)
    const options = body.keepMessages === undefined ? {} : { keepMessages: body.keepMessages }
    const session = await visibleSession(deps, checkpoint.sessionId)
    const result = await runtime.runs.exclusive(session.id, async () => {
      const checkpointer = await checkpointerFor(deps, session)
      try {
        return await checkpointer.restore(checkpoint.id, options)
      } catch (error) {
        throw asCheckpointHttpError(error)
      }
    })
    return {
      checkpoint: checkpointJson(result.checkpoint),
      message_count: result.session.messageCount,
      undo_checkpoint_id: result.undo.id,
      changes: result.changes.map(fileChangeJson),
    }
  })

  return app
}
