import type { CompactResult } from '@penguin-ai/engine'
import { LlmError } from '@penguin-ai/llm'
import { HttpError, type ServerDeps } from '../deps.js'
import type { LogCallback } from '../log.js'
import { openAgent } from './open-agent.js'
import type { RunManager } from './run-manager.js'
import { visibleSession } from './visibility.js'

/**
 * `POST /sessions/{id}/compact` (chat `/compact`): summarises the session's older turns now, as
 * the local chat does. Holds the session like a restore (409 while a run is active, and no run can
 * start meanwhile); the summary is stored like a compaction in a run, so the next run (on any
 * client) starts from it. Undefined: nothing older to summarise yet; a model failure is a 503 and
 * leaves the conversation as it was.
 */
export async function compactSession(
  deps: ServerDeps,
  runs: RunManager,
  sessionRef: string,
  signal: AbortSignal,
  log: LogCallback = () => {},
): Promise<CompactResult | undefined> {
  const session = await visibleSession(deps, sessionRef)
  return runs.exclusive(session.id, async () => {
    const { agent, extensions, release } = await openAgent(deps, session, {
      autoApprove: false,
      // Compaction calls no tools; nothing can ask.
      askPermission: async () => 'reject',
      onCheckpointError: (error) =>
        log(`checkpoint failed in session ${session.id}`, error, { sessionId: session.id }),
      warn: (message, source) =>
        log(source === 'config' ? message : `${source}: ${message}`, undefined, { sessionId: session.id }),
    })
    try {
      return await agent.engine.compact(signal)
    } catch (error) {
      if (!(error instanceof LlmError)) throw error
      throw new HttpError(
        503,
        'unavailable',
        `the model could not summarise the conversation: ${error.message}`,
      )
    } finally {
      // Closing stores the summary before the session is released.
      await agent.close()
      await extensions?.close('other').catch(() => undefined)
      await release().catch(() => undefined)
    }
  })
}
