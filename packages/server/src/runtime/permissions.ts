import type { PermissionReply, PermissionRequest } from '@penguin-ai/engine'
import { HttpError } from '../deps.js'
import type { Coordination } from './coordination.js'

/** A permission the engine is waiting on, as `GET /permissions` lists it (camelCase until sent). */
export interface PendingPermission {
  id: string
  sessionId: string
  runId: string
  callId: string
  tool: string
  access: PermissionRequest['access']
  subject: string
  args: unknown
  preview: PermissionRequest['preview']
  /** Why only an explicit answer allows it (a write inside `.git/` or `.penguin/`). */
  reason?: string
  /** A sub-agent asks through this session's run: its agent and its own session. */
  agent?: string
  subagentSessionId?: string
  askedAt: string
}

interface Waiting {
  permission: PendingPermission
  resolve: (reply: PermissionReply) => void
}

/**
 * The asks of every running session. The engine's `askPermission` parks a promise here; an HTTP or
 * WebSocket reply resolves it. Aborting the run (cancel, shutdown) resolves it `reject`, so a
 * waiting engine never hangs.
 */
export class PermissionBroker {
  private readonly waiting = new Map<string, Waiting>()

  ask(
    request: PermissionRequest,
    context: { sessionId: string; runId: string },
    signal: AbortSignal,
  ): Promise<PermissionReply> {
    if (signal.aborted) return Promise.resolve('reject')
    return new Promise<PermissionReply>((resolve) => {
      const permission: PendingPermission = {
        id: request.id,
        sessionId: context.sessionId,
        runId: context.runId,
        callId: request.callId,
        tool: request.tool,
        access: request.access,
        subject: request.subject,
        args: request.args,
        preview: request.preview,
        ...(request.reason ? { reason: request.reason } : {}),
        ...(request.agent ? { agent: request.agent } : {}),
        ...(request.sessionId && request.sessionId !== context.sessionId
          ? { subagentSessionId: request.sessionId }
          : {}),
        askedAt: new Date().toISOString(),
      }
      const onAbort = () => settle('reject')
      const settle = (reply: PermissionReply) => {
        signal.removeEventListener('abort', onAbort)
        this.waiting.delete(request.id)
        resolve(reply)
      }
      this.waiting.set(request.id, { permission, resolve: settle })
      signal.addEventListener('abort', onAbort, { once: true })
    })
  }

  /** Pending asks, oldest first; only one session's when `sessionId` is given. */
  list(sessionId?: string): PendingPermission[] {
    const all = [...this.waiting.values()].map((waiting) => waiting.permission)
    return sessionId === undefined ? all : all.filter((permission) => permission.sessionId === sessionId)
  }

  /** Answers an ask; 404 when it is unknown or already answered. */
  answer(id: string, reply: PermissionReply): { id: string; reply: PermissionReply } {
    const waiting = this.waiting.get(id)
    if (!waiting)
      throw new HttpError(404, 'not_found', `permission ${JSON.stringify(id)} not found or already answered`)
    waiting.resolve(reply)
    return { id, reply }
  }

  get size(): number {
    return this.waiting.size
  }
}

/**
 * Answers an ask wherever its run runs; 404 when it is unknown or already answered. With a shared
 * database the database decides which answer counts (the first to take the ask) and a control
 * message carries it to the process whose run asked.
 */
export async function answerAnywhere(
  broker: PermissionBroker,
  shared: Coordination | undefined,
  id: string,
  reply: PermissionReply,
): Promise<{ id: string; reply: PermissionReply }> {
  if (!shared) return broker.answer(id, reply)
  const taken = await shared.takePermission(id)
  const here = broker.list().some((pending) => pending.id === id)
  // Waiting here (perhaps not yet in the database: an answer right after the ask), or unknown.
  if (here || !taken) return broker.answer(id, reply)
  // Another process's run, or another RunManager's in this one (in-process workers).
  await shared.send(taken.nodeId, { kind: 'permission', id, reply })
  return { id, reply }
}
