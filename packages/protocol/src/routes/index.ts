import type { RouteDeclaration } from '../route.js'
import * as catalogue from './catalogue.js'
import * as checkpoints from './checkpoints.js'
import * as events from './events.js'
import * as github from './github.js'
import * as memory from './memory.js'
import * as permissions from './permissions.js'
import * as projects from './projects.js'
import * as runs from './runs.js'
import * as server from './server.js'
import * as sessions from './sessions.js'
import * as tasks from './tasks.js'

export * from './catalogue.js'
export * from './checkpoints.js'
export * from './events.js'
export * from './github.js'
export * from './memory.js'
export * from './permissions.js'
export * from './projects.js'
export * from './runs.js'
export * from './server.js'
export * from './sessions.js'
export * from './tasks.js'

/**
 * Every route of the API, in the order of docs/api.md's table (which is generated from this list).
 * A route declared here and not served fails the server's tests, and the other way round.
 */
export const ROUTES: readonly RouteDeclaration[] = [
  server.health,
  server.ready,
  server.metrics,
  server.openapiDocument,
  server.docsPage,
  sessions.createSession,
  sessions.listSessions,
  sessions.getSession,
  sessions.listChildSessions,
  sessions.deleteSession,
  sessions.forkSession,
  sessions.sessionMcp,
  sessions.sendMessage,
  sessions.listMessages,
  sessions.compactSession,
  events.sessionEvents,
  events.allEvents,
  events.webSocket,
  runs.getRun,
  runs.cancelRun,
  permissions.listPermissions,
  permissions.replyPermission,
  checkpoints.listCheckpoints,
  checkpoints.diffCheckpoint,
  checkpoints.restoreCheckpoint,
  projects.listProjects,
  projects.createProject,
  projects.getProject,
  projects.updateProject,
  projects.deleteProject,
  tasks.listTasks,
  tasks.createTask,
  projects.projectGraph,
  projects.planProject,
  projects.runProject,
  projects.cancelProjectRun,
  tasks.getTask,
  tasks.updateTask,
  tasks.deleteTask,
  tasks.transitionTask,
  tasks.addDependency,
  tasks.removeDependency,
  memory.listMemory,
  memory.createMemory,
  memory.deleteMemory,
  catalogue.listModels,
  catalogue.listAgents,
  catalogue.usageSummary,
  github.githubWebhook,
]
