import {
  type Delivery,
  type Engine,
  type EngineOptions,
  MessageInbox,
  type QueuedMessage,
  type RunOptions,
  type RunResult,
  type SubagentSession,
} from '@penguin-ai/engine'
import type { AsyncStore, Session } from '@penguin-ai/store'
import { asAsyncStore } from '@penguin-ai/store/faces'
import { newSessionId } from '@penguin-ai/store/ids'
import type { Checkpointer, RestoreOptions, RestoreResult } from './checkpointer.js'
import { memoryChildSession, openChildSession } from './child-sessions.js'
import { toEngineHistory } from './convert.js'
import { lateMemoryBackend, memoryScope, storeMemoryBackend } from './memory-backend.js'
import { type OpenedSession, openSession, titleFrom } from './open-session.js'
import { SessionRecorder } from './recorder.js'
import { type RedactText, secretRedactor } from './redact.js'
import { SessionCheckpoints } from './session-checkpoints.js'
import { type EngineSession, sessionEngine } from './session-engine.js'
import type {
  AgentSessionOptions,
  LateSessionOptions,
  SessionRunOptions,
  SessionRunResult,
} from './session-options.js'

/**
 * An engine bound to a stored session: its conversation is recorded as it happens, a checkpoint is
 * taken before every turn that can change files, and restores bring files and conversation back
 * together. The CLI's run and chat and the server all use this; the engine itself stays storage-free.
 */
export class AgentSession {
  readonly resumed: boolean
  private readonly options: Omit<AgentSessionOptions, 'store'>
  /** The engine's options as of now: the given ones with what `reconfigure` changed since. */
  private settings: Omit<EngineOptions, 'history'>
  /** The session's id, known from the start (before its row exists, for a late session). */
  private currentId: string
  /** The store once the session's row is in it. */
  private bound: { store: AsyncStore; session: Session } | undefined
  /** Settles once the session is stored: its store, or undefined when it runs unrecorded. */
  private readonly stored: Promise<AsyncStore | undefined>
  /** A late session's title, from its first prompt, until its row is written. */
  private pendingTitle: string | undefined
  /** Sub-agents' sessions of an unrecorded late session, kept in memory (as the engine would). */
  private readonly memoryChildren = new Map<string, SubagentSession>()
  private engineInstance: Engine
  private recorder: SessionRecorder
  private readonly checkpointing: SessionCheckpoints
  private readonly redact: RedactText
  /** Where messages sent to the run in progress wait for it; undefined between runs. */
  private inbox: MessageInbox | undefined

  private constructor(
    options: Omit<AgentSessionOptions, 'store'>,
    start: { store: AsyncStore; opened: OpenedSession } | { late: Promise<AsyncStore | undefined> },
  ) {
    this.options = options
    this.settings = options.engine
    this.redact = options.redact ?? secretRedactor()
    this.checkpointing = new SessionCheckpoints(options)
    if ('opened' in start) {
      const { store, opened } = start
      this.resumed = opened.resumed
      this.currentId = opened.session.id
      this.bound = { store, session: opened.session }
      this.stored = Promise.resolve(store)
      this.checkpointing.use(store, opened.session.id)
      this.engineInstance = this.buildEngine(options.engine, { ...opened.session, history: opened.history })
      this.recorder = this.record(store)
      return
    }
    this.resumed = false
    this.currentId = newSessionId()
    this.stored = start.late.then((store) => (store ? this.bind(store) : undefined))
    // Observed by run(); never an unhandled rejection when the session is not run.
    this.stored.catch(() => undefined)
    this.checkpointing.useWhenStored(this.stored, this.currentId)
    this.engineInstance = this.buildEngine(options.engine, {
      id: this.currentId,
      projectId: null,
      workspace: options.engine.workspace.root,
      history: [],
    })
    this.recorder = this.record(undefined)
  }

  static async open(options: AgentSessionOptions): Promise<AgentSession> {
    const store = asAsyncStore(options.store)
    const opened = await openSession(store, {
      ...options.choice,
      workspace: options.engine.workspace.root,
      model: options.engine.model.id,
    })
    return new AgentSession(options, { store, opened })
  }

  /**
   * A new session that does not wait for its database: the engine is ready at once, under an id
   * made now, so the first model request can go out while the store opens. The session's row is
   * written when the store arrives, with everything the engine did until then; checkpoints start
   * then (the first one waits for it). See LateSessionOptions for a store that cannot open.
   */
  static start(options: LateSessionOptions): AgentSession {
    const { store, ...rest } = options
    return new AgentSession(rest, {
      late: store.then((opened) => (opened ? asAsyncStore(opened) : undefined)),
    })
  }

  /** The store; throws for a late session whose store is not open (yet). */
  get store(): AsyncStore {
    if (!this.bound) throw new Error(`session ${this.currentId} is not stored (yet)`)
    return this.bound.store
  }

  /** Settles once the session is in the store (at once unless it was `start`ed): see LateSessionOptions. */
  whenStored(): Promise<AsyncStore | undefined> {
    return this.stored
  }

  get engine(): Engine {
    return this.engineInstance
  }

  get sessionId(): string {
    return this.currentId
  }

  /**
   * The session as of the last run, restore or switch (its id never changes; throws for a late
   * session not stored yet); `refresh()` re-reads it mid-run.
   */
  get session(): Session {
    if (!this.bound) throw new Error(`session ${this.currentId} is not stored (yet)`)
    return this.bound.session
  }

  /** The session as stored now (message count, title, model after other writers). */
  async refresh(): Promise<Session> {
    const store = this.store
    await this.recorder.flush()
    const session = await store.requireSession(this.currentId)
    this.bound = { store, session }
    return session
  }

  get checkpoints(): Checkpointer | undefined {
    return this.checkpointing.checkpointer
  }

  /**
   * Steers the run in progress: the model reads `text` (a user message, stored like any) before
   * its next request — after the tool results of the turn in progress — or when it would stop.
   * False when no run is in progress or it is ending: send it as a new prompt then.
   */
  steer(text: string): boolean {
    return this.post('steer', text)
  }

  /** Queues `text` for when the model would stop: the run goes on with it. False as for `steer`. */
  followUp(text: string): boolean {
    return this.post('follow_up', text)
  }

  /**
   * `steer` or `followUp` by name. `receipt`: the id of the database row the message came from (a
   * server's `control_messages`): the row is deleted in the transaction that stores the message, so
   * a message is stored once even when the process dies in between (see SessionRecorder).
   */
  post(delivery: Delivery, text: string, receipt?: number): boolean {
    return this.inbox?.post(delivery, text, receipt) ?? false
  }

  async run(
    prompt: string,
    { fetchMessages, lastRun, ...options }: SessionRunOptions = {},
  ): Promise<SessionRunResult> {
    if (this.inbox?.isOpen) throw new Error(`session ${this.currentId} already has a run in progress`)
    const inbox = new MessageInbox(fetchMessages)
    this.inbox = inbox
    let undelivered: QueuedMessage[] = []
    const runOptions: RunOptions = {
      ...options,
      inbox,
      onEvent: (event) => {
        // Closed the moment the run ends (before anyone hears of it): a later message is refused,
        // never silently kept for a run that will not read it.
        if (event.type === 'run.finished') undelivered = inbox.close()
        else if (event.type === 'message.delivered' && !event.parentSessionId) {
          // Appended just now (the event follows the append at once): stored with its receipt.
          const receipt = inbox.delivered(event.delivery, event.text)?.receipt
          const message = this.engineInstance.messages.at(-1)
          if (receipt !== undefined && message) this.recorder.receipt(message, receipt)
        }
        options.onEvent?.(event)
      },
    }
    try {
      return { ...(await this.runEngine(prompt, runOptions, lastRun === true)), undelivered }
    } finally {
      if (inbox.isOpen) inbox.close()
    }
  }

  private async runEngine(prompt: string, runOptions: RunOptions, lastRun: boolean): Promise<RunResult> {
    if (this.bound) {
      if (!this.bound.session.title) {
        // Stored with the run's first append (its prompt), not as a write of its own.
        const title = titleFrom(this.redact(prompt))
        this.recorder.setTitle(title)
        this.bound = { store: this.bound.store, session: { ...this.bound.session, title } }
      }
    } else this.pendingTitle ??= titleFrom(this.redact(prompt))
    // A store that fails to open stops the run: nothing goes on that could not be recorded.
    const stop = new AbortController()
    let failure: { error: unknown } | undefined
    this.stored.catch((error: unknown) => {
      failure = { error }
      stop.abort(error)
    })
    const signal = runOptions.signal ? AbortSignal.any([runOptions.signal, stop.signal]) : stop.signal
    let result: RunResult
    try {
      result = await this.engineInstance.run(prompt, { ...runOptions, signal })
    } catch (error) {
      // The run broke off without finishing: keep what can be kept, but a store still opening is not
      // waited for (whoever opens it may be waiting for the run to get further).
      if (this.bound) {
        await this.recorder.flush()
        await this.checkpointing.ready()
      }
      throw error
    }
    await this.stored.catch(() => undefined)
    await this.recorder.flush()
    // A run with no file changes never waited for the repository: let its setup finish before
    // the caller may exit, so no half-made repository is left behind.
    await this.checkpointing.ready()
    if (failure) throw failure.error
    // What the run said is stored, or the run fails with the reason it is not.
    await this.recorder.settled()
    if (this.bound && !lastRun)
      this.bound = { store: this.bound.store, session: await this.bound.store.requireSession(this.currentId) }
    return result
  }

  /**
   * Files and conversation go back to a checkpoint (with `keepMessages`, only the start of its
   * conversation: see RestoreOptions); the engine continues from there.
   */
  async restore(checkpointId: number, options: RestoreOptions = {}): Promise<RestoreResult> {
    const checkpointer = this.checkpointing.checkpointer
    if (!checkpointer) throw new Error('checkpoints are not available for this session')
    await this.recorder.flush()
    await this.recorder.settled()
    const result = await checkpointer.restore(checkpointId, options)
    await this.reload()
    this.bound = { store: this.store, session: result.session }
    return result
  }

  /** Switches to another stored session (chat `/resume`) or a new one (`/new`). */
  async switchTo(sessionRef: string | undefined): Promise<void> {
    const store = this.store
    await this.recorder.flush()
    await this.recorder.settled()
    // An unknown reference throws here, and this session goes on recording as before.
    const agent = this.settings.agent?.name
    const opened = await openSession(store, {
      workspace: this.settings.workspace.root,
      // A new session runs on the model and as the agent the chat runs with now; a resumed one keeps
      // its own, and the caller decides whether to switch to them (see `reconfigure`).
      ...(sessionRef ? { sessionRef } : { model: this.engineInstance.model.id, ...(agent ? { agent } : {}) }),
    })
    this.recorder.detach()
    this.currentId = opened.session.id
    this.bound = { store, session: opened.session }
    this.checkpointing.use(store, opened.session.id)
    this.engineInstance = this.buildEngine(this.settings, { ...opened.session, history: opened.history })
    this.recorder = this.record(store)
  }

  /**
   * A new engine with other options (chat `/model`, `/agent`), continuing the same conversation.
   * It takes over at once (and for sessions switched to later); what the old engine said is stored
   * first, then the new model and agent (failures surface from the next run or `close`), so a
   * resumed session runs as it last did.
   */
  reconfigure(engine: Partial<Omit<EngineOptions, 'history'>>): void {
    const store = this.store
    const session = this.session
    const previous = this.recorder
    previous.detach()
    void previous.flush()
    this.settings = { ...this.settings, ...engine }
    this.engineInstance = this.buildEngine(this.settings, {
      ...session,
      history: [...this.engineInstance.messages],
    })
    this.recorder = this.record(store, previous)
    const changes = {
      ...(engine.model && engine.model.id !== session.model ? { model: engine.model.id } : {}),
      ...(engine.agent && engine.agent.name !== session.agent ? { agent: engine.agent.name } : {}),
    }
    if (Object.keys(changes).length) {
      this.bound = { store, session: { ...session, ...changes } }
      void this.recorder.track(() => store.updateSession(session.id, changes))
    }
  }

  /** Stores what is left of the conversation and stops recording. */
  async close(): Promise<void> {
    this.recorder.detach()
    await this.recorder.flush()
    await this.recorder.settled()
  }

  /** The conversation changed in the store (a restore): the engine takes it from there. */
  private async reload(): Promise<void> {
    this.engineInstance.replaceHistory(toEngineHistory(await this.store.listMessages(this.currentId)))
    this.recorder.reset()
  }

  /** A late session's store arrived: its row is written, and the recorder catches up. */
  private async bind(store: AsyncStore): Promise<AsyncStore> {
    const session = await store.createSession({
      id: this.currentId,
      workspace: this.settings.workspace.root,
      model: this.engineInstance.model.id,
      ...(this.pendingTitle ? { title: this.pendingTitle } : {}),
      ...(this.options.choice?.title ? { title: this.options.choice.title } : {}),
      ...(this.options.choice?.agent ? { agent: this.options.choice.agent } : {}),
    })
    this.bound = { store, session }
    this.recorder.attach(store)
    return store
  }

  private record(store: AsyncStore | undefined, previous?: SessionRecorder): SessionRecorder {
    return new SessionRecorder({
      store,
      engine: this.engineInstance,
      session: { id: this.currentId },
      redact: this.redact,
      ...(previous ? { previous } : {}),
    })
  }

  private buildEngine(engine: Omit<EngineOptions, 'history'>, opened: EngineSession): Engine {
    const memory = {
      scope: memoryScope({ projectId: opened.projectId, workspace: opened.workspace }),
      searchScopes: opened.projectId ? [`workspace:${opened.workspace}`] : [],
      sessionId: opened.id,
      redact: this.redact,
    }
    return sessionEngine(engine, opened, {
      memory:
        this.options.memory === false
          ? undefined
          : this.bound
            ? storeMemoryBackend(this.bound.store, memory)
            : lateMemoryBackend(this.stored, memory),
      openChild: async (request) => {
        const store = await this.stored.catch(() => undefined)
        if (!store) return memoryChildSession(this.memoryChildren, request)
        return openChildSession((options) => AgentSession.open(options), store, request, this.options.memory)
      },
      flush: (upTo) => this.recorder.flush(upTo),
      // The checkpoint holds the conversation before this turn's assistant message, so a
      // restore never leaves a tool call without its result.
      checkpoint: () =>
        this.checkpointing.beforeChanges(() =>
          this.recorder.flush(Math.max(0, this.engineInstance.messages.length - 1)),
        ),
    })
  }
}
