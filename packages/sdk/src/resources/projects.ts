import { seg, type Transport } from '../http.js'
import type { ItemList, PlanResult, Project, Task, TaskGraph } from '../records.js'
import type {
  CreateProjectBody,
  CreateTaskBody,
  ListTasksQuery,
  PlanProjectBody,
  RequestOptions,
  RunProjectBody,
  TransitionTaskBody,
  UpdateProjectBody,
  UpdateTaskBody,
} from '../requests.js'

/** `/api/v1/projects…`: a workspace plus a graph of tasks. */
export class Projects {
  constructor(private readonly http: Transport) {}

  list(options: RequestOptions = {}): Promise<ItemList<Project>> {
    return this.http.json('GET', '/api/v1/projects', { signal: options.signal })
  }

  /** 201 Project; 409 when the name is taken. */
  create(body: CreateProjectBody, options: RequestOptions = {}): Promise<Project> {
    return this.http.json('POST', '/api/v1/projects', { body, signal: options.signal })
  }

  get(id: number, options: RequestOptions = {}): Promise<Project> {
    return this.http.json('GET', `/api/v1/projects/${seg(id)}`, { signal: options.signal })
  }

  update(id: number, body: UpdateProjectBody, options: RequestOptions = {}): Promise<Project> {
    return this.http.json('PATCH', `/api/v1/projects/${seg(id)}`, { body, signal: options.signal })
  }

  delete(id: number, options: RequestOptions = {}): Promise<void> {
    return this.http.empty('DELETE', `/api/v1/projects/${seg(id)}`, { signal: options.signal })
  }

  /** The project's tasks, optionally by status or only the ready ones. */
  tasks(id: number, query: ListTasksQuery = {}, options: RequestOptions = {}): Promise<ItemList<Task>> {
    const status = Array.isArray(query.status) ? query.status.join(',') : query.status
    return this.http.json('GET', `/api/v1/projects/${seg(id)}/tasks`, {
      query: { ...query, status },
      signal: options.signal,
    })
  }

  /** Adds a task (201). */
  addTask(id: number, body: CreateTaskBody, options: RequestOptions = {}): Promise<Task> {
    return this.http.json('POST', `/api/v1/projects/${seg(id)}/tasks`, { body, signal: options.signal })
  }

  /** The task graph: `{nodes, edges}` as JSON, or Mermaid / Graphviz text. */
  graph(id: number, format?: 'json', options?: RequestOptions): Promise<TaskGraph>
  graph(id: number, format: 'mermaid' | 'dot', options?: RequestOptions): Promise<string>
  graph(id: number, format: 'json' | 'mermaid' | 'dot' = 'json', options: RequestOptions = {}) {
    const path = `/api/v1/projects/${seg(id)}/graph`
    if (format === 'json') return this.http.json('GET', path, { query: { format }, signal: options.signal })
    return this.http.text('GET', path, { query: { format }, signal: options.signal })
  }

  /** The model turns a specification into tasks (422 when it keeps failing). */
  plan(id: number, body: PlanProjectBody, options: RequestOptions = {}): Promise<PlanResult> {
    return this.http.json('POST', `/api/v1/projects/${seg(id)}/plan`, { body, signal: options.signal })
  }

  /** Starts agents on the ready tasks (202); progress arrives on `client.events()`. 409 if already running. */
  run(
    id: number,
    body: RunProjectBody = {},
    options: RequestOptions = {},
  ): Promise<{ project_run_id: string }> {
    return this.http.json('POST', `/api/v1/projects/${seg(id)}/run`, { body, signal: options.signal })
  }

  /** Stops the project's run in progress (202). */
  cancelRun(id: number, options: RequestOptions = {}): Promise<{ project_run_id: string }> {
    return this.http.json('POST', `/api/v1/projects/${seg(id)}/run/cancel`, {
      body: {},
      signal: options.signal,
    })
  }
}

/** `/api/v1/tasks…` */
export class Tasks {
  constructor(private readonly http: Transport) {}

  /** The tasks of a project (same as `client.projects.tasks`). */
  list(projectId: number, query: ListTasksQuery = {}, options: RequestOptions = {}): Promise<ItemList<Task>> {
    return new Projects(this.http).tasks(projectId, query, options)
  }

  /** Adds a task to a project (same as `client.projects.addTask`). */
  create(projectId: number, body: CreateTaskBody, options: RequestOptions = {}): Promise<Task> {
    return new Projects(this.http).addTask(projectId, body, options)
  }

  get(id: number, options: RequestOptions = {}): Promise<Task> {
    return this.http.json('GET', `/api/v1/tasks/${seg(id)}`, { signal: options.signal })
  }

  update(id: number, body: UpdateTaskBody, options: RequestOptions = {}): Promise<Task> {
    return this.http.json('PATCH', `/api/v1/tasks/${seg(id)}`, { body, signal: options.signal })
  }

  delete(id: number, options: RequestOptions = {}): Promise<void> {
    return this.http.empty('DELETE', `/api/v1/tasks/${seg(id)}`, { signal: options.signal })
  }

  /** A status change (`start`, `done`, …): 409 when invalid or a dependency is not done. */
  transition(id: number, body: TransitionTaskBody, options: RequestOptions = {}): Promise<Task> {
    return this.http.json('POST', `/api/v1/tasks/${seg(id)}/transition`, { body, signal: options.signal })
  }

  /** Makes the task depend on another (201); 409 on a cycle. */
  addDependency(id: number, dependsOn: number, options: RequestOptions = {}): Promise<Task> {
    return this.http.json('POST', `/api/v1/tasks/${seg(id)}/dependencies`, {
      body: { depends_on: dependsOn },
      signal: options.signal,
    })
  }

  removeDependency(id: number, dependsOn: number, options: RequestOptions = {}): Promise<Task> {
    return this.http.json('DELETE', `/api/v1/tasks/${seg(id)}/dependencies/${seg(dependsOn)}`, {
      signal: options.signal,
    })
  }
}
