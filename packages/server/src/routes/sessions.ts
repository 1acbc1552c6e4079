import { realpath } from 'node:fs/promises'
import { isAbsolute, resolve } from 'node:path'
import { OpenAPIHono } from '@hono/zod-openapi'
import { agentModelId, selectAgent, workspaceAgents } from '@penguin-ai/config'
import {
  createSession,
  deleteSession,
  forkSession,
  getSession,
  listChildSessions,
  listSessions,
} from '@penguin-ai/protocol/api'
import type { Session } from '@penguin-ai/store'
import type { ServerDeps } from '../deps.js'
import { serve } from '../http/route.js'
import { sessionJson } from '../json/sessions.js'
import { pruneSnapshots } from '../runtime/checkpoints.js'
import type { ServerRuntime } from '../runtime/server-runtime.js'
import { visibleSession } from '../runtime/visibility.js'
import { workspaceUnderRoot } from '../runtime/workspace.js'

const DEFAULT_LIST_LIMIT = 100
/** With a base URL any model name resolves, so the memory of resolved ones needs a bound. */
const MAX_KNOWN_MODELS = 64

/** Sessions: create (workspace under the root, model resolved up front), list, get, delete, fork. */
export function sessionRoutes(deps: ServerDeps, runtime: ServerRuntime): OpenAPIHono {
  const app = new OpenAPIHono()
  const json = (session: Session) =>
    sessionJson(session, {
      autoApprove: session.autoApprove,
      activeRunId: runtime.runs.activeRunId(session.id),
    })
  // With the run queue a session may be running on a worker, queued by another server.
  const liveJson = async (session: Session) => {
    const dispatch = runtime.runs.dispatch
    if (!dispatch || runtime.runs.activeRunId(session.id)) return json(session)
    return sessionJson(session, {
      autoApprove: session.autoApprove,
      activeRunId: (await dispatch.busy(session.id)) ?? null,
    })
  }
  // Whether a model resolves depends on its id and on the server's base URL and environment, which
  // are fixed for the app's life: one resolution per id, not one per new session. Failures are
  // not remembered, so a model becomes usable as soon as it resolves.
  const knownModels = new Set<string>()
  const checkModel = (id: string) => {
    if (knownModels.has(id)) return
    deps.resolveModel(id)
    if (knownModels.size >= MAX_KNOWN_MODELS) knownModels.clear()
    knownModels.add(id)
  }

  serve(app, createSession, async ({ body }) => {
    const workspace = await workspaceUnderRoot(deps.config.root, body.workspace)
    // An unknown agent is a 422 naming the workspace's agents (details.choices), before anything is stored.
    const agent = body.agent
      ? selectAgent(await workspaceAgents({ workspace, env: deps.env }), body.agent).agent
      : undefined
    // The agent's own model applies when the request names none, as `--agent` does over config.
    const model = body.model ?? (agent ? agentModelId(agent) : undefined) ?? deps.config.defaultModel
    // Resolving now turns an unknown model or a missing key into a 422 here, not a failed run later.
    if (model) checkModel(model)
    const session = await deps.store.createSession({
      workspace,
      ...(model ? { model } : {}),
      ...(agent ? { agent: agent.name } : {}),
      ...(body.title ? { title: body.title } : {}),
      ...(body.projectId ? { projectId: body.projectId } : {}),
      ...(body.autoApprove ? { autoApprove: true } : {}),
    })
    return json(session)
  })

  serve(app, listSessions, async ({ query }) => {
    const workspace = query.workspace ? await workspaceFilter(deps.config.root, query.workspace) : undefined
    const sessions = await deps.store.listSessions({
      ...(workspace ? { workspace } : {}),
      under: deps.config.root,
      limit: query.limit ?? DEFAULT_LIST_LIMIT,
    })
    // The hottest read: without a run queue every session's state is in this process, so no
    // promise per item.
    if (!runtime.runs.dispatch) return { items: sessions.map(json) }
    return { items: await Promise.all(sessions.map(liveJson)) }
  })

  serve(app, getSession, async ({ params }) => liveJson(await visibleSession(deps, params.id)))

  serve(app, listChildSessions, async ({ params }) => {
    const session = await visibleSession(deps, params.id)
    return { items: (await deps.store.listSessions({ parentSessionId: session.id })).map(json) }
  })

  serve(app, deleteSession, async ({ params }) => {
    const session = await visibleSession(deps, params.id)
    const { commits } = await runtime.runs.exclusive(
      session.id,
      async () => await deps.store.deleteSession(session.id),
    )
    runtime.runs.forget(session.id)
    if (commits.length > 0) await pruneSnapshots(deps, session)
  })

  serve(app, forkSession, async ({ params, body }) => {
    const original = await visibleSession(deps, params.id)
    // The fork keeps the original's auto_approve (the store copies it).
    const forked = await deps.store.forkSession(original.id, body.checkpointId)
    return json(forked)
  })

  return app
}

/** Sessions store real paths: a filter is taken from the root when relative, and symlinks resolved. */
async function workspaceFilter(root: string, requested: string): Promise<string> {
  const path = isAbsolute(requested) ? requested : resolve(root, requested)
  return realpath(path).catch(() => path)
}
