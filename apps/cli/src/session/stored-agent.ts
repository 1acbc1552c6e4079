import type { AgentFlags } from '../args.js'
import { sqliteDriverProblem } from '../store/driver.js'
import { databaseLocation } from '../store/location.js'

/**
 * The agent a session being resumed (`--continue`, `--session ID`) last ran as, so that it goes on
 * as that agent — a read-only `review` session must not come back as `build` with every tool.
 * Undefined when it ran as the default agent, or when the session cannot be read here: resuming
 * then fails with openAgent's own message about the database or the session.
 */
export async function resumedSessionAgent(flags: AgentFlags, workspace: string): Promise<string | undefined> {
  if (!(flags.continue || flags.session) || sqliteDriverProblem()) return undefined
  const path = await databaseLocation(flags.db)
  if (path === ':memory:') return undefined
  const { openStore } = await import('@penguin-ai/store')
  try {
    const store = openStore({ path })
    try {
      const session = flags.session ? store.requireSession(flags.session) : store.latestSession(workspace)
      return session?.agent ?? undefined
    } finally {
      store.close()
    }
  } catch {
    return undefined
  }
}
