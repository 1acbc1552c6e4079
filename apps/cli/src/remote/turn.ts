import type { AskPermission, EngineEvent, PermissionReply } from '@penguin-ai/engine'
import type { PenguinClient, RunResult, SessionEvent } from '@penguin-ai/sdk'

/**
 * Who answers the server's permission asks: the person at the terminal (the same prompt as local
 * runs: the engine's `AskPermission`), or the CLI itself — `approve` for --yes, `reject` when
 * nobody can be asked (the local non-interactive rule).
 */
export type PermissionMode = { kind: 'ask'; ask: AskPermission } | { kind: 'approve' } | { kind: 'reject' }

export interface RemoteTurnOptions {
  client: PenguinClient
  sessionId: string
  prompt: string
  /** The local renderers, fed each event as the engine emitted it. */
  render: (event: EngineEvent) => void
  permissions: PermissionMode
  /** Aborting cancels the run on the server; the turn still ends with its `run.finished`. */
  signal: AbortSignal
  onAccepted?: (runId: string) => void
  /** Switch the session to this agent, from this run on. */
  agent?: string
  /** Follow this run of the session, already started, instead of sending `prompt` (SDK `follow`). */
  follow?: string
}

/** One prompt on a server session, rendered like a local run; resolves with the run's result. */
export async function remoteTurn(options: RemoteTurnOptions): Promise<RunResult> {
  const { client, permissions } = options
  const prompts = new AbortController()
  const stopPrompts = () => prompts.abort()
  options.signal.addEventListener('abort', stopPrompts, { once: true })
  /** Asks the CLI answered itself: shown as automatic answers, like the local engine's. */
  const automatic = new Set<string>()
  const answer = async (event: Extract<SessionEvent, { type: 'permission.asked' }>) => {
    let reply: PermissionReply
    if (permissions.kind === 'ask') {
      const { id, callId, tool, access, subject, args, reason } = event
      // A server from before previews: show what it did send, as a generic preview.
      const preview = event.preview ?? { kind: 'generic', summary: subject || tool, args }
      reply = await permissions.ask(
        { id, callId, tool, access, subject, args, preview, ...(reason ? { reason } : {}) },
        prompts.signal,
      )
    } else {
      reply = permissions.kind === 'approve' ? 'once' : 'reject'
      automatic.add(event.id)
    }
    // 404: the run was cancelled meanwhile and the server already rejected the ask.
    await client.permissions.reply(event.id, { reply }).catch(() => undefined)
  }
  try {
    return await client.sessions.run(options.sessionId, options.prompt, {
      signal: options.signal,
      // A server that went away mid-run: a minute or two of reconnecting (backoff), then an error.
      retry: { maxAttempts: 10 },
      ...(options.onAccepted ? { onAccepted: options.onAccepted } : {}),
      ...(options.agent ? { agent: options.agent } : {}),
      ...(options.follow ? { follow: options.follow } : {}),
      onEvent: (event) => {
        const local = engineEvent(event)
        if (local.type === 'permission.answered' && automatic.has(local.id)) local.auto = true
        options.render(local)
        if (event.type === 'permission.asked') answer(event).catch(() => undefined)
      },
    })
  } finally {
    options.signal.removeEventListener('abort', stopPrompts)
    prompts.abort()
  }
}

/** The engine's event without what the server added (`session_id`, `run_id`): `--json` prints the same lines as a local run. */
export function engineEvent(event: SessionEvent): EngineEvent {
  const { session_id: _session, run_id: _run, ...rest } = event
  return rest as EngineEvent
}
