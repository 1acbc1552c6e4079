import { realpath } from 'node:fs/promises'
import { isAbsolute, resolve } from 'node:path'
import { OpenAPIHono } from '@hono/zod-openapi'
import { agentModelId, selectAgent, workspaceAgents } from '@penguin-ai/config'
import type { Session } from '@penguin-ai/store'
import type { ServerDeps } from '../deps.js'
import { parseBody, parseQuery } from '../http/validate.js'
import { describeRoute } from '../openapi/describe.js'
import { pruneSnapshots } from '../runtime/checkpoints.js'
import type { ServerRuntime } from '../runtime/server-runtime.js'
import { visibleSession } from '../runtime/visibility.js'
import { workspaceUnderRoot } from '../runtime/workspace.js'
import { listOf, SessionIdParam } from '../schemas/common.js'
import {
  CreateSessionBody,
  ForkBody,
  ListSessionsQuery,
  SessionSchema,
  sessionJson,
} from '../schemas/sessions.js'

const TAGS = ['sessions']
const DEFAULT_LIST_LIMIT = 100
/** With a base URL any model name resolves, so the memory of resolved ones needs a bound. */
const MAX_KNOWN_MODELS = 64

/** Sessions: create (workspace under the root, model resolved up front), list, get, delete, fork. */
export function sessionRoutes(deps: ServerDeps, runtime: ServerRuntime): OpenAPIHono {
  const app = new OpenAPIHono()
  const json = (session: Session) =>
    sessionJson(session, {
      autoApprove: runtime.runs.isAutoApprove(session.id),
      activeRunId: runtime.runs.activeRunId(session.id),
    })
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

  describeRoute(app, {
    method: 'post',
    path: '/sessions',
    summary: 'Create a session',
    tags: TAGS,
    body: CreateSessionBody,
    ok: { status: 201, description: 'the new session', schema: SessionSchema },
    errors: [403, 404, 422],
  })
  app.post('/sessions', async (c) => {
    const body = await parseBody(c, CreateSessionBody)
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
      ...(body.project_id ? { projectId: body.project_id } : {}),
    })
    runtime.runs.setAutoApprove(session.id, body.auto_approve ?? false)
    return c.json(json(session), 201)
  })

  describeRoute(app, {
    method: 'get',
    path: '/sessions',
    summary:
      "List top-level sessions, most recently active first (sub-agents' sessions: /sessions/{id}/children)",
    tags: TAGS,
    query: ListSessionsQuery,
    ok: { status: 200, description: 'sessions', schema: listOf(SessionSchema) },
  })
  app.get('/sessions', async (c) => {
    const query = parseQuery(c, ListSessionsQuery)
    const workspace = query.workspace ? await workspaceFilter(deps.config.root, query.workspace) : undefined
    const sessions = await deps.store.listSessions({
      ...(workspace ? { workspace } : {}),
      under: deps.config.root,
      limit: query.limit ?? DEFAULT_LIST_LIMIT,
    })
    return c.json({ items: sessions.map(json) }, 200)
  })

  describeRoute(app, {
    method: 'get',
    path: '/sessions/{id}',
    summary: 'Get a session',
    tags: TAGS,
    params: SessionIdParam,
    ok: { status: 200, description: 'the session', schema: SessionSchema },
    errors: [404],
  })
  app.get('/sessions/:id', async (c) => c.json(json(await visibleSession(deps, c.req.param('id'))), 200))

  describeRoute(app, {
    method: 'get',
    path: '/sessions/{id}/children',
    summary: "List a session's sub-agents' sessions (started by its task calls), oldest first",
    tags: TAGS,
    params: SessionIdParam,
    ok: { status: 200, description: 'sessions', schema: listOf(SessionSchema) },
    errors: [404],
  })
  app.get('/sessions/:id/children', async (c) => {
    const session = await visibleSession(deps, c.req.param('id'))
    return c.json({ items: (await deps.store.listSessions({ parentSessionId: session.id })).map(json) }, 200)
  })

  describeRoute(app, {
    method: 'delete',
    path: '/sessions/{id}',
    summary: "Delete a session with its messages, checkpoints and sub-agents' sessions",
    tags: TAGS,
    params: SessionIdParam,
    ok: { status: 204, description: 'deleted' },
    errors: [404, 409],
  })
  app.delete('/sessions/:id', async (c) => {
    const session = await visibleSession(deps, c.req.param('id'))
    const { commits } = await runtime.runs.exclusive(
      session.id,
      async () => await deps.store.deleteSession(session.id),
    )
    runtime.runs.forget(session.id)
    if (commits.length > 0) await pruneSnapshots(deps, session)
    return c.body(null, 204)
  })

  describeRoute(app, {
    method: 'post',
    path: '/sessions/{id}/fork',
    summary: 'Fork a session (its conversation, at a checkpoint or now); files are not touched',
    tags: TAGS,
    params: SessionIdParam,
    body: ForkBody,
    ok: { status: 201, description: 'the new session', schema: SessionSchema },
    errors: [404],
  })
  app.post('/sessions/:id/fork', async (c) => {
    const original = await visibleSession(deps, c.req.param('id'))
    const body = await parseBody(c, ForkBody)
    const forked = await deps.store.forkSession(original.id, body.checkpoint_id)
    runtime.runs.setAutoApprove(forked.id, runtime.runs.isAutoApprove(original.id))
    return c.json(json(forked), 201)
  })

  return app
}

/** Sessions store real paths: a filter is taken from the root when relative, and symlinks resolved. */
async function workspaceFilter(root: string, requested: string): Promise<string> {
  const path = isAbsolute(requested) ? requested : resolve(root, requested)
  return realpath(path).catch(() => path)
}
