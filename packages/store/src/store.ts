/** openStore: the connection, the operations bound to it, and the sync and async faces. */
import { resolve } from 'node:path'
import { type AsyncState, createAsyncStore } from './async.js'
import {
  createCheckpoint,
  getCheckpoint,
  listCheckpoints,
  liveCheckpointCommits,
  pruneCheckpoints,
  requireCheckpoint,
} from './checkpoints.js'
import { asStoreError, type Ctx, ReadCache, write } from './context.js'
import { forkSession, restoreConversation } from './conversation.js'
import { addDependency, getDependencies, getDependents, removeDependency } from './dependencies.js'
import { StoreError } from './errors.js'
import { listEvents } from './event-log.js'
import { EventHub } from './events.js'
import { resetStaleTasks, transitionTask } from './lifecycle.js'
import { deleteMemory, listMemories, saveMemory, searchMemories } from './memories.js'
import { appendMessages, listMessages } from './messages.js'
import { openConnection } from './open.js'
import { createPlan } from './plan.js'
import { validatePlan } from './plan-validation.js'
import {
  addProjectUsage,
  createProject,
  deleteProject,
  findProjectByName,
  getProject,
  listProjects,
  requireProject,
  updateProject,
} from './projects.js'
import { finishRun, getRun, listRuns, startRun } from './runs.js'
import {
  createSession,
  deleteSession,
  getSession,
  latestSession,
  listSessions,
  requireSession,
  updateSession,
} from './sessions.js'
import { getGraph, getTask, listTasks, nextReadyTask, readyTasks, requireTask } from './task-queries.js'
import { addTaskUsage, createTask, deleteTask, updateTask } from './tasks.js'
import { createToken, listTokens, provisionToken, revokeToken, verifyToken } from './tokens.js'
import type { AsyncStore, ChangeListener, OpenStoreOptions, Store, StoreOperations } from './types.js'
import { usageSummary } from './usage.js'

export function openStore(options: OpenStoreOptions): Store {
  const path = options.path === ':memory:' ? ':memory:' : resolve(options.path)
  const { sqlite, db } = openConnection(path, options.readonly ?? false)
  const ctx: Ctx = { sqlite, db, events: new EventHub(), statements: new Map(), reads: new ReadCache() }
  const state: AsyncState = { transactionOpen: false, insideCalls: 0 }

  const guard = <A extends unknown[], R>(fn: (...args: A) => R) => {
    return (...args: A): R => {
      if (state.transactionOpen && state.insideCalls === 0)
        throw new StoreError(
          'database',
          'a store.async transaction is in progress: use the store it hands you, or wait for it to finish',
        )
      try {
        return fn(...args)
      } catch (error) {
        throw asStoreError(error)
      }
    }
  }

  const operations: StoreOperations = {
    createProject: guard((input) => createProject(ctx, input)),
    getProject: guard((id) => getProject(ctx, id)),
    requireProject: guard((ref) => requireProject(ctx, ref)),
    findProjectByName: guard((name) => findProjectByName(ctx, name)),
    listProjects: guard(() => listProjects(ctx)),
    updateProject: guard((id, patch) => updateProject(ctx, id, patch)),
    deleteProject: guard((id) => deleteProject(ctx, id)),
    addProjectUsage: guard((id, usage) => addProjectUsage(ctx, id, usage)),
    createTask: guard((input) => createTask(ctx, input)),
    getTask: guard((id) => getTask(ctx, id)),
    requireTask: guard((id) => requireTask(ctx, id)),
    listTasks: guard((projectId, filter) => listTasks(ctx, projectId, filter)),
    updateTask: guard((id, patch) => updateTask(ctx, id, patch)),
    transitionTask: guard((id, to, transition) => transitionTask(ctx, id, to, transition)),
    deleteTask: guard((id) => deleteTask(ctx, id)),
    addDependency: guard((taskId, dependsOn) => addDependency(ctx, taskId, dependsOn)),
    removeDependency: guard((taskId, dependsOn) => removeDependency(ctx, taskId, dependsOn)),
    getDependencies: guard((taskId) => getDependencies(ctx, taskId)),
    getDependents: guard((taskId) => getDependents(ctx, taskId)),
    readyTasks: guard((projectId, limit) => readyTasks(ctx, projectId, limit)),
    nextReadyTask: guard((projectId) => nextReadyTask(ctx, projectId)),
    addTaskUsage: guard((id, usage) => addTaskUsage(ctx, id, usage)),
    resetStaleTasks: guard((projectId) => resetStaleTasks(ctx, projectId)),
    getGraph: guard((projectId) => getGraph(ctx, projectId)),
    createPlan: guard((projectId, plan) => createPlan(ctx, projectId, plan)),
    validatePlan: (plan) => validatePlan(plan),
    startRun: guard((input) => startRun(ctx, input)),
    finishRun: guard((id, outcome) => finishRun(ctx, id, outcome)),
    getRun: guard((id) => getRun(ctx, id)),
    listRuns: guard((filter) => listRuns(ctx, filter)),
    listEvents: guard((filter) => listEvents(ctx, filter)),
    usageSummary: guard((filter) => usageSummary(ctx, filter)),
    createSession: guard((input) => createSession(ctx, input)),
    getSession: guard((id) => getSession(ctx, id)),
    requireSession: guard((ref) => requireSession(ctx, ref)),
    listSessions: guard((filter) => listSessions(ctx, filter)),
    latestSession: guard((workspace) => latestSession(ctx, workspace)),
    updateSession: guard((id, patch) => updateSession(ctx, id, patch)),
    deleteSession: guard((id) => deleteSession(ctx, id)),
    appendMessages: guard((sessionId, messages, options) =>
      appendMessages(ctx, sessionId, messages, options),
    ),
    listMessages: guard((sessionId) => listMessages(ctx, sessionId)),
    createCheckpoint: guard((input) => createCheckpoint(ctx, input)),
    getCheckpoint: guard((id) => getCheckpoint(ctx, id)),
    requireCheckpoint: guard((id) => requireCheckpoint(ctx, id)),
    listCheckpoints: guard((sessionId) => listCheckpoints(ctx, sessionId)),
    restoreConversation: guard((checkpointId, options) => restoreConversation(ctx, checkpointId, options)),
    forkSession: guard((sessionId, checkpointId) => forkSession(ctx, sessionId, checkpointId)),
    pruneCheckpoints: guard((sessionId, policy) => pruneCheckpoints(ctx, sessionId, policy)),
    liveCheckpointCommits: guard(() => liveCheckpointCommits(ctx)),
    saveMemory: guard((input) => saveMemory(ctx, input)),
    searchMemories: guard((query, options) => searchMemories(ctx, query, options)),
    listMemories: guard((scopes, limit) => listMemories(ctx, scopes, limit)),
    deleteMemory: guard((id) => deleteMemory(ctx, id)),
    createToken: guard((name) => createToken(ctx, name)),
    listTokens: guard(() => listTokens(ctx)),
    revokeToken: guard((ref) => revokeToken(ctx, ref)),
    verifyToken: guard((plaintext) => verifyToken(ctx, plaintext)),
    provisionToken: guard((name, plaintext) => provisionToken(ctx, name, plaintext)),
  }

  const subscribe = (listener: ChangeListener) => ctx.events.subscribe(listener)
  const close = () => {
    ctx.events.clear()
    ctx.statements.clear()
    if (sqlite.open) sqlite.close()
  }
  let asyncStore: AsyncStore | undefined

  return {
    ...operations,
    path,
    // Errors thrown by `fn` itself pass through unchanged; SQLite's (BEGIN, COMMIT) become StoreErrors.
    transaction: <T>(fn: () => T): T => {
      if (state.transactionOpen && state.insideCalls === 0)
        throw new StoreError('database', 'a store.async transaction is in progress; wait for it to finish')
      try {
        return write(ctx, fn)
      } catch (error) {
        throw asStoreError(error)
      }
    },
    subscribe,
    get async(): AsyncStore {
      asyncStore ??= createAsyncStore({ ctx, operations, state, subscribe, close })
      return asyncStore
    },
    close,
  }
}
