/**
 * The chat's session on a Penguin server (`penguin --server URL`): prompts run there and stream
 * back over SSE, permission asks are answered here, the slash commands are HTTP calls. What only
 * the server's configuration decides (the model of a session) is refused with the reason.
 */
import type { AskPermission, EngineEvent } from '@penguin-ai/engine'
import type { Session } from '@penguin-ai/sdk'
import type { Remote } from '../remote/connect.js'
import { remoteTurn } from '../remote/turn.js'
import { type SessionHistory, type TurnSource, turnMessage } from '../session/turn-history.js'
import {
  type AgentChoice,
  type AgentSwitch,
  type ChatBackend,
  type CheckpointRow,
  type Compaction,
  type RestorePlan,
  type ResumedSession,
  type SessionRow,
  type TurnOptions,
  type TurnResult,
  Unavailable,
} from './backend.js'

export interface RemoteBackendOptions {
  /** --yes: the CLI approves every ask itself (the session was created with auto_approve too). */
  yes: boolean
  askPermission: AskPermission
  /**
   * The terminal UI's plan mode: while it says yes, prompts run as the server's read-only `plan`
   * agent (the server cannot take the UI's own plan-mode extension), and the next prompt after it
   * switches the session back to the agent chosen before.
   */
  planMode?: () => boolean
}

/** The read-only agent every workspace has (packages/config BUILTIN_AGENTS). */
const PLAN_AGENT = 'plan'

export class RemoteBackend implements ChatBackend {
  /** The agent `/agent NAME` picked: the server switches the session to it with the next prompt. */
  private nextAgent: string | undefined
  /** The run of the turn in progress: settles once the server accepted it (undefined: none). */
  private current: Promise<string | undefined> | undefined
  /** A run a steer or follow-up started because the turn's run had just ended: the turn follows it. */
  private followOn: string | undefined

  constructor(
    readonly remote: Remote,
    public session: Session,
    private readonly options: RemoteBackendOptions,
    private readonly resumed = false,
  ) {}

  get modelId(): string {
    return this.session.model ?? '(the server default)'
  }

  get agentName(): string {
    return this.nextAgent ?? this.session.agent ?? 'build'
  }

  get workspace(): string {
    return this.session.workspace
  }

  banner(): string {
    const where = `${this.session.model ?? 'server default model'} · ${this.session.workspace} · ${this.remote.server}`
    const note = this.resumed ? ` · resumed ${this.session.id} (${this.session.message_count} messages)` : ''
    return `${where}${note}`
  }

  async run(prompt: string, options: TurnOptions): Promise<TurnResult> {
    const agent = this.runAs()
    let accepted: (runId: string | undefined) => void = () => {}
    this.current = new Promise((resolve) => {
      accepted = resolve
    })
    /** The run's end said a message that came too late for it started the next run (on a worker). */
    let startedNext = false
    const render = (event: EngineEvent) => {
      if (event.type === 'notice' && event.source === 'steering' && event.level === 'info') startedNext = true
      options.onEvent(event)
    }
    const turn = (follow?: string) =>
      remoteTurn({
        client: this.remote.client,
        sessionId: this.session.id,
        prompt,
        render,
        permissions: this.options.yes
          ? { kind: 'approve' }
          : { kind: 'ask', ask: this.options.askPermission },
        signal: options.signal,
        onAccepted: (runId) => {
          accepted(runId)
          if (agent && !follow) this.acceptedAgent(agent)
        },
        ...(agent && !follow ? { agent } : {}),
        ...(follow ? { follow } : {}),
      })
    try {
      let result = await turn()
      // A message sent as the run ended started the next one on the server: the turn goes on with it.
      for (
        let next = await this.nextRun(startedNext);
        next && !options.signal.aborted;
        next = await this.nextRun(startedNext)
      ) {
        startedNext = false
        result = await turn(next)
      }
      return result
    } finally {
      accepted(undefined)
      this.current = undefined
      this.followOn = undefined
    }
  }

  steer(text: string): Promise<boolean> {
    return this.deliver(text, 'steer')
  }

  followUp(text: string): Promise<boolean> {
    return this.deliver(text, 'follow_up')
  }

  /** Gives the message to the turn's run on the server (or to the run it starts, see `run`). */
  private async deliver(text: string, delivery: 'steer' | 'follow_up'): Promise<boolean> {
    // Typed before the server's answer to the prompt arrived: it is on its way.
    if (!(await this.current)) return false
    const accepted = await this.remote.client.sessions.sendMessage(this.session.id, text, { delivery })
    if (accepted.delivery === 'prompt') this.followOn = accepted.run_id
    return true
  }

  /**
   * The run the turn goes on with: one a message of it started (the server answered `prompt`), or —
   * when the run's end said a message reached its worker too late and started the next run — the
   * session's run now.
   */
  private async nextRun(startedNext: boolean): Promise<string | undefined> {
    const next = this.followOn
    this.followOn = undefined
    if (next || !startedNext) return next
    return (await this.remote.client.sessions.get(this.session.id)).active_run_id ?? undefined
  }

  async setModel(_id: string): Promise<string> {
    throw new Unavailable(
      `a session on a server keeps the model it was created with; start one with another: penguin --server ${this.remote.server} --model ID`,
    )
  }

  async agents(): Promise<AgentChoice> {
    const list = await this.remote.client.agents.list({ workspace: this.session.workspace })
    return {
      current: this.nextAgent ?? this.session.agent ?? list.default,
      names: list.items.map((agent) => agent.name),
      warnings: list.warnings,
    }
  }

  async switchAgent(name: string): Promise<AgentSwitch> {
    const list = await this.remote.client.agents.list({ workspace: this.session.workspace })
    const agent = list.items.find((item) => item.name === name)
    if (!agent) {
      throw new Unavailable(
        `no agent "${name}" in this workspace on the server. Available: ${list.items.map((item) => item.name).join(', ')}`,
      )
    }
    // The server stores the switch when the next prompt starts its run (POST …/messages `agent`).
    this.nextAgent = name
    return {
      model: agent.model ?? this.modelId,
      ...(agent.tools ? { tools: [...agent.tools] } : {}),
      warnings: list.warnings,
    }
  }

  async newSession(): Promise<{ id: string; previous: string }> {
    const previous = this.session
    const agent = this.nextAgent ?? previous.agent
    this.session = await this.remote.client.sessions.create({
      workspace: this.remote.workspace,
      ...(previous.model ? { model: previous.model } : {}),
      ...(previous.auto_approve ? { auto_approve: true } : {}),
      ...(agent ? { agent } : {}),
    })
    this.nextAgent = undefined
    return { id: this.session.id, previous: previous.id }
  }

  async sessions(): Promise<{ current: string; rows: SessionRow[] }> {
    const { items } = await this.remote.client.sessions.list({ workspace: this.remote.workspace, limit: 15 })
    return {
      current: this.session.id,
      rows: items.map((s) => ({
        id: s.id,
        updatedAt: s.updated_at,
        messageCount: s.message_count,
        tokens: s.input_tokens + s.output_tokens,
        costUsd: s.cost_usd,
        title: s.title,
      })),
    }
  }

  async resume(ref: string): Promise<ResumedSession> {
    this.session = await this.remote.client.sessions.get(ref)
    this.nextAgent = undefined
    return {
      id: this.session.id,
      title: this.session.title,
      messageCount: this.session.message_count,
      agent: this.session.agent,
      model: this.session.model,
    }
  }

  async checkpoints(): Promise<CheckpointRow[]> {
    const { items } = await this.remote.client.checkpoints.list(this.session.id)
    return items.map((c) => ({
      id: c.id,
      createdAt: c.created_at,
      kind: c.kind,
      messageCount: c.message_count,
      label: c.label,
    }))
  }

  turns(): TurnSource {
    const { client } = this.remote
    return {
      load: async (): Promise<SessionHistory> => {
        const id = this.session.id
        const [checkpoints, messages] = await Promise.all([
          client.checkpoints.list(id),
          client.sessions.messages(id),
        ])
        return {
          checkpoints: checkpoints.items.map((c) => ({ id: c.id, kind: c.kind, messages: c.message_ranges })),
          messages: messages.items.map(turnMessage),
        }
      },
      restore: async (checkpointId, keepMessages) => {
        const result = await client.checkpoints.restore(
          checkpointId,
          keepMessages === undefined ? {} : { keep_messages: keepMessages },
        )
        this.session = await client.sessions.get(this.session.id)
        return result
      },
    }
  }

  async sessionDiff(): Promise<string | undefined> {
    const { client } = this.remote
    const { items } = await client.checkpoints.list(this.session.id)
    const first = items.reduce<(typeof items)[number] | undefined>(
      (a, b) => (!a || b.id < a.id ? b : a),
      undefined,
    )
    if (!first) return undefined
    return (await client.checkpoints.diff(first.id)).patch
  }

  async planRestore(checkpointId: number): Promise<RestorePlan> {
    const { client } = this.remote
    const [diff, session] = await Promise.all([
      client.checkpoints.diff(checkpointId),
      client.sessions.get(this.session.id),
    ])
    this.session = session
    return {
      messagesNow: session.message_count,
      messagesAfter: diff.checkpoint.message_count,
      changes: diff.changes,
    }
  }

  async restore(checkpointId: number): Promise<{ undo: number }> {
    const { client } = this.remote
    const result = await client.checkpoints.restore(checkpointId)
    this.session = await client.sessions.get(this.session.id)
    return { undo: result.undo_checkpoint_id }
  }

  async compact(signal: AbortSignal): Promise<Compaction | undefined> {
    const result = await this.remote.client.sessions.compact(this.session.id, { signal })
    if (!result.compacted || result.tokens_before === null || result.tokens_after === null) return undefined
    return { tokensBefore: result.tokens_before, tokensAfter: result.tokens_after }
  }

  async close(): Promise<void> {}

  /** The agent to name with this prompt: none when the session already runs as the one wanted. */
  private runAs(): string | undefined {
    const wanted = this.options.planMode?.() ? PLAN_AGENT : this.agentName
    return wanted === (this.session.agent ?? 'build') ? undefined : wanted
  }

  private acceptedAgent(agent: string): void {
    // The session now runs as `agent`; a switch to it is done (plan mode's agent is no one's choice).
    if (this.nextAgent === undefined && agent === PLAN_AGENT) this.nextAgent = this.session.agent ?? 'build'
    if (this.nextAgent === agent) this.nextAgent = undefined
    this.session = { ...this.session, agent }
  }
}
