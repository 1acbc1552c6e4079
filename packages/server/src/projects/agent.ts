/**
 * Task agents as stored sessions, like `penguin project run`: each task's engine is an AgentSession
 * of the project (recorded, checkpointed when the server has a data directory, with memory), so a
 * task's conversation can be read, resumed and forked through the sessions API.
 */

import type { AgentSetup } from '@penguin-ai/config'
import type { Engine, EngineEvent } from '@penguin-ai/engine'
import type { RunProjectOptions } from '@penguin-ai/projects'
import { AgentSession } from '@penguin-ai/sessions'
import type { ServerDeps } from '../deps.js'
import { storedTextRedactor } from '../runtime/stored-text.js'

export interface TaskSessionContext {
  projectId: number
  taskId: number
  sessionId: string
}

export interface SessionAgentHooks {
  /** The task's session exists (before its run starts). */
  onSession?: (taskId: number, sessionId: string) => void
  /** Every engine event of the task's run. */
  onEngineEvent?: (context: TaskSessionContext, event: EngineEvent) => void
  onCheckpointError?: (error: unknown) => void
  /** Attaches telemetry to the task's engine; returns what detaches it (on close). */
  instrument?: (engine: Engine, context: TaskSessionContext) => () => void
}

export function sessionAgentFactory(
  deps: ServerDeps,
  setup: AgentSetup,
  hooks: SessionAgentHooks = {},
): NonNullable<RunProjectOptions['createAgent']> {
  const redact = storedTextRedactor(deps)
  return async (engine, { project, task }) => {
    const agent = await AgentSession.open({
      store: deps.store,
      engine,
      choice: { projectId: project.id, title: `task ${task.id}: ${task.title}` },
      ...(deps.config.dataDir && setup.checkpoints.enabled ? { dataDir: deps.config.dataDir } : {}),
      retention: setup.checkpoints.retention,
      ...(hooks.onCheckpointError ? { onCheckpointError: hooks.onCheckpointError } : {}),
      redact,
    })
    const context: TaskSessionContext = {
      projectId: project.id,
      taskId: task.id,
      sessionId: agent.session.id,
    }
    hooks.onSession?.(task.id, context.sessionId)
    const detach = hooks.instrument?.(agent.engine, context)
    return {
      run: (prompt, options) =>
        agent.run(prompt, {
          ...options,
          onEvent: (event) => {
            hooks.onEngineEvent?.(context, event)
            options.onEvent?.(event)
          },
        }),
      close: () => {
        detach?.()
        return agent.close()
      },
    }
  }
}
