import { engineOptions, hasExtensions } from '@penguin-ai/config'
import type { AskPermission } from '@penguin-ai/engine'
import type { ExtensionHost } from '@penguin-ai/extensions'
import { AgentSession } from '@penguin-ai/sessions'
import type { Session } from '@penguin-ai/store'
import type { ServerDeps } from '../deps.js'
import type { LogCallback } from '../log.js'
import { SERVER_VERSION } from '../version.js'
import { agentSetup } from './agent-setup.js'
import type { PermissionBroker } from './permissions.js'
import { type Notice, noticeEvent, type Slot } from './run-drive.js'
import { storedTextRedactor } from './stored-text.js'
import { workspaceUnderRoot } from './workspace.js'

export interface OpenAgentOptions {
  autoApprove: boolean
  askPermission: AskPermission
  /** Checkpoint failures do not stop a run; they are logged. */
  onCheckpointError: (error: unknown) => void
  /**
   * Something the user must hear about the run's setup: the one line about settings an untrusted
   * workspace config tried to set (`source` 'config'), extensions that failed ('extensions' or
   * the extension's name).
   */
  warn?: (message: string, source: string) => void
}

export interface OpenedAgent {
  agent: AgentSession
  /** MCP servers, hooks and plugins of the run, when the workspace's config has any. */
  extensions?: ExtensionHost
  /**
   * Closes the run's sandbox (its private /tmp goes with it); call after the agent and the
   * extensions are closed (a workspace's MCP servers run inside it).
   */
  release(): Promise<void>
}

/**
 * An AgentSession bound to a stored session: the same config, recording, checkpoints and memory as
 * the CLI. The server opens one per run and closes it after, so the next run starts from what is
 * stored (restores and forks in between included) and from the config as it is then.
 */
export async function openAgent(
  deps: ServerDeps,
  session: Session,
  options: OpenAgentOptions,
): Promise<OpenedAgent> {
  // Checked again with symlinks resolved: a directory under the root may since have become a link
  // pointing out of it.
  await workspaceUnderRoot(deps.config.root, session.workspace)
  const setup = await agentSetup(deps, session.workspace, session.model, options.warn, session.agent)
  const sandbox = setup.sandbox.instance
  const release = async () => {
    await sandbox?.close()
  }
  // Loaded only when configured: MCP servers start now, in parallel, and stop with the run.
  const { openExtensions, sandboxedLaunch } = hasExtensions(setup.extensions)
    ? await import('@penguin-ai/extensions')
    : { openExtensions: undefined, sandboxedLaunch: undefined }
  const extensions = openExtensions
    ? await openExtensions({
        settings: setup.extensions,
        workspace: setup.workspace.root,
        commandEnv: setup.commandEnv,
        // Programs a workspace's config names run in the session's sandbox, as its commands do.
        launch: sandboxedLaunch(sandbox, { env: deps.env }),
        env: deps.env,
        autoApprove: options.autoApprove,
        clientInfo: { name: 'penguin', version: SERVER_VERSION },
        onNotice: (notice) => options.warn?.(notice.message, notice.source),
      })
    : undefined
  try {
    const agent = await AgentSession.open({
      store: deps.store,
      engine: engineOptions(setup, {
        autoApprove: options.autoApprove,
        askPermission: options.askPermission,
        ...(extensions ? { extensions: extensions.extensions } : {}),
      }),
      // Resumed from the record just read (and checked visible): not read again.
      choice: { sessionRef: session.id, stored: session },
      ...(deps.config.dataDir && setup.checkpoints.enabled ? { dataDir: deps.config.dataDir } : {}),
      retention: setup.checkpoints.retention,
      onCheckpointError: options.onCheckpointError,
      redact: storedTextRedactor(deps),
    })
    return { agent, ...(extensions ? { extensions } : {}), release }
  } catch (error) {
    await extensions?.close()
    await release()
    throw error
  }
}

export interface OpenedRunAgent extends OpenedAgent {
  /** What the user must hear about the run's setup before it has an id: sent after `run.started`. */
  held: Notice[]
}

/**
 * The agent of a run about to start in `slot`: its asks parked in `permissions` (and listed in the
 * database when shared), its setup's warnings logged and sent to the run's clients, and — when the
 * run switches the session's agent — the switch stored once the agent is known to exist (a bad
 * name leaves the session as it was). On failure everything opened is closed again.
 */
export async function openRunAgent(
  deps: ServerDeps,
  permissions: PermissionBroker,
  slot: Slot,
  session: Session,
  options: { autoApprove: boolean; switching: boolean; log: LogCallback },
): Promise<OpenedRunAgent> {
  const { log } = options
  // Workspace settings ignored because the workspace is not trusted, an MCP server that failed:
  // logged for the operator and sent to the clients as `notice` events — held until the run has
  // an id, then right after run.started.
  const held: Notice[] = []
  const notify = (message: string, source: string) => {
    log(source === 'config' ? message : `${source}: ${message}`, undefined, { sessionId: session.id })
    if (slot.runId) slot.outbox.emit(noticeEvent(slot.runId, source, message))
    else held.push({ source, message })
  }
  const opened = await openAgent(deps, session, {
    autoApprove: options.autoApprove,
    askPermission: (request, signal) => {
      const answer = permissions.ask(request, { sessionId: session.id, runId: slot.runId ?? '' }, signal)
      const pending = permissions.list(session.id).find((permission) => permission.id === request.id)
      if (pending) slot.outbox.share(pending, answer)
      return answer
    },
    onCheckpointError: (error) =>
      log(`checkpoint failed in session ${session.id}`, error, { sessionId: session.id, runId: slot.runId }),
    warn: notify,
  })
  if (options.switching) {
    try {
      await deps.store.updateSession(session.id, { agent: session.agent })
    } catch (error) {
      await opened.agent.close().catch(() => undefined)
      await opened.extensions?.close('other').catch(() => undefined)
      await opened.release()
      throw error
    }
  }
  return { ...opened, held }
}
