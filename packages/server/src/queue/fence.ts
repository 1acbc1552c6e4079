/**
 * A worker's session runs write their conversation fenced by the run's lease (the store's
 * AppendOptions.fence): a worker too slow to beat its heartbeat — its run taken back and dispatched
 * again — stores nothing more once another worker holds the run, so no message is stored twice. The
 * worker hands the store its places use through `fencedStore`; the run's fence is set while the
 * run is this worker's, and an append that loses says so (`onLost`): the run stops here, unannounced.
 */
import { type AsyncStore, LeaseLostError, type RunFence } from '@penguin-ai/store'

export interface Fences {
  /** The session's run is this worker's now, on this attempt of its lease. */
  hold(sessionId: string, fence: RunFence): void
  /** The run is over here: its session's appends are no longer fenced by it. */
  release(sessionId: string, runId: string): void
}

/**
 * `store` with every append to a session that one of this worker's runs holds fenced by that run's
 * lease. One run per session at a time (the lease's rule), so the session says which run writes.
 */
export function fencedStore(
  store: AsyncStore,
  onLost: (runId: string) => void,
): { store: AsyncStore; fences: Fences } {
  const held = new Map<string, RunFence>()
  const appendMessages: AsyncStore['appendMessages'] = async (sessionId, messages, options = {}) => {
    const fence = held.get(sessionId)
    if (!fence) return store.appendMessages(sessionId, messages, options)
    try {
      return await store.appendMessages(sessionId, messages, { ...options, fence })
    } catch (error) {
      if (error instanceof LeaseLostError) onLost(fence.runId)
      throw error
    }
  }
  const fenced = new Proxy(store, {
    get(target, key) {
      if (key === 'appendMessages') return appendMessages
      const value: unknown = Reflect.get(target, key, target)
      return typeof value === 'function' ? value.bind(target) : value
    },
  })
  return {
    store: fenced,
    fences: {
      hold: (sessionId, fence) => held.set(sessionId, fence),
      release: (sessionId, runId) => {
        if (held.get(sessionId)?.runId === runId) held.delete(sessionId)
      },
    },
  }
}
