import type { AskPermission } from '@penguin-ai/engine'
import { AgentSession, DEFAULT_RETENTION } from '@penguin-ai/sessions'
import type { Session } from '@penguin-ai/store'
import { openWorkspace, type Workspace } from '@penguin-ai/tools'
import { HttpError, type ServerDeps } from '../deps.js'

export interface OpenAgentOptions {
  autoApprove: boolean
  askPermission: AskPermission
  /** Checkpoint failures do not stop a run; they are logged. */
  onCheckpointError: (error: unknown) => void
}

/** The model a session runs with: its own, else the server's default (422 when neither). */
export function sessionModelId(deps: ServerDeps, session: Pick<Session, 'id' | 'model'>): string {
  const id = session.model ?? deps.config.defaultModel
  if (!id) {
    throw new HttpError(
      422,
      'unprocessable',
      `session ${session.id} names no model and the server has no default; start the server with --model`,
    )
  }
  return id
}

/**
 * An AgentSession bound to a stored session: the same recording, checkpoints and memory as the CLI.
 * The server opens one per run and closes it after, so the next run starts from what is stored
 * (restores and forks in between included).
 */
export async function openAgent(
  deps: ServerDeps,
  session: Session,
  options: OpenAgentOptions,
): Promise<AgentSession> {
  const model = deps.resolveModel(sessionModelId(deps, session))
  let workspace: Workspace
  try {
    workspace = await openWorkspace(session.workspace)
  } catch (error) {
    throw new HttpError(
      422,
      'unprocessable',
      `the workspace of session ${session.id} cannot be opened: ${error instanceof Error ? error.message : String(error)}`,
    )
  }
  return AgentSession.open({
    store: deps.store,
    engine: {
      model,
      workspace,
      autoApprove: options.autoApprove,
      askPermission: options.askPermission,
    },
    choice: { sessionRef: session.id },
    ...(deps.config.dataDir ? { dataDir: deps.config.dataDir } : {}),
    retention: DEFAULT_RETENTION,
    onCheckpointError: options.onCheckpointError,
  })
}
