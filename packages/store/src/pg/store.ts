/**
 * The Postgres store's async face: the same `AsyncStore` as SQLite's `store.async`. Operations run
 * concurrently on the pool; `transaction(fn)` holds one connection from BEGIN until `fn`'s promise
 * settles, and the store it hands to `fn` runs its operations inside (its own `transaction` nests
 * as a savepoint). Change events reach this process's subscribers after commit. Its operations
 * (pg/*.ts) mirror the synchronous SQLite ones (src/*.ts) by design — see the README, "Why each
 * operation is written twice"; validation and row mapping are shared.
 */
import { randomUUID } from 'node:crypto'
import { asc, inArray } from 'drizzle-orm'
import { OPERATION_NAMES } from '../async.js'
import { StoreError } from '../errors.js'
import { EventHub } from '../events.js'
import { validatePlan } from '../plan-validation.js'
import { events } from '../schema-pg.js'
import type { AsyncStore, ChangeListener, RecordedChange, SubscribeOptions } from '../types.js'
import * as checkpoints from './checkpoints.js'
import { announce, asStoreError, deliver, type PgCtx, type PgDb } from './context.js'
import * as conversation from './conversation.js'
import * as lifecycle from './lifecycle.js'
import * as memories from './memories.js'
import * as messages from './messages.js'
import * as projects from './projects.js'
import { isRowId } from './records.js'
import * as runs from './runs.js'
import * as sessions from './sessions.js'
import * as taskQueries from './task-queries.js'
import * as tasks from './tasks.js'
import * as tokens from './tokens.js'

type Operation = (ctx: PgCtx, ...args: never[]) => Promise<unknown>

/** Every operation of StoreOperations, taking the context first. */
const OPERATIONS: Record<(typeof OPERATION_NAMES)[number], Operation> = {
  createProject: projects.createProject,
  getProject: projects.getProject,
  requireProject: projects.requireProject,
  findProjectByName: projects.findProjectByName,
  listProjects: projects.listProjects,
  updateProject: projects.updateProject,
  deleteProject: projects.deleteProject,
  addProjectUsage: projects.addProjectUsage,
  createTask: tasks.createTask,
  getTask: taskQueries.getTask,
  requireTask: taskQueries.requireTask,
  listTasks: taskQueries.listTasks,
  updateTask: tasks.updateTask,
  transitionTask: lifecycle.transitionTask,
  deleteTask: tasks.deleteTask,
  addDependency: tasks.addDependency,
  removeDependency: tasks.removeDependency,
  getDependencies: tasks.getDependencies,
  getDependents: tasks.getDependents,
  readyTasks: taskQueries.readyTasks,
  nextReadyTask: taskQueries.nextReadyTask,
  addTaskUsage: tasks.addTaskUsage,
  resetStaleTasks: lifecycle.resetStaleTasks,
  getGraph: taskQueries.getGraph,
  createPlan: lifecycle.createPlan,
  validatePlan: async (_ctx: PgCtx, plan: never) => validatePlan(plan),
  startRun: runs.startRun,
  finishRun: runs.finishRun,
  getRun: runs.getRun,
  listRuns: runs.listRuns,
  listEvents: runs.listEvents,
  usageSummary: runs.usageSummary,
  createSession: sessions.createSession,
  getSession: sessions.getSession,
  requireSession: sessions.requireSession,
  listSessions: sessions.listSessions,
  latestSession: sessions.latestSession,
  updateSession: sessions.updateSession,
  deleteSession: sessions.deleteSession,
  appendMessages: messages.appendMessages,
  listMessages: messages.listMessages,
  createCheckpoint: checkpoints.createCheckpoint,
  getCheckpoint: checkpoints.getCheckpoint,
  requireCheckpoint: checkpoints.requireCheckpoint,
  listCheckpoints: checkpoints.listCheckpoints,
  restoreConversation: conversation.restoreConversation,
  forkSession: conversation.forkSession,
  pruneCheckpoints: checkpoints.pruneCheckpoints,
  liveCheckpointCommits: checkpoints.liveCheckpointCommits,
  saveMemory: memories.saveMemory,
  searchMemories: memories.searchMemories,
  listMemories: memories.listMemories,
  deleteMemory: memories.deleteMemory,
  createToken: tokens.createToken,
  listTokens: tokens.listTokens,
  revokeToken: tokens.revokeToken,
  verifyToken: tokens.verifyToken,
  provisionToken: tokens.provisionToken,
}

/**
 * Listening for other processes' changes: `start(onNotice)` opens a dedicated connection that
 * LISTENs on CHANGES_CHANNEL and returns how to stop it. Started with the first subscriber.
 */
export type ChangeListenerConnection = (onNotice: (payload: string) => void) => Promise<() => Promise<void>>

export function createPgStore(
  db: PgDb,
  end: () => Promise<void>,
  listen?: ChangeListenerConnection,
): AsyncStore {
  const hub = new EventHub()
  const origin = randomUUID()
  let closed: Promise<void> | undefined
  let listening: Promise<(() => Promise<void>) | undefined> | undefined
  const base: PgCtx = { db, hub, origin, pending: undefined }
  const top = layer(base, { finished: false }, () => closed !== undefined)
  // Others' changes, read back by id and delivered in id order, one notice after another.
  let chain: Promise<void> = Promise.resolve()
  /** Changes read back from other processes (local subscribers skip them). */
  const foreign = new WeakSet<RecordedChange>()
  const onNotice = (payload: string) => {
    const [from, list = ''] = payload.split('|')
    if (from === origin) return
    const ids = list.split(',').map(Number).filter(isRowId)
    if (ids.length === 0) return
    chain = chain.then(async () => {
      if (closed) return
      try {
        const changes = await changesByIds(db, ids)
        for (const change of changes) foreign.add(change)
        deliver(hub, changes)
      } catch {
        // The store is closing, or the database went away: those changes are lost to this process's
        // listeners (they are in the events table; listEvents catches up).
      }
    })
  }
  const subscribe = top.subscribe
  top.subscribe = (listener: ChangeListener, options: SubscribeOptions = {}) => {
    if (options.local)
      return subscribe((change) => {
        if (!foreign.has(change)) listener(change)
      })
    const unsubscribe = subscribe(listener)
    if (listen && !listening && !closed) listening = listen(onNotice).catch(() => undefined)
    return unsubscribe
  }
  top.close = () => {
    closed ??= (async () => {
      const stop = await listening
      await stop?.().catch(() => {})
      await chain
      await end()
    })().finally(() => hub.clear())
    return closed
  }
  return top
}

async function changesByIds(db: PgDb, ids: number[]): Promise<RecordedChange[]> {
  const rows = await db.select().from(events).where(inArray(events.id, ids)).orderBy(asc(events.id))
  return rows.map((row) => ({ ...row.data, type: row.type, eventId: row.id }) as unknown as RecordedChange)
}

function layer(ctx: PgCtx, scope: { finished: boolean }, isClosed: () => boolean): AsyncStore {
  const guard = () => {
    if (scope.finished)
      throw new StoreError('database', 'this transaction has already finished; use the store it came from')
    if (isClosed())
      throw new StoreError('database', 'the store is closed; open it again with openPostgresStore')
  }
  const store: Record<string, unknown> = {}
  for (const name of OPERATION_NAMES) {
    const operation = OPERATIONS[name] as (ctx: PgCtx, ...args: unknown[]) => Promise<unknown>
    store[name] = async (...args: unknown[]) => {
      guard()
      try {
        return await operation(ctx, ...args)
      } catch (error) {
        throw asStoreError(error)
      }
    }
  }
  store.transaction = async <T>(fn: (tx: AsyncStore) => Promise<T>): Promise<T> => {
    guard()
    const outer = ctx.pending
    const pending: RecordedChange[] = outer ?? []
    const mark = pending.length
    const inner = { finished: false }
    try {
      const result = await ctx.db.transaction(
        async (tx) => {
          let value: T
          try {
            value = await fn(layer({ ...ctx, db: tx, pending }, inner, isClosed))
          } finally {
            inner.finished = true
          }
          if (!outer) await announce(tx, ctx.origin, pending)
          return value
        },
        outer ? undefined : { isolationLevel: 'serializable' },
      )
      if (!outer) deliver(ctx.hub, pending)
      return result
    } catch (error) {
      pending.length = Math.min(mark, pending.length)
      throw asStoreError(error)
    }
  }
  store.subscribe = (listener: ChangeListener) => ctx.hub.subscribe(listener)
  store.close = () =>
    Promise.reject(
      new StoreError('database', 'close the store itself, not the store a transaction hands you'),
    )
  return store as unknown as AsyncStore
}
