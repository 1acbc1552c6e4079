/** Tasks of a project's graph, their status table and their dependencies. */

import { route } from '../route.js'
import { IntIdParam, listOf } from '../schemas/common.js'
import {
  CreateTaskBody,
  DependencyBody,
  DependencyParams,
  ListTasksQuery,
  PatchTaskBody,
  TaskSchema,
  TransitionBody,
} from '../schemas/tasks.js'

export const listTasks = route({
  method: 'get',
  path: '/projects/{id}/tasks',
  summary: "List a project's tasks (by status; ready: pending with every dependency done)",
  tags: ['tasks'],
  params: IntIdParam,
  query: ListTasksQuery,
  response: {
    status: 200,
    description: 'tasks by id (ready: highest priority first)',
    schema: listOf(TaskSchema),
  },
  errors: [404],
})

export const createTask = route({
  method: 'post',
  path: '/projects/{id}/tasks',
  summary: 'Add a task (with its dependencies, in one transaction)',
  tags: ['tasks'],
  params: IntIdParam,
  body: CreateTaskBody,
  response: { status: 201, description: 'the new task', schema: TaskSchema },
  errors: [404, 409],
})

export const getTask = route({
  method: 'get',
  path: '/tasks/{id}',
  summary: 'Get a task',
  tags: ['tasks'],
  params: IntIdParam,
  response: { status: 200, description: 'the task', schema: TaskSchema },
  errors: [404],
})

export const updateTask = route({
  method: 'patch',
  path: '/tasks/{id}',
  summary: 'Edit a task (status changes go through /transition)',
  tags: ['tasks'],
  params: IntIdParam,
  body: PatchTaskBody,
  response: { status: 200, description: 'the task', schema: TaskSchema },
  errors: [404],
})

export const deleteTask = route({
  method: 'delete',
  path: '/tasks/{id}',
  summary: 'Delete a task (its edges go; its subtasks move up to its parent)',
  notes: '409 while a project run works on it',
  tags: ['tasks'],
  params: IntIdParam,
  response: { status: 204, description: 'deleted' },
  errors: [404, 409],
})

export const transitionTask = route({
  method: 'post',
  path: '/tasks/{id}/transition',
  summary: 'Move a task to another status (start, done, fail, cancel, reopen, …)',
  notes: '409 invalid transition; 422 dependency not done (`details.blockers`)',
  tags: ['tasks'],
  params: IntIdParam,
  body: TransitionBody,
  response: { status: 200, description: 'the task', schema: TaskSchema },
  errors: [404, 409, 422],
})

export const addDependency = route({
  method: 'post',
  path: '/tasks/{id}/dependencies',
  summary: 'Make a task depend on another of the same project (never closing a cycle)',
  notes: '409 cycle',
  tags: ['tasks'],
  params: IntIdParam,
  body: DependencyBody,
  response: { status: 201, description: 'the task with its dependencies', schema: TaskSchema },
  errors: [404, 409],
})

export const removeDependency = route({
  method: 'delete',
  path: '/tasks/{id}/dependencies/{dep}',
  summary: 'Remove a dependency',
  tags: ['tasks'],
  params: DependencyParams,
  response: { status: 200, description: 'the task with its dependencies', schema: TaskSchema },
  errors: [404],
})
