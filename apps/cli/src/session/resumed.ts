import type { AgentFlags } from '../args.js'
import { sqliteDriverProblem } from '../store/driver.js'
import { databaseLocation } from '../store/location.js'

/** What a session being resumed last ran as: its agent (undefined: the default) and model. */
export interface ResumedSession {
  agent: string | undefined
  model: string | undefined
}

/**
 * The agent and model a session being resumed (`--continue`, `--session ID`) last ran with, so that
 * it goes on with them — a read-only `review` session must not come back as `build` with every
 * tool, nor a session on one model quietly go on on the default one. Undefined when nothing is
 * resumed, or when the session cannot be read here: resuming then fails with openAgent's own
 * message about the database or the session.
 */
export async function resumedSession(
  flags: AgentFlags,
  workspace: string,
): Promise<ResumedSession | undefined> {
  if (!(flags.continue || flags.session) || sqliteDriverProblem()) return undefined
  const path = await databaseLocation(flags.db)
  if (path === ':memory:') return undefined
  const { openStore } = await import('@penguin-ai/store')
  try {
    const store = openStore({ path })
    try {
      const session = flags.session ? store.requireSession(flags.session) : store.latestSession(workspace)
      return session ? { agent: session.agent ?? undefined, model: session.model ?? undefined } : undefined
    } finally {
      store.close()
    }
  } catch {
    return undefined
  }
}
