import { OpenAPIHono } from '@hono/zod-openapi'
import { projectRoleAgents } from '@penguin-ai/config'
import {
  graphEdges,
  normalizeRoles,
  openProjectRepo,
  planProject,
  RepositoryError,
  renderGraph,
} from '@penguin-ai/projects'
import type { NewProject, Project, ProjectPatch } from '@penguin-ai/store'
import type { Context } from 'hono'
import { HttpError, type ServerDeps } from '../deps.js'
import { parseBody, parseParam, parseQuery } from '../http/validate.js'
import { describeRoute } from '../openapi/describe.js'
import { projectWorkspace, requestedModel } from '../projects/inputs.js'
import { planError, planJson } from '../projects/plan.js'
import { type ProjectRunner, projectRunner } from '../projects/runner.js'
import { agentSetup } from '../runtime/agent-setup.js'
import { isVisibleProject, visibleProject } from '../runtime/visibility.js'
import { workspaceUnderRoot } from '../runtime/workspace.js'
import { IntId, IntIdParam, listOf } from '../schemas/common.js'
import {
  CreateProjectBody,
  GraphQuery,
  GraphSchema,
  PatchProjectBody,
  PlanBody,
  PlanResultSchema,
  ProjectRunAcceptedSchema,
  ProjectSchema,
  projectJson,
  RunProjectBody,
} from '../schemas/projects.js'

const TAGS = ['projects']

/**
 * Projects: CRUD, the task graph, planning from a spec and running the graph in the background.
 * The same operations as `penguin project …` and `penguin task graph`.
 */
export function projectRoutes(deps: ServerDeps, runner: ProjectRunner = projectRunner(deps)): OpenAPIHono {
  const app = new OpenAPIHono()
  const { store } = deps
  const projectId = (c: Context) => parseParam(c, 'id', IntId)
  const json = async (project: Project) => {
    const taskCounts: Record<string, number> = {}
    for (const task of await store.listTasks(project.id))
      taskCounts[task.status] = (taskCounts[task.status] ?? 0) + 1
    return projectJson(project, { taskCounts, activeRunId: runner.active(project.id)?.id ?? null })
  }

  describeRoute(app, {
    method: 'get',
    path: '/projects',
    summary: 'List projects',
    tags: TAGS,
    ok: { status: 200, description: 'projects by id', schema: listOf(ProjectSchema) },
  })
  app.get('/projects', async (c) =>
    c.json(
      {
        items: await Promise.all(
          (await store.listProjects()).filter((project) => isVisibleProject(deps, project)).map(json),
        ),
      },
      200,
    ),
  )

  describeRoute(app, {
    method: 'post',
    path: '/projects',
    summary: 'Create a project (its workspace must lie under the server root)',
    tags: TAGS,
    body: CreateProjectBody,
    ok: { status: 201, description: 'the new project', schema: ProjectSchema },
    errors: [403, 409],
  })
  app.post('/projects', async (c) => {
    const body = await parseBody(c, CreateProjectBody)
    const input: NewProject = { name: body.name }
    if (body.description !== undefined) input.description = body.description
    if (body.workspace !== undefined)
      input.workspace = await workspaceUnderRoot(deps.config.root, body.workspace)
    if (body.budget_tokens !== undefined) input.budgetTokens = body.budget_tokens
    if (body.budget_usd !== undefined) input.budgetUsd = body.budget_usd
    if (body.budget_seconds !== undefined) input.budgetSeconds = body.budget_seconds
    return c.json(await json(await store.createProject(input)), 201)
  })

  describeRoute(app, {
    method: 'get',
    path: '/projects/{id}',
    summary: 'Get a project',
    tags: TAGS,
    params: IntIdParam,
    ok: { status: 200, description: 'the project', schema: ProjectSchema },
    errors: [404],
  })
  app.get('/projects/:id', async (c) => c.json(await json(await visibleProject(deps, projectId(c))), 200))

  describeRoute(app, {
    method: 'patch',
    path: '/projects/{id}',
    summary: 'Edit a project: name, description, workspace, status, budgets',
    tags: TAGS,
    params: IntIdParam,
    body: PatchProjectBody,
    ok: { status: 200, description: 'the project', schema: ProjectSchema },
    errors: [403, 404, 409],
  })
  app.patch('/projects/:id', async (c) => {
    const id = (await visibleProject(deps, projectId(c))).id
    const body = await parseBody(c, PatchProjectBody)
    const patch: ProjectPatch = {}
    if (body.name !== undefined) patch.name = body.name
    if (body.description !== undefined) patch.description = body.description
    if (body.status !== undefined) patch.status = body.status
    if (body.workspace === null) patch.workspace = null
    else if (body.workspace !== undefined)
      patch.workspace = await workspaceUnderRoot(deps.config.root, body.workspace)
    if (body.budget_tokens !== undefined) patch.budgetTokens = body.budget_tokens
    if (body.budget_usd !== undefined) patch.budgetUsd = body.budget_usd
    if (body.budget_seconds !== undefined) patch.budgetSeconds = body.budget_seconds
    return c.json(await json(await store.updateProject(id, patch)), 200)
  })

  describeRoute(app, {
    method: 'delete',
    path: '/projects/{id}',
    summary: 'Delete a project with its tasks and runs (409 while it is running)',
    tags: TAGS,
    params: IntIdParam,
    ok: { status: 204, description: 'deleted' },
    errors: [404, 409],
  })
  app.delete('/projects/:id', async (c) => {
    const project = await visibleProject(deps, projectId(c))
    const active = runner.active(project.id)
    if (active)
      throw new HttpError(
        409,
        'conflict',
        `project ${project.id} is running (run ${active.id}); cancel it first`,
        {
          project_run_id: active.id,
        },
      )
    await store.deleteProject(project.id)
    return c.body(null, 204)
  })

  describeRoute(app, {
    method: 'get',
    path: '/projects/{id}/graph',
    summary: 'The task graph: JSON nodes and edges, or Mermaid / Graphviz DOT text (format=mermaid|dot)',
    tags: TAGS,
    params: IntIdParam,
    query: GraphQuery,
    ok: { status: 200, description: 'the graph (text/plain for mermaid and dot)', schema: GraphSchema },
    errors: [404],
  })
  app.get('/projects/:id/graph', async (c) => {
    const project = await visibleProject(deps, projectId(c))
    const { format } = parseQuery(c, GraphQuery)
    const tasks = await store.listTasks(project.id)
    if (format !== 'json') return c.text(renderGraph(tasks, format), 200)
    const nodes = tasks.map((task) => ({
      id: task.id,
      title: task.title,
      status: task.status,
      parent_id: task.parentId,
      depends_on: task.dependsOn,
    }))
    return c.json({ nodes, edges: graphEdges(tasks) }, 200)
  })

  describeRoute(app, {
    method: 'post',
    path: '/projects/{id}/plan',
    summary: 'Turn a spec into tasks with the model (dry_run: validate and return without saving)',
    tags: TAGS,
    params: IntIdParam,
    body: PlanBody,
    ok: { status: 200, description: 'the plan and the stored tasks', schema: PlanResultSchema },
    errors: [404, 422, 502],
  })
  app.post('/projects/:id/plan', async (c) => {
    const project = await visibleProject(deps, projectId(c))
    const body = await parseBody(c, PlanBody)
    const model = requestedModel(deps, body.model)
    const dryRun = body.dry_run ?? false
    try {
      const result = await planProject({
        ...(dryRun ? {} : { store }),
        project,
        spec: body.spec,
        model,
        dryRun,
        signal: c.req.raw.signal,
      })
      return c.json(planJson(result), 200)
    } catch (error) {
      throw planError(error)
    }
  })

  describeRoute(app, {
    method: 'post',
    path: '/projects/{id}/run',
    summary: 'Run the ready tasks in dependency order in the background; progress streams on /events',
    tags: TAGS,
    params: IntIdParam,
    body: RunProjectBody,
    ok: { status: 202, description: 'the run started', schema: ProjectRunAcceptedSchema },
    errors: [403, 404, 409, 422],
  })
  app.post('/projects/:id/run', async (c) => {
    const project = await visibleProject(deps, projectId(c))
    const body = await parseBody(c, RunProjectBody)
    const active = runner.active(project.id)
    if (active)
      throw new HttpError(409, 'conflict', `project ${project.id} is already running (run ${active.id})`, {
        project_run_id: active.id,
      })
    const workspace = await projectWorkspace(deps, project)
    // The project workspace's config, as for `penguin project run`; a bad one is a 422 now.
    const warnings: string[] = []
    const setup = await agentSetup(deps, workspace, body.model, (message) => {
      runner.log(message, undefined, { projectId: project.id })
      warnings.push(message)
    })
    const parallel = body.parallel ?? setup.config.projects?.parallel
    if (parallel !== undefined) {
      // Checked now, so a workspace that cannot take worktrees is a 422 rather than a failed run.
      try {
        await openProjectRepo(setup.workspace.root)
      } catch (error) {
        void setup.sandbox.instance?.close()
        if (error instanceof RepositoryError)
          throw new HttpError(422, 'unprocessable', `parallel: ${error.message}`)
        throw error
      }
    }
    const roles = normalizeRoles(body.roles ?? setup.config.projects?.roles)
    const roleAgents = await projectRoleAgents(setup, roles)
    const run = runner.start({
      project,
      setup,
      autoApprove: body.auto_approve ?? false,
      ...(body.max_tasks !== undefined ? { maxTasks: body.max_tasks } : {}),
      ...(parallel !== undefined ? { parallel } : {}),
      roles,
      roleAgents: roleAgents.agents,
    })
    // The user hears it too, not only the operator's log (ignored untrusted workspace settings).
    for (const message of warnings) {
      deps.events.publish('notice', {
        type: 'notice',
        level: 'warning',
        source: 'config',
        message,
        time: Date.now(),
        project_id: project.id,
        project_run_id: run.id,
      })
    }
    return c.json({ project_run_id: run.id }, 202)
  })

  describeRoute(app, {
    method: 'post',
    path: '/projects/{id}/run/cancel',
    summary: "Abort the project's run; the task in progress goes back to pending",
    tags: TAGS,
    params: IntIdParam,
    ok: { status: 202, description: 'cancellation under way', schema: ProjectRunAcceptedSchema },
    errors: [404],
  })
  app.post('/projects/:id/run/cancel', async (c) => {
    const project = await visibleProject(deps, projectId(c))
    return c.json({ project_run_id: runner.cancel(project.id).id }, 202)
  })

  return app
}
