import { OpenAPIHono } from '@hono/zod-openapi'
import {
  addDependency,
  createTask,
  deleteTask,
  getTask,
  listTasks,
  removeDependency,
  transitionTask,
  updateTask,
} from '@penguin-ai/protocol/api'
import type { NewTask, TaskPatch } from '@penguin-ai/store'
import { HttpError, type ServerDeps } from '../deps.js'
import { serve } from '../http/route.js'
import { taskJson } from '../json/tasks.js'
import { type ProjectRunner, projectRunner } from '../projects/runner.js'
import { visibleProject, visibleTask } from '../runtime/visibility.js'

/**
 * Tasks of a project's graph: list (by status, ready), create, read, edit, delete, move through
 * the status table, and their dependencies. The same operations as `penguin task …`.
 */
export function taskRoutes(deps: ServerDeps, runner: ProjectRunner = projectRunner(deps)): OpenAPIHono {
  const app = new OpenAPIHono()
  const { store } = deps
  const json = async (id: number) => taskJson(await visibleTask(deps, id))

  serve(app, listTasks, async ({ params, query }) => {
    const project = await visibleProject(deps, params.id)
    const tasks = await store.listTasks(project.id, {
      ...(query.status ? { status: query.status } : {}),
      ...(query.ready ? { ready: true } : {}),
    })
    return { items: tasks.map(taskJson) }
  })

  serve(app, createTask, async ({ params, body }) => {
    const project = await visibleProject(deps, params.id)
    // The body's fields are NewTask's (camelCase, absent ones left out).
    const input: NewTask = { ...body, projectId: project.id }
    return taskJson(await store.createTask(input))
  })

  serve(app, getTask, async ({ params }) => await json(params.id))

  serve(app, updateTask, async ({ params: { id }, body }) => {
    await visibleTask(deps, id)
    // The body's fields are TaskPatch's (camelCase, absent ones left out).
    const patch: TaskPatch = body
    return taskJson(await store.updateTask(id, patch))
  })

  serve(app, deleteTask, async ({ params }) => {
    const task = await visibleTask(deps, params.id)
    if (task.status === 'in_progress' && runner.active(task.projectId))
      throw new HttpError(
        409,
        'conflict',
        `task ${task.id} is being worked on by a project run; cancel it first`,
      )
    await store.deleteTask(task.id)
  })

  serve(app, transitionTask, async ({ params: { id }, body }) => {
    await visibleTask(deps, id)
    const task = await store.transitionTask(id, body.to, {
      ...(body.summary !== undefined ? { summary: body.summary } : {}),
      ...(body.reason !== undefined ? { reason: body.reason } : {}),
    })
    return taskJson(task)
  })

  serve(app, addDependency, async ({ params: { id }, body }) => {
    await visibleTask(deps, id)
    await store.addDependency(id, body.dependsOn)
    return await json(id)
  })

  serve(app, removeDependency, async ({ params }) => {
    const id = (await visibleTask(deps, params.id)).id
    await store.removeDependency(id, params.dep)
    return await json(id)
  })

  return app
}
