/** The engine of a stored session: the caller's options with the session's own parts wired in. */
import {
  Engine,
  type EngineOptions,
  type SubagentSession,
  type SubagentSessionRequest,
} from '@penguin-ai/engine'
import type { Message } from '@penguin-ai/llm'
import { builtinTools, type MemoryBackend, memoryTools, type Tool } from '@penguin-ai/tools'

/** What the engine is built on: the session's id and place, and the conversation so far. */
export interface EngineSession {
  id: string
  projectId: number | null
  workspace: string
  history: Message[]
}

export interface SessionParts {
  /** Backs memory_save / memory_search; undefined: no memory tools. */
  memory: MemoryBackend | undefined
  /** Opens a `task` call's session (a child of this one). */
  openChild(request: SubagentSessionRequest): Promise<SubagentSession>
  /** Stores the conversation so far (up to `upTo` messages) and waits for it. */
  flush(upTo?: number): Promise<void>
  /** Takes a checkpoint before a turn that can change files (when checkpoints are on). */
  checkpoint(): Promise<void>
}

export function sessionEngine(
  engine: Omit<EngineOptions, 'history'>,
  opened: EngineSession,
  parts: SessionParts,
): Engine {
  const tools: Tool[] = [...(engine.tools ?? builtinTools())]
  if (parts.memory && !tools.some((tool) => tool.name === 'memory_save'))
    tools.push(...memoryTools(parts.memory))
  const { subagents, beforeChanges } = engine
  return new Engine({
    ...engine,
    // Sub-agents' sessions are stored too, as children of this one.
    ...(subagents ? { subagents: { ...subagents, openSession: parts.openChild } } : {}),
    tools,
    history: opened.history,
    sessionId: opened.id,
    // The session is the conversation: its turns share one prompt cache where providers route by key.
    cacheKey: engine.cacheKey ?? opened.id,
    // A request carries the turns before it: they are stored first, so a process that dies once
    // the model has a tool call's result (a worker SIGKILLed) never leaves a resumed run to
    // repeat that call. The recorder started these writes at `turn.started`; this waits for them.
    beforeRequest: async () => {
      await engine.beforeRequest?.()
      await parts.flush()
    },
    beforeChanges: async (calls) => {
      await parts.checkpoint()
      // The calls that change things are stored before they run: a process that dies while one runs
      // (a worker SIGKILLed) leaves the resumed run that call answered "interrupted" — the model
      // learns it may have run — instead of no trace of it. (Read-only turns are stored with their
      // results, at the next turn.)
      await parts.flush()
      await beforeChanges?.(calls)
    },
  })
}
