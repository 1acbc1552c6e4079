import { OpenAPIHono } from '@hono/zod-openapi'
import { projectRoleAgents } from '@penguin-ai/config'
import {
  graphEdges,
  normalizeRoles,
  openProjectRepo,
  planProject,
  RepositoryError,
  renderGraph,
  savePlan,
} from '@penguin-ai/projects'
import {
  cancelProjectRun,
  createProject,
  deleteProject,
  getProject,
  listProjects,
  planProject as planProjectRoute,
  projectGraph,
  runProject,
  updateProject,
} from '@penguin-ai/protocol/api'
import type { NewProject, Project, ProjectPatch } from '@penguin-ai/store'
import { HttpError, type ServerDeps } from '../deps.js'
import { serve } from '../http/route.js'
import { projectJson } from '../json/projects.js'
import { projectWorkspace, requestedModel } from '../projects/inputs.js'
import { planError, planJson } from '../projects/plan.js'
import { newProjectRunId, type ProjectRunner, projectRunner } from '../projects/runner.js'
import type { QueueDispatch } from '../queue/dispatch.js'
import { agentSetup } from '../runtime/agent-setup.js'
import { isVisibleProject, visibleProject } from '../runtime/visibility.js'
import { workspaceUnderRoot } from '../runtime/workspace.js'

/**
 * Projects: CRUD, the task graph, planning from a spec and running the graph in the background.
 * The same operations as `penguin project …` and `penguin task graph`.
 */
export function projectRoutes(
  deps: ServerDeps,
  runner: ProjectRunner = projectRunner(deps),
  /** With a database URL: project runs are queued for workers. */
  dispatch?: QueueDispatch,
): OpenAPIHono {
  const app = new OpenAPIHono()
  const { store } = deps
  const json = async (project: Project) => {
    const taskCounts: Record<string, number> = {}
    for (const task of await store.listTasks(project.id))
      taskCounts[task.status] = (taskCounts[task.status] ?? 0) + 1
    return projectJson(project, { taskCounts, activeRunId: runner.active(project.id)?.id ?? null })
  }

  serve(app, listProjects, async () => ({
    items: await Promise.all(
      (await store.listProjects()).filter((project) => isVisibleProject(deps, project)).map(json),
    ),
  }))

  serve(app, createProject, async ({ body }) => {
    // The body's fields are NewProject's (camelCase, absent ones left out); the workspace is checked.
    const input: NewProject = { ...body }
    if (body.workspace !== undefined)
      input.workspace = await workspaceUnderRoot(deps.config.root, body.workspace)
    return await json(await store.createProject(input))
  })

  serve(app, getProject, async ({ params }) => await json(await visibleProject(deps, params.id)))

  serve(app, updateProject, async ({ params, body }) => {
    const id = (await visibleProject(deps, params.id)).id
    // The body's fields are ProjectPatch's (camelCase, absent ones left out); a new workspace is checked.
    const patch: ProjectPatch = { ...body }
    if (typeof body.workspace === 'string')
      patch.workspace = await workspaceUnderRoot(deps.config.root, body.workspace)
    return await json(await store.updateProject(id, patch))
  })

  serve(app, deleteProject, async ({ params }) => {
    const project = await visibleProject(deps, params.id)
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
  })

  serve(app, projectGraph, async ({ params, query: { format } }, c) => {
    const project = await visibleProject(deps, params.id)
    const tasks = await store.listTasks(project.id)
    if (format !== 'json') return c.text(renderGraph(tasks, format), 200)
    const nodes = tasks.map((task) => ({
      id: task.id,
      title: task.title,
      status: task.status,
      parent_id: task.parentId,
      depends_on: task.dependsOn,
    }))
    return { nodes, edges: graphEdges(tasks) }
  })

  serve(app, planProjectRoute, async ({ params, body }, c) => {
    const project = await visibleProject(deps, params.id)
    const model = requestedModel(deps, body.model)
    const dryRun = body.dryRun ?? false
    const signal = c.req.raw.signal
    if (dispatch) {
      // A worker asks the model (where the project's workspace is, else under this server's root);
      // the tasks are stored here, as below, once it answers.
      const planned = await dispatch.plan(
        {
          projectId: project.id,
          workspace: project.workspace ?? deps.config.root,
          spec: body.spec,
          model: model.id,
        },
        signal,
      )
      const tasks = dryRun
        ? []
        : await savePlan(store, { projectId: project.id, modelId: model.id, ...planned })
      return planJson({ ...planned, tasks, dryRun })
    }
    try {
      const result = await planProject({
        ...(dryRun ? {} : { store }),
        project,
        spec: body.spec,
        model,
        dryRun,
        signal,
      })
      return planJson(result)
    } catch (error) {
      throw planError(error)
    }
  })

  serve(app, runProject, async ({ params, body }) => {
    const project = await visibleProject(deps, params.id)
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
    if (dispatch) {
      // Checked here (a bad config is a 422 now), run by a worker: it reads the config again.
      void setup.sandbox.instance?.close()
      const id = newProjectRunId()
      await dispatch.enqueueProject({
        kind: 'project',
        runId: id,
        projectId: project.id,
        workspace: setup.workspace.root,
        // The model as resolved here (the server's default included): workers have none of their own.
        model: setup.model.id,
        autoApprove: body.autoApprove ?? false,
        ...(body.maxTasks !== undefined ? { maxTasks: body.maxTasks } : {}),
        ...(parallel !== undefined ? { parallel } : {}),
        roles,
      })
      return { project_run_id: id }
    }
    const run = runner.start({
      project,
      setup,
      autoApprove: body.autoApprove ?? false,
      ...(body.maxTasks !== undefined ? { maxTasks: body.maxTasks } : {}),
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
    return { project_run_id: run.id }
  })

  serve(app, cancelProjectRun, async ({ params }) => {
    const project = await visibleProject(deps, params.id)
    if (dispatch && !runner.active(project.id)) {
      const id = await dispatch.cancelProject(project.id)
      if (id) return { project_run_id: id }
    }
    return { project_run_id: runner.cancel(project.id).id }
  })

  return app
}
