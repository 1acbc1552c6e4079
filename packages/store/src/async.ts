/**
 * The async face of the store. Operations queue up and run one at a time; `transaction(fn)` holds
 * the queue from BEGIN IMMEDIATE until `fn`'s promise settles, and the store handed to `fn` runs
 * its operations inside that transaction (its own `transaction` nests as a savepoint).
 */
import { asStoreError, type Ctx } from './context.js'
import { StoreError } from './errors.js'
import type { AsyncStore, ChangeListener, StoreOperations } from './types.js'

/** Every operation name of StoreOperations; the check below fails to compile if one is missing. */
export const OPERATION_NAMES = [
  'createProject',
  'getProject',
  'requireProject',
  'findProjectByName',
  'listProjects',
  'updateProject',
  'deleteProject',
  'addProjectUsage',
  'createTask',
  'getTask',
  'requireTask',
  'listTasks',
  'updateTask',
  'transitionTask',
  'deleteTask',
  'addDependency',
  'removeDependency',
  'getDependencies',
  'getDependents',
  'readyTasks',
  'nextReadyTask',
  'addTaskUsage',
  'resetStaleTasks',
  'getGraph',
  'createPlan',
  'validatePlan',
  'startRun',
  'finishRun',
  'getRun',
  'listRuns',
  'listEvents',
  'usageSummary',
  'createSession',
  'getSession',
  'requireSession',
  'listSessions',
  'latestSession',
  'updateSession',
  'deleteSession',
  'appendMessages',
  'listMessages',
  'createCheckpoint',
  'getCheckpoint',
  'requireCheckpoint',
  'listCheckpoints',
  'restoreConversation',
  'forkSession',
  'pruneCheckpoints',
  'liveCheckpointCommits',
  'saveMemory',
  'searchMemories',
  'listMemories',
  'deleteMemory',
  'createToken',
  'listTokens',
  'revokeToken',
  'verifyToken',
  'provisionToken',
] as const satisfies readonly (keyof StoreOperations)[]
type Missing = Exclude<keyof StoreOperations, (typeof OPERATION_NAMES)[number]>
const allListed: [Missing] extends [never] ? true : Missing = true
void allListed

class Queue {
  #tail: Promise<unknown> = Promise.resolve()

  run<T>(task: () => T | Promise<T>): Promise<T> {
    const result = this.#tail.then(task)
    this.#tail = result.then(
      () => undefined,
      () => undefined,
    )
    return result
  }

  idle(): Promise<void> {
    return this.run(() => undefined)
  }
}

/** Shared between the sync store and its async layers. */
export interface AsyncState {
  /** An async transaction holds the connection: sync calls from outside it are refused. */
  transactionOpen: boolean
  /** >0 while an async layer runs a sync operation on the transaction's behalf. */
  insideCalls: number
}

export interface AsyncHooks {
  ctx: Ctx
  operations: StoreOperations
  state: AsyncState
  subscribe(listener: ChangeListener): () => void
  close(): void
}

export function createAsyncStore(hooks: AsyncHooks): AsyncStore {
  return layer(hooks, new Queue(), 0, { finished: false })
}

type AnyOperation = (...args: unknown[]) => unknown

function layer(hooks: AsyncHooks, queue: Queue, depth: number, scope: { finished: boolean }): AsyncStore {
  const { ctx, state } = hooks
  const runOp = <T>(call: () => T): Promise<T> =>
    queue.run(() => {
      if (scope.finished)
        throw new StoreError('database', 'this transaction has already finished; use the store it came from')
      if (depth === 0) return call()
      state.insideCalls++
      try {
        return call()
      } finally {
        state.insideCalls--
      }
    })

  const store: Record<string, unknown> = {}
  for (const name of OPERATION_NAMES) {
    const operation = hooks.operations[name] as AnyOperation
    store[name] = (...args: unknown[]) => runOp(() => operation(...args))
  }

  store.transaction = <T>(fn: (tx: AsyncStore) => Promise<T>): Promise<T> =>
    queue.run(async () => {
      if (scope.finished)
        throw new StoreError('database', 'this transaction has already finished; use the store it came from')
      const savepoint = `penguin_async_${depth}`
      const mark = ctx.events.mark()
      try {
        ctx.sqlite.exec(depth === 0 ? 'BEGIN IMMEDIATE' : `SAVEPOINT ${savepoint}`)
      } catch (error) {
        throw asStoreError(error)
      }
      if (depth === 0) state.transactionOpen = true
      const innerQueue = new Queue()
      const innerScope = { finished: false }
      try {
        const result = await fn(layer(hooks, innerQueue, depth + 1, innerScope))
        await innerQueue.idle()
        innerScope.finished = true
        if (depth === 0) {
          ctx.sqlite.exec('COMMIT')
          state.transactionOpen = false
          ctx.events.flush()
        } else ctx.sqlite.exec(`RELEASE ${savepoint}`)
        return result
      } catch (error) {
        innerScope.finished = true
        await innerQueue.idle()
        ctx.events.discard(mark)
        if (depth === 0) {
          if (ctx.sqlite.inTransaction) ctx.sqlite.exec('ROLLBACK')
          state.transactionOpen = false
        } else {
          ctx.sqlite.exec(`ROLLBACK TO ${savepoint}`)
          ctx.sqlite.exec(`RELEASE ${savepoint}`)
        }
        throw asStoreError(error)
      }
    })

  store.subscribe = (listener: ChangeListener) => hooks.subscribe(listener)
  store.close = () => (depth === 0 ? queue.run(() => hooks.close()) : Promise.reject(closeInsideError()))
  return store as unknown as AsyncStore
}

function closeInsideError(): StoreError {
  return new StoreError('database', 'close the store itself, not the store a transaction hands you')
}
