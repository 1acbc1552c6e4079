/**
 * Paces request work while new connections are arriving, so they are accepted in good time.
 *
 * Node 20's libuv accepts ONE connection per event-loop turn (libuv/libuv#3696; see
 * nodejs/performance#95), and a turn first serves every request already read. When many clients
 * connect at once, the k-th connection waits k turns in the kernel's accept queue, each turn serving
 * the requests of every connection accepted before it: about k²/2 requests' worth of CPU before its
 * first byte is even read. With 50 connections at 0.27 ms a request the last one waited 300+ ms
 * (strace: one accept4 per epoll_wait, never EAGAIN); a bare Hono server waits the same way, for its
 * own per-request cost.
 *
 * While connections keep arriving (one was accepted during the last turn), a turn runs at most
 * `turnBudgetMs` of requests before the rest wait for the next turn — whose poll accepts the next
 * connection — so the k-th connection waits about k short turns instead. Each turn lets at least
 * one request through, so nothing starves. Once a turn passes without a new connection, requests go
 * straight through again: a server whose clients stay connected never pays for this.
 */
import { performance } from 'node:perf_hooks'

/** What a turn may spend on requests while connections are arriving; the first one always runs. */
export const TURN_BUDGET_MS = 0.5

export interface AcceptPacingOptions {
  turnBudgetMs?: number
  /** Milliseconds on a monotonic clock (tests pass their own). */
  now?: () => number
}

/** Anything that emits `connection` for each accepted socket (a node:http or node:net server). */
export interface ConnectionSource {
  on(event: 'connection', listener: () => void): unknown
}

export interface AcceptPacing<Args extends unknown[], R> {
  /** `fetch`, deferred to a later turn while connections arrive and this turn spent its budget. */
  fetch: (...args: Args) => R | Promise<Awaited<R>>
  /** Watch a server's accepted connections (call once per server). */
  attach(server: ConnectionSource): void
}

export function acceptPacing<Args extends unknown[], R>(
  fetch: (...args: Args) => R,
  options: AcceptPacingOptions = {},
): AcceptPacing<Args, R> {
  const budget = options.turnBudgetMs ?? TURN_BUDGET_MS
  const now = options.now ?? (() => performance.now())
  /** A connection was accepted during the last turn, so more may be waiting in the accept queue. */
  let arriving = false
  let acceptedThisTurn = false
  /** When this turn's request work began; undefined until a paced request runs in it. */
  let turnStart: number | undefined
  let endScheduled = false

  // Immediates queued while the loop polls run in this turn's check phase; those queued from the
  // check phase run in the next turn's, after its poll. So a turn here ends at its check phase.
  const endTurn = () => {
    endScheduled = false
    turnStart = undefined
    arriving = acceptedThisTurn
    acceptedThisTurn = false
  }
  const scheduleEnd = () => {
    if (endScheduled) return
    endScheduled = true
    setImmediate(endTurn)
  }
  const fits = (): boolean => {
    if (!arriving) return true
    const at = now()
    if (turnStart === undefined) {
      turnStart = at
      scheduleEnd()
      return true
    }
    return at - turnStart < budget
  }

  const paced = (...args: Args): R | Promise<Awaited<R>> => {
    if (fits()) return fetch(...args)
    return new Promise<Awaited<R>>((resolve, reject) => {
      // One immediate per waiting request: Node drains microtasks between immediates, so each
      // attempt sees the time the requests let through before it took.
      const attempt = () => {
        if (!fits()) {
          setImmediate(attempt)
          return
        }
        try {
          resolve(fetch(...args) as Awaited<R>)
        } catch (error) {
          reject(error)
        }
      }
      setImmediate(attempt)
    })
  }

  return {
    fetch: paced,
    attach(server) {
      server.on('connection', () => {
        acceptedThisTurn = true
        arriving = true
        scheduleEnd()
      })
    },
  }
}
