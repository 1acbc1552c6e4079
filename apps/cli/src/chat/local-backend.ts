/**
 * The chat's session in this process: the engine bound to a stored session (AgentSession), or a
 * plain engine when the database cannot be opened (then only the conversation itself works).
 */
import { describeSandbox, engineOptions } from '@penguin-ai/config'
import {
  type AskPermission,
  Engine,
  type EngineExtension,
  type EngineOptions,
  MessageInbox,
  type QueuedMessage,
} from '@penguin-ai/engine'
import type { AgentSession } from '@penguin-ai/sessions'
import type { AgentFlags } from '../args.js'
import { type LoadedExtensions, loadExtensions } from '../extensions.js'
import { type OpenedAgent, openAgent } from '../session/open.js'
import type { TurnSource } from '../session/turn-history.js'
import { turnMessage } from '../session/turn-history.js'
import { type AgentSetup, flagLayer, resolveModelOrExplain, sessionChanges } from '../setup.js'
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

export interface LocalBackendOptions {
  /** Asks the person about a call (the front end's prompt). */
  askPermission: AskPermission
  /** Engine extensions the front end adds (the terminal UI's plan mode); asked for on each (re)build. */
  extensions?: () => EngineExtension[]
  /** A warning line for the person (already painted). */
  warn(text: string): void
}

export class LocalBackend implements ChatBackend {
  private bound: OpenedAgent | undefined
  private plainEngine: Engine | undefined
  /** The plain engine's turn in progress: where `steer` and `followUp` post. */
  private plainInbox: MessageInbox | undefined
  /** Hooks, MCP servers, plugins the config sets up. */
  private loaded: LoadedExtensions | undefined

  constructor(
    public setup: AgentSetup,
    readonly flags: AgentFlags,
    private readonly options: LocalBackendOptions,
  ) {}

  async open(): Promise<void> {
    this.loaded = await loadExtensions(this.setup, {
      autoApprove: this.flags.yes,
      warn: (line) => this.options.warn(`! ${line}\n`),
    })
    this.bound = await openAgent(this.setup, this.flags, this.engineOptions(), (text) =>
      this.options.warn(text),
    )
    if (!this.bound) this.plainEngine = new Engine(this.engineOptions())
  }

  get agent(): AgentSession | undefined {
    return this.bound?.agent
  }

  get engine(): Engine {
    return this.bound?.agent.engine ?? (this.plainEngine as Engine)
  }

  get modelId(): string {
    return this.engine.model.id
  }

  get agentName(): string {
    return this.setup.agent?.name ?? 'build'
  }

  get workspace(): string {
    return this.setup.workspace.root
  }

  banner(): string {
    const session = this.agent?.session
    const resumed =
      session && this.agent?.resumed ? ` · resumed ${session.id} (${session.messageCount} messages)` : ''
    return `${this.setup.model.id} · ${this.setup.workspace.root}${resumed}`
  }

  /** How commands run (the sandbox), and whether that deserves a warning. */
  sandboxLine(): { text: string; warn: boolean } {
    return { text: describeSandbox(this.setup.sandbox), warn: !this.setup.sandbox.instance }
  }

  async run(prompt: string, options: TurnOptions): Promise<TurnResult> {
    const texts = (messages: QueuedMessage[]) => messages.map((message) => message.text)
    this.plainInbox = undefined
    if (this.agent) {
      const result = await this.agent.run(prompt, options)
      return { status: result.status, undelivered: texts(result.undelivered) }
    }
    // Without a database the plain engine runs: messages for the turn wait in an inbox of its own.
    const inbox = new MessageInbox()
    this.plainInbox = inbox
    let left: QueuedMessage[] = []
    const result = await this.engine.run(prompt, {
      ...options,
      inbox,
      onEvent: (event) => {
        // Closed as the run ends: a message after that is refused, never kept unread.
        if (event.type === 'run.finished') left = inbox.close()
        options.onEvent(event)
      },
    })
    return { status: result.status, undelivered: texts(left) }
  }

  async steer(text: string): Promise<boolean> {
    return this.agent ? this.agent.steer(text) : (this.plainInbox?.post('steer', text) ?? false)
  }

  async followUp(text: string): Promise<boolean> {
    return this.agent ? this.agent.followUp(text) : (this.plainInbox?.post('follow_up', text) ?? false)
  }

  /** A new engine with other settings (a new model, agent), continuing the same conversation. */
  reconfigure(setup: AgentSetup): void {
    this.setup = setup
    if (this.agent) this.agent.reconfigure(sessionChanges(setup))
    else this.plainEngine = new Engine({ ...this.engineOptions(), history: [...this.engine.messages] })
  }

  async setModel(id: string): Promise<string> {
    const resolved = resolveModelOrExplain(id, this.setup)
    this.reconfigure({ ...this.setup, model: resolved })
    return resolved.id
  }

  async agents(): Promise<AgentChoice> {
    const config = await import('@penguin-ai/config')
    const catalogue = await config.loadAgents({
      workspace: this.setup.resolved.workspace,
      trusted: this.setup.resolved.trust.state === 'trusted',
      env: process.env,
    })
    return {
      current: this.setup.agent?.name ?? 'build',
      names: catalogue.agents.map((agent) => agent.name),
      warnings: catalogue.warnings,
    }
  }

  async switchAgent(name: string): Promise<AgentSwitch> {
    const config = await import('@penguin-ai/config')
    let next: AgentSetup
    try {
      next = await config.switchAgent(this.setup, name, { env: process.env, flags: flagLayer(this.flags) })
    } catch (error) {
      if (config.isConfigError(error)) throw new Unavailable(error.message)
      throw error
    }
    this.reconfigure(next)
    return {
      model: next.model.id,
      ...(next.agent?.tools ? { tools: [...this.engine.toolNames] } : {}),
      warnings: next.agentWarnings,
    }
  }

  async newSession(): Promise<{ id: string; previous: string } | undefined> {
    if (!this.agent) {
      this.engine.clear()
      return undefined
    }
    const previous = this.agent.session.id
    await this.agent.switchTo(undefined)
    return { id: this.agent.session.id, previous }
  }

  async sessions(): Promise<{ current: string; rows: SessionRow[] }> {
    const agent = this.sessionsOrWhy()
    const list = await agent.store.listSessions({ workspace: this.setup.workspace.root, limit: 15 })
    return {
      current: agent.session.id,
      rows: list.map((s) => ({
        id: s.id,
        updatedAt: s.updatedAt,
        messageCount: s.messageCount,
        tokens: s.inputTokens + s.outputTokens,
        costUsd: s.costUsd,
        title: s.title ?? null,
      })),
    }
  }

  async resume(ref: string): Promise<ResumedSession> {
    const agent = this.sessionsOrWhy()
    await agent.switchTo(ref)
    const session = agent.session
    return {
      id: session.id,
      title: session.title ?? null,
      messageCount: session.messageCount,
      agent: session.agent ?? null,
      model: session.model ?? null,
    }
  }

  async checkpoints(): Promise<CheckpointRow[]> {
    const list = (await this.sessionsOrWhy().checkpoints?.list()) ?? []
    return list.map((c) => ({
      id: c.id,
      createdAt: c.createdAt,
      kind: c.kind,
      messageCount: c.messageCount,
      label: c.label ?? null,
    }))
  }

  turns(): TurnSource {
    const agent = this.sessionsOrWhy()
    const checkpointer = agent.checkpoints
    if (!checkpointer) throw new Unavailable('checkpoints are off for this session')
    return {
      async load() {
        // The checkpointer follows /new and /resume: it is always the current session's.
        const messages = (await agent.store.listMessages(checkpointer.sessionId)).map(turnMessage)
        return { checkpoints: await checkpointer.list(), messages }
      },
      restore(checkpointId, keepMessages) {
        return agent.restore(checkpointId, keepMessages === undefined ? {} : { keepMessages })
      },
    }
  }

  async sessionDiff(): Promise<string | undefined> {
    const checkpointer = this.sessionsOrWhy().checkpoints
    const first = (await checkpointer?.list())?.at(-1)
    if (!checkpointer || !first) return undefined
    return checkpointer.diff(first.id)
  }

  async planRestore(checkpointId: number): Promise<RestorePlan> {
    const plan = await this.checkpointerOrWhy().plan(checkpointId)
    return { messagesNow: plan.messagesNow, messagesAfter: plan.messagesAfter, changes: plan.changes }
  }

  async restore(checkpointId: number): Promise<{ undo: number }> {
    this.checkpointerOrWhy()
    const result = await this.sessionsOrWhy().restore(checkpointId)
    return { undo: result.undo.id }
  }

  async compact(signal: AbortSignal): Promise<Compaction | undefined> {
    const result = await this.engine.compact(signal)
    return result && { tokensBefore: result.tokensBefore, tokensAfter: result.tokensAfter }
  }

  async close(): Promise<void> {
    await this.bound?.close()
    await this.loaded?.close('prompt_input_exit')
  }

  private sessionsOrWhy(): AgentSession {
    if (!this.agent) throw new Unavailable('the session database could not be opened')
    return this.agent
  }

  private checkpointerOrWhy() {
    const checkpointer = this.sessionsOrWhy().checkpoints
    if (!checkpointer) throw new Unavailable('checkpoints are off for this session')
    return checkpointer
  }

  private engineOptions(): EngineOptions {
    const base = engineOptions(this.setup, {
      autoApprove: this.flags.yes,
      ...(this.loaded ? { extensions: this.loaded.extensions } : {}),
      askPermission: this.options.askPermission,
    })
    const added = this.options.extensions?.() ?? []
    if (added.length === 0) return base
    return { ...base, extensions: [...(base.extensions ?? []), ...added] }
  }
}
