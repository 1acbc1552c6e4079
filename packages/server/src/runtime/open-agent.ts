import { engineOptions } from '@penguin-ai/config'
import type { AskPermission } from '@penguin-ai/engine'
import { AgentSession } from '@penguin-ai/sessions'
import type { Session } from '@penguin-ai/store'
import type { ServerDeps } from '../deps.js'
import { agentSetup } from './agent-setup.js'
import { workspaceUnderRoot } from './workspace.js'

export interface OpenAgentOptions {
  autoApprove: boolean
  askPermission: AskPermission
  /** Checkpoint failures do not stop a run; they are logged. */
  onCheckpointError: (error: unknown) => void
  /** The one line about settings an untrusted workspace config tried to set. */
  warn?: (message: string) => void
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
): Promise<AgentSession> {
  // Checked again with symlinks resolved: a directory under the root may since have become a link
  // pointing out of it.
  await workspaceUnderRoot(deps.config.root, session.workspace)
  const setup = await agentSetup(deps, session.workspace, session.model, options.warn)
  return AgentSession.open({
    store: deps.store,
    engine: engineOptions(setup, {
      autoApprove: options.autoApprove,
      askPermission: options.askPermission,
    }),
    choice: { sessionRef: session.id },
    ...(deps.config.dataDir && setup.checkpoints.enabled ? { dataDir: deps.config.dataDir } : {}),
    retention: setup.checkpoints.retention,
    onCheckpointError: options.onCheckpointError,
  })
}
