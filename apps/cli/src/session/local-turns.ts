/** The turn history of a session in this process's store (terminal UI and line chat). */
import type { AgentSession } from '@penguin-ai/sessions'
import type { SessionHistory, TurnSource } from './turn-history.js'

export function localTurns(agent: AgentSession): TurnSource {
  return {
    async load(): Promise<SessionHistory> {
      const checkpoints = agent.checkpoints
      if (!checkpoints) return { checkpoints: [], messages: [] }
      // `session` reads the session afresh; the checkpointer follows /new and /resume.
      const messages = agent.store.listMessages(checkpoints.sessionId).map((message) => {
        const prompt = message.role === 'user' ? promptText(message.parts) : undefined
        return { id: message.id, role: message.role, ...(prompt === undefined ? {} : { prompt }) }
      })
      return { checkpoints: checkpoints.list(), messages }
    },
    async restore(checkpointId, keepMessages) {
      return agent.restore(checkpointId, keepMessages === undefined ? {} : { keepMessages })
    },
  }
}

/** A user message's text, unless it is a compaction summary (which no one typed). */
export function promptText(parts: readonly { type: string; text?: string }[]): string | undefined {
  if (parts.some((part) => part.type === 'summary')) return undefined
  return parts
    .flatMap((part) => (part.type === 'text' && part.text !== undefined ? [part.text] : []))
    .join('\n')
}
