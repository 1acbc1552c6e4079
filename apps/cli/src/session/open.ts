import { dirname } from 'node:path'
import type { Engine, EngineOptions } from '@penguin-ai/engine'
import type { AgentSession } from '@penguin-ai/sessions'
import type { Store } from '@penguin-ai/store'
import type { AgentFlags } from '../args.js'
import { CliError, EXIT, usageError } from '../cli-error.js'
import type { AgentSetup } from '../setup.js'
import { sqliteDriverProblem } from '../store/driver.js'
import { databaseLocation } from '../store/location.js'
import { firstRequestSent } from './first-request.js'

export interface OpenedAgent {
  agent: AgentSession
  store: Store
  /** Stores what is left of the conversation, then closes the database. */
  close(): Promise<void>
}

/**
 * An engine bound to a stored session, resumed with --continue / --session. If the database cannot
 * be opened the run still goes ahead unrecorded (with a warning) — unless the user asked to resume,
 * which needs it.
 */
export async function openAgent(
  setup: AgentSetup,
  flags: AgentFlags,
  engine: Omit<EngineOptions, 'history'>,
  warn: (text: string) => void,
  options: { redact?: (text: string) => string } = {},
): Promise<OpenedAgent | undefined> {
  const driverProblem = sqliteDriverProblem()
  if (driverProblem) {
    if (flags.continue || flags.session) throw new CliError(driverProblem, EXIT.usage)
    warn(`This run is not saved: ${driverProblem}\n`)
    return undefined
  }
  const [{ openStore, StoreError, UnusableDatabaseError }, { AgentSession }] = await Promise.all([
    import('@penguin-ai/store'),
    import('@penguin-ai/sessions'),
  ])
  const path = await databaseLocation(flags.db)
  let store: Store
  try {
    store = openStore({ path })
  } catch (error) {
    // Damaged or from a newer Penguin: say so and stop, rather than quietly run unrecorded.
    if (error instanceof UnusableDatabaseError) throw usageError(error.message)
    const reason = error instanceof Error ? error.message : String(error)
    if (flags.continue || flags.session) {
      throw new CliError(`cannot open the session database at ${path}: ${reason}`, EXIT.failed)
    }
    warn(`This run is not saved: cannot open the session database at ${path} (${reason}).\n`)
    return undefined
  }
  const { checkpoints } = setup
  let warned = false
  try {
    const agent = await AgentSession.open({
      store,
      engine,
      choice: {
        ...(flags.session ? { sessionRef: flags.session } : {}),
        continueLatest: flags.continue,
        // Stored, so a resumed session goes on as this agent (see resumedSession).
        ...(setup.agent ? { agent: setup.agent.name } : {}),
      },
      ...(checkpoints.enabled && path !== ':memory:' ? { dataDir: dirname(path) } : {}),
      retention: checkpoints.retention,
      // Stored text is redacted anyway; a caller may know secrets the environment no longer holds.
      ...(options.redact ? { redact: options.redact } : {}),
      onCheckpointError: (error) => {
        if (warned) return
        warned = true
        warn(
          `Checkpoints are off for this session: ${error instanceof Error ? error.message : String(error)}\n`,
        )
      },
    })
    return {
      agent,
      store,
      close: async () => {
        try {
          await agent.close()
        } finally {
          store.close()
        }
      },
    }
  } catch (error) {
    store.close()
    if (error instanceof StoreError) throw usageError(error.message)
    throw error
  }
}

export interface StartedAgent {
  agent: AgentSession
  /** Stores what is left of the conversation, then closes the database. */
  close(): Promise<void>
}

/**
 * A NEW session for `penguin run`, its first model request not waiting for the database: the
 * engine is built at once (AgentSession.start), and the database — the SQLite driver, the store and
 * its migrations check, the session's row — opens once that request is on its way. Later work that
 * needs it (checkpoints, memory, sub-agents, the end of the run) waits for it. If it cannot open,
 * the run goes on unrecorded with a warning, as openAgent's would; a damaged database or one from a
 * newer Penguin stops the run with the usual error (exit 2).
 */
export async function startAgent(
  setup: AgentSetup,
  flags: AgentFlags,
  engine: Omit<EngineOptions, 'history'>,
  warn: (text: string) => void,
): Promise<StartedAgent> {
  const path = await databaseLocation(flags.db)
  const { AgentSession } = await import('@penguin-ai/sessions')
  let store: Store | undefined
  let sent: (() => void) | undefined
  const opening = new Promise<void>((resolve) => {
    sent = resolve
  }).then(async () => {
    store = await openDatabase(path, warn)
    return store
  })
  const { checkpoints } = setup
  let warned = false
  const agent = AgentSession.start({
    store: opening,
    engine,
    ...(setup.agent ? { choice: { agent: setup.agent.name } } : {}),
    ...(checkpoints.enabled && path !== ':memory:' ? { dataDir: dirname(path) } : {}),
    retention: checkpoints.retention,
    onCheckpointError: (error) => {
      if (warned) return
      warned = true
      warn(
        `Checkpoints are off for this session: ${error instanceof Error ? error.message : String(error)}\n`,
      )
    },
  })
  void firstRequestSent(agent.engine as Engine).then(() => sent?.())
  return {
    agent,
    close: async () => {
      try {
        await agent.close()
      } finally {
        store?.close()
      }
    },
  }
}

/** The store at `path`, or undefined (with a warning) when this run cannot be saved. */
async function openDatabase(path: string, warn: (text: string) => void): Promise<Store | undefined> {
  const driverProblem = sqliteDriverProblem()
  if (driverProblem) {
    warn(`This run is not saved: ${driverProblem}\n`)
    return undefined
  }
  const { openStore, UnusableDatabaseError } = await import('@penguin-ai/store')
  try {
    return openStore({ path })
  } catch (error) {
    if (error instanceof UnusableDatabaseError) throw usageError(error.message)
    const reason = error instanceof Error ? error.message : String(error)
    warn(`This run is not saved: cannot open the session database at ${path} (${reason}).\n`)
    return undefined
  }
}
