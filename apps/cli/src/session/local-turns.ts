/** The turn history of a session in this process's store (terminal UI and line chat). */
import type { AgentSession } from '@penguin-ai/sessions'
import { type SessionHistory, type TurnSource, turnMessage } from './turn-history.js'

export function localTurns(agent: AgentSession): TurnSource {
  return {
    async load(): Promise<SessionHistory> {
      const checkpoints = agent.checkpoints
      if (!checkpoints) return { checkpoints: [], messages: [] }
      // The checkpointer follows /new and /resume: it is always the current session's.
      const messages = (await agent.store.listMessages(checkpoints.sessionId)).map(turnMessage)
      return { checkpoints: await checkpoints.list(), messages }
    },
    async restore(checkpointId, keepMessages) {
      return agent.restore(checkpointId, keepMessages === undefined ? {} : { keepMessages })
    },
  }
}
