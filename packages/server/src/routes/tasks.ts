import { OpenAPIHono } from '@hono/zod-openapi'
import type { NewTask, TaskPatch } from '@penguin-ai/store'
import { HttpError, type ServerDeps } from '../deps.js'
import { parseBody, parseParam, parseQuery } from '../http/validate.js'
import { describeRoute } from '../openapi/describe.js'
import { type ProjectRunner, projectRunner } from '../projects/runner.js'
import { visibleProject, visibleTask } from '../runtime/visibility.js'
import { IntId, IntIdParam, listOf } from '../schemas/common.js'
import {
  CreateTaskBody,
  DependencyBody,
  DependencyParams,
  ListTasksQuery,
  PatchTaskBody,
  TaskSchema,
  TransitionBody,
  taskJson,
} from '../schemas/tasks.js'

const TAGS = ['tasks']

/**
 * Tasks of a project's graph: list (by status, ready), create, read, edit, delete, move through
 * the status table, and their dependencies. The same operations as `penguin task …`.
 */
export function taskRoutes(deps: ServerDeps, runner: ProjectRunner = projectRunner(deps)): OpenAPIHono {
  const app = new OpenAPIHono()
  const { store } = deps
  const json = async (id: number) => taskJson(await visibleTask(deps, id))
  const taskId = (c: Parameters<typeof parseParam>[0]) => parseParam(c, 'id', IntId)

  describeRoute(app, {
    method: 'get',
    path: '/projects/{id}/tasks',
    summary: "List a project's tasks (by status; ready: pending with every dependency done)",
    tags: TAGS,
    params: IntIdParam,
    query: ListTasksQuery,
    ok: {
      status: 200,
      description: 'tasks by id (ready: highest priority first)',
      schema: listOf(TaskSchema),
    },
    errors: [404],
  })
  app.get('/projects/:id/tasks', async (c) => {
    const project = await visibleProject(deps, parseParam(c, 'id', IntId))
    const query = parseQuery(c, ListTasksQuery)
    const tasks = await store.listTasks(project.id, {
      ...(query.status ? { status: query.status } : {}),
      ...(query.ready ? { ready: true } : {}),
    })
    return c.json({ items: tasks.map(taskJson) }, 200)
  })

  describeRoute(app, {
    method: 'post',
    path: '/projects/{id}/tasks',
    summary: 'Add a task (with its dependencies, in one transaction)',
    tags: TAGS,
    params: IntIdParam,
    body: CreateTaskBody,
    ok: { status: 201, description: 'the new task', schema: TaskSchema },
    errors: [404, 409],
  })
  app.post('/projects/:id/tasks', async (c) => {
    const project = await visibleProject(deps, parseParam(c, 'id', IntId))
    const body = await parseBody(c, CreateTaskBody)
    const input: NewTask = { projectId: project.id, title: body.title }
    if (body.description !== undefined) input.description = body.description
    if (body.acceptance_criteria !== undefined) input.acceptanceCriteria = body.acceptance_criteria
    if (body.verify_command !== undefined) input.verifyCommand = body.verify_command
    if (body.priority !== undefined) input.priority = body.priority
    if (body.budget_tokens !== undefined) input.budgetTokens = body.budget_tokens
    if (body.budget_usd !== undefined) input.budgetUsd = body.budget_usd
    if (body.parent_id !== undefined) input.parentId = body.parent_id
    if (body.depends_on !== undefined) input.dependsOn = body.depends_on
    return c.json(taskJson(await store.createTask(input)), 201)
  })

  describeRoute(app, {
    method: 'get',
    path: '/tasks/{id}',
    summary: 'Get a task',
    tags: TAGS,
    params: IntIdParam,
    ok: { status: 200, description: 'the task', schema: TaskSchema },
    errors: [404],
  })
  app.get('/tasks/:id', async (c) => c.json(await json(taskId(c)), 200))

  describeRoute(app, {
    method: 'patch',
    path: '/tasks/{id}',
    summary: 'Edit a task (status changes go through /transition)',
    tags: TAGS,
    params: IntIdParam,
    body: PatchTaskBody,
    ok: { status: 200, description: 'the task', schema: TaskSchema },
    errors: [404],
  })
  app.patch('/tasks/:id', async (c) => {
    const id = taskId(c)
    const body = await parseBody(c, PatchTaskBody)
    await visibleTask(deps, id)
    const patch: TaskPatch = {}
    if (body.title !== undefined) patch.title = body.title
    if (body.description !== undefined) patch.description = body.description
    if (body.acceptance_criteria !== undefined) patch.acceptanceCriteria = body.acceptance_criteria
    if (body.verify_command !== undefined) patch.verifyCommand = body.verify_command
    if (body.priority !== undefined) patch.priority = body.priority
    if (body.budget_tokens !== undefined) patch.budgetTokens = body.budget_tokens
    if (body.budget_usd !== undefined) patch.budgetUsd = body.budget_usd
    if (body.parent_id !== undefined) patch.parentId = body.parent_id
    if (body.result_summary !== undefined) patch.resultSummary = body.result_summary
    return c.json(taskJson(await store.updateTask(id, patch)), 200)
  })

  describeRoute(app, {
    method: 'delete',
    path: '/tasks/{id}',
    summary: 'Delete a task (its edges go; its subtasks move up to its parent)',
    tags: TAGS,
    params: IntIdParam,
    ok: { status: 204, description: 'deleted' },
    errors: [404, 409],
  })
  app.delete('/tasks/:id', async (c) => {
    const task = await visibleTask(deps, taskId(c))
    if (task.status === 'in_progress' && runner.active(task.projectId))
      throw new HttpError(
        409,
        'conflict',
        `task ${task.id} is being worked on by a project run; cancel it first`,
      )
    await store.deleteTask(task.id)
    return c.body(null, 204)
  })

  describeRoute(app, {
    method: 'post',
    path: '/tasks/{id}/transition',
    summary: 'Move a task to another status (start, done, fail, cancel, reopen, …)',
    tags: TAGS,
    params: IntIdParam,
    body: TransitionBody,
    ok: { status: 200, description: 'the task', schema: TaskSchema },
    errors: [404, 409, 422],
  })
  app.post('/tasks/:id/transition', async (c) => {
    const id = taskId(c)
    const body = await parseBody(c, TransitionBody)
    await visibleTask(deps, id)
    const task = await store.transitionTask(id, body.to, {
      ...(body.summary !== undefined ? { summary: body.summary } : {}),
      ...(body.reason !== undefined ? { reason: body.reason } : {}),
    })
    return c.json(taskJson(task), 200)
  })

  describeRoute(app, {
    method: 'post',
    path: '/tasks/{id}/dependencies',
    summary: 'Make a task depend on another of the same project (never closing a cycle)',
    tags: TAGS,
    params: IntIdParam,
    body: DependencyBody,
    ok: { status: 201, description: 'the task with its dependencies', schema: TaskSchema },
    errors: [404, 409],
  })
  app.post('/tasks/:id/dependencies', async (c) => {
    const id = taskId(c)
    const body = await parseBody(c, DependencyBody)
    await visibleTask(deps, id)
    await store.addDependency(id, body.depends_on)
    return c.json(await json(id), 201)
  })

  describeRoute(app, {
    method: 'delete',
    path: '/tasks/{id}/dependencies/{dep}',
    summary: 'Remove a dependency',
    tags: TAGS,
    params: DependencyParams,
    ok: { status: 200, description: 'the task with its dependencies', schema: TaskSchema },
    errors: [404],
  })
  app.delete('/tasks/:id/dependencies/:dep', async (c) => {
    const id = (await visibleTask(deps, taskId(c))).id
    await store.removeDependency(id, parseParam(c, 'dep', IntId))
    return c.json(await json(id), 200)
  })

  return app
}
