/** Projects: CRUD, the task graph, planning from a spec, running the graph in the background. */

import { route } from '../route.js'
import { IntIdParam, listOf } from '../schemas/common.js'
import {
  CreateProjectBody,
  GraphQuery,
  GraphSchema,
  PatchProjectBody,
  PlanBody,
  PlanResultSchema,
  ProjectRunAcceptedSchema,
  ProjectSchema,
  RunProjectBody,
} from '../schemas/projects.js'

export const listProjects = route({
  method: 'get',
  path: '/projects',
  summary: 'List projects',
  tags: ['projects'],
  response: { status: 200, description: 'projects by id', schema: listOf(ProjectSchema) },
})

export const createProject = route({
  method: 'post',
  path: '/projects',
  summary: 'Create a project (its workspace must lie under the server root)',
  tags: ['projects'],
  body: CreateProjectBody,
  response: { status: 201, description: 'the new project', schema: ProjectSchema },
  errors: [403, 409],
})

export const getProject = route({
  method: 'get',
  path: '/projects/{id}',
  summary: 'Get a project',
  tags: ['projects'],
  params: IntIdParam,
  response: { status: 200, description: 'the project', schema: ProjectSchema },
  errors: [404],
})

export const updateProject = route({
  method: 'patch',
  path: '/projects/{id}',
  summary: 'Edit a project: name, description, workspace, status, budgets',
  tags: ['projects'],
  params: IntIdParam,
  body: PatchProjectBody,
  response: { status: 200, description: 'the project', schema: ProjectSchema },
  errors: [403, 404, 409],
})

export const deleteProject = route({
  method: 'delete',
  path: '/projects/{id}',
  summary: 'Delete a project with its tasks and runs (409 while it is running)',
  tags: ['projects'],
  params: IntIdParam,
  response: { status: 204, description: 'deleted' },
  errors: [404, 409],
})

export const projectGraph = route({
  method: 'get',
  path: '/projects/{id}/graph',
  summary: 'The task graph: JSON nodes and edges, or Mermaid / Graphviz DOT text (format=mermaid|dot)',
  notes: 'JSON `{nodes, edges}`, or text for mermaid and dot',
  tags: ['projects'],
  params: IntIdParam,
  query: GraphQuery,
  response: { status: 200, description: 'the graph (text/plain for mermaid and dot)', schema: GraphSchema },
  errors: [404],
})

export const planProject = route({
  method: 'post',
  path: '/projects/{id}/plan',
  summary: 'Turn a spec into tasks with the model (dry_run: validate and return without saving)',
  notes:
    '422 when the model keeps submitting invalid plans (`details.reason: "plan_rejected"`, `details.problems`, `details.attempts`), names no model, or cannot be used (unknown provider, missing key, auth, unknown model: `details.reason` says which); 502 `upstream_error` when it kept failing after the retries. With a database URL a worker asks the model and this server stores the tasks and answers, same statuses and bodies ([scale.md](scale.md)); 503 `unavailable` (`details.reason: "timeout"`) when no worker finished the plan within 10 minutes (it is then cancelled)',
  tags: ['projects'],
  params: IntIdParam,
  body: PlanBody,
  response: { status: 200, description: 'the plan and the stored tasks', schema: PlanResultSchema },
  errors: [404, 422, 502, 503],
})

export const runProject = route({
  method: 'post',
  path: '/projects/{id}/run',
  summary: 'Run the ready tasks in dependency order in the background; progress streams on /events',
  notes:
    '`parallel`: up to N tasks at once, each in its own git worktree; `roles`: of `plan`, `build`, `test`, `review` (see [projects.md](projects.md)). 409 if the project is already running; 422 no model / no workspace / `parallel` on a workspace that is not a clean git repository on a branch; 403 workspace outside `--root`; progress arrives as SSE events on `/api/v1/events` (`task.role`, `task.merged`, `task.split` besides the others)',
  tags: ['projects'],
  params: IntIdParam,
  body: RunProjectBody,
  response: { status: 202, description: 'the run started', schema: ProjectRunAcceptedSchema },
  errors: [403, 404, 409, 422],
})

export const cancelProjectRun = route({
  method: 'post',
  path: '/projects/{id}/run/cancel',
  summary: "Abort the project's run; the task in progress goes back to pending",
  tags: ['projects'],
  params: IntIdParam,
  response: { status: 202, description: 'cancellation under way', schema: ProjectRunAcceptedSchema },
  errors: [404],
})
