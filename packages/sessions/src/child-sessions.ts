/** The sessions of `task` calls (sub-agents): stored as children of the parent session, or in memory. */
import {
  Engine,
  type RunOptions,
  type RunResult,
  type SubagentSession,
  type SubagentSessionRequest,
} from '@penguin-ai/engine'
import type { AsyncStore } from '@penguin-ai/store'
import type { AgentSessionOptions } from './session-options.js'

/** What a child session must do: what `AgentSession` does. */
export interface ChildSession {
  readonly sessionId: string
  run(prompt: string, options?: RunOptions): Promise<RunResult>
  close(): Promise<void>
}

/**
 * A `task` call's session: a new child of `parentSessionId`, or the earlier child it continues (which
 * must be this session's and run the same agent). No checkpoints of its own: the parent took one
 * before the turn that started it.
 */
export async function openChildSession(
  open: (options: AgentSessionOptions) => Promise<ChildSession>,
  store: AsyncStore,
  request: SubagentSessionRequest,
  memory: boolean | undefined,
): Promise<SubagentSession> {
  if (request.sessionId) {
    const existing = await store.getSession(request.sessionId)
    if (!existing || existing.parentSessionId !== request.parentSessionId)
      throw new Error(`No task session "${request.sessionId}" of this session to continue.`)
    if (existing.agent !== request.agent)
      throw new Error(`Session ${existing.id} runs the ${existing.agent} agent, not ${request.agent}.`)
  }
  const child = await open({
    store,
    engine: request.engine,
    choice: request.sessionId
      ? { sessionRef: request.sessionId }
      : { parentSessionId: request.parentSessionId, agent: request.agent, title: request.title },
    ...(memory === undefined ? {} : { memory }),
  })
  return {
    sessionId: child.sessionId,
    agent: request.agent,
    run: (prompt, options) => child.run(prompt, options),
    close: () => child.close(),
  }
}

/**
 * A `task` call's session when the parent runs unrecorded (its database could not open): kept in
 * memory for this process, continued by id like a stored one.
 */
export function memoryChildSession(
  children: Map<string, SubagentSession>,
  request: SubagentSessionRequest,
): SubagentSession {
  if (request.sessionId) {
    const known = children.get(request.sessionId)
    if (!known) throw new Error(`No task session "${request.sessionId}" of this session to continue.`)
    if (known.agent !== request.agent)
      throw new Error(`Session ${request.sessionId} runs the ${known.agent} agent, not ${request.agent}.`)
    return known
  }
  const child = new Engine(request.engine)
  const session: SubagentSession = {
    sessionId: child.sessionId,
    agent: request.agent,
    run: (prompt, options) => child.run(prompt, options),
    close: () => {},
  }
  children.set(child.sessionId, session)
  return session
}
