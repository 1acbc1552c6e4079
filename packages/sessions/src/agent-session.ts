import { openShadowRepo } from '@penguin-ai/checkpoints'
import {
  Engine,
  type EngineOptions,
  type RunOptions,
  type RunResult,
  type SubagentSession,
  type SubagentSessionRequest,
} from '@penguin-ai/engine'
import type { Message } from '@penguin-ai/llm'
import type { AnyStore, AsyncStore, RetentionPolicy, Session } from '@penguin-ai/store'
import { asAsyncStore } from '@penguin-ai/store/faces'
import { newSessionId } from '@penguin-ai/store/ids'
import { builtinTools, type MemoryBackend, memoryTools, type Tool } from '@penguin-ai/tools'
import { Checkpointer, type RestoreOptions, type RestoreResult } from './checkpointer.js'
import { toEngineHistory } from './convert.js'
import { lateMemoryBackend, memoryScope, storeMemoryBackend } from './memory-backend.js'
import { type OpenedSession, openSession, type SessionChoice, titleFrom } from './open-session.js'
import { SessionRecorder } from './recorder.js'
import { type RedactText, secretRedactor } from './redact.js'

export interface AgentSessionOptions {
  /** The SQLite store (its async face is used) or any AsyncStore, e.g. Postgres. */
  store: AnyStore
  /** Everything the engine needs except the conversation, which comes from the session. */
  engine: Omit<EngineOptions, 'history'>
  /** Which session: a given one, the workspace's latest, or a new one. */
  choice?: Omit<SessionChoice, 'workspace' | 'model'>
  /** Where the shadow repositories live; without it there are no checkpoints. */
  dataDir?: string
  retention?: RetentionPolicy
  /** Offer memory_save / memory_search backed by the store. Default true. */
  memory?: boolean
  /** A checkpoint could not be taken; the turn goes on without one. */
  onCheckpointError?: (error: unknown) => void
  /**
   * Redacts what is stored (messages, tool results and details, summaries, memories, the title);
   * default `secretRedactor(process.env)`. The engine's own conversation is never redacted.
   */
  redact?: RedactText
}

/**
 * A NEW session whose database is still opening (`AgentSession.start`): everything of
 * AgentSessionOptions but the store, which arrives later.
 */
export interface LateSessionOptions extends Omit<AgentSessionOptions, 'store' | 'choice'> {
  /**
   * The store once it is open. Undefined: it cannot be, and the session runs unrecorded (its memory
   * tools say so). A rejection stops the session's run, and `run()` rejects with it.
   */
  store: Promise<AnyStore | undefined>
  /** Settings of the new session. */
  choice?: Pick<SessionChoice, 'title' | 'agent'>
}

/** What the engine is built on: the session's id and place, and the conversation so far. */
interface EngineSession {
  id: string
  projectId: number | null
  workspace: string
  history: Message[]
}

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
  private checkpointerInstance: Checkpointer | undefined
  private readonly redact: RedactText
  /** Settles once the shadow repository is open (true) or could not be (false: no checkpoints). */
  private checkpointsReady: Promise<boolean> = Promise.resolve(false)

  private constructor(
    options: Omit<AgentSessionOptions, 'store'>,
    start: { store: AsyncStore; opened: OpenedSession } | { late: Promise<AsyncStore | undefined> },
  ) {
    this.options = options
    this.settings = options.engine
    this.redact = options.redact ?? secretRedactor()
    if ('opened' in start) {
      const { store, opened } = start
      this.resumed = opened.resumed
      this.currentId = opened.session.id
      this.bound = { store, session: opened.session }
      this.stored = Promise.resolve(store)
      this.useCheckpoints(opened.session.id)
      this.engineInstance = this.buildEngine(options.engine, { ...opened.session, history: opened.history })
      this.recorder = this.record(store)
      return
    }
    this.resumed = false
    this.currentId = newSessionId()
    this.stored = start.late.then((store) => (store ? this.bind(store) : undefined))
    // Observed by run(); never an unhandled rejection when the session is not run.
    this.stored.catch(() => undefined)
    this.checkpointsReady = this.stored.then(
      (store) => {
        if (!store) return false
        this.useCheckpoints(this.currentId)
        return this.checkpointsReady
      },
      () => false,
    )
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
    return this.checkpointerInstance
  }

  async run(prompt: string, runOptions: RunOptions = {}): Promise<RunResult> {
    if (this.bound) {
      if (!this.bound.session.title) {
        const session = await this.bound.store.updateSession(this.currentId, {
          title: titleFrom(this.redact(prompt)),
        })
        this.bound = { store: this.bound.store, session }
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
        await this.checkpointsReady
      }
      throw error
    }
    await this.stored.catch(() => undefined)
    await this.recorder.flush()
    // A run with no file changes never waited for the repository: let its setup finish before
    // the caller may exit, so no half-made repository is left behind.
    await this.checkpointsReady
    if (failure) throw failure.error
    // What the run said is stored, or the run fails with the reason it is not.
    await this.recorder.settled()
    if (this.bound)
      this.bound = { store: this.bound.store, session: await this.bound.store.requireSession(this.currentId) }
    return result
  }

  /**
   * Files and conversation go back to a checkpoint (with `keepMessages`, only the start of its
   * conversation: see RestoreOptions); the engine continues from there.
   */
  async restore(checkpointId: number, options: RestoreOptions = {}): Promise<RestoreResult> {
    const checkpointer = this.requireCheckpoints()
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
      model: this.engineInstance.model.id,
      // A new session runs as the agent the chat runs as now; a resumed one keeps its own, and
      // the caller decides whether to switch to it (see `reconfigure`).
      ...(sessionRef ? { sessionRef } : agent ? { agent } : {}),
    })
    this.recorder.detach()
    this.currentId = opened.session.id
    this.bound = { store, session: opened.session }
    this.useCheckpoints(opened.session.id)
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

  private async openChild(request: SubagentSessionRequest): Promise<SubagentSession> {
    const store = await this.stored.catch(() => undefined)
    if (store) return openChildSession(store, request, this.options.memory)
    return memoryChildSession(this.memoryChildren, request)
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

  /** Starts opening the session's checkpoints; the first checkpoint waits for them. */
  private useCheckpoints(sessionId: string): void {
    const opening = openCheckpointer(this.options, this.store, sessionId)
    this.checkpointerInstance = opening?.checkpointer
    this.checkpointsReady = opening
      ? opening.ready.then((ok) => {
          if (!ok && this.checkpointerInstance === opening.checkpointer) this.checkpointerInstance = undefined
          return ok
        })
      : Promise.resolve(false)
  }

  private requireCheckpoints(): Checkpointer {
    if (!this.checkpointerInstance) throw new Error('checkpoints are not available for this session')
    return this.checkpointerInstance
  }

  private buildEngine(engine: Omit<EngineOptions, 'history'>, opened: EngineSession): Engine {
    const tools: Tool[] = [...(engine.tools ?? builtinTools())]
    if (this.options.memory !== false && !tools.some((tool) => tool.name === 'memory_save')) {
      const memory = {
        scope: memoryScope({ projectId: opened.projectId, workspace: opened.workspace }),
        searchScopes: opened.projectId ? [`workspace:${opened.workspace}`] : [],
        sessionId: opened.id,
        redact: this.redact,
      }
      const backend: MemoryBackend = this.bound
        ? storeMemoryBackend(this.bound.store, memory)
        : lateMemoryBackend(this.stored, memory)
      tools.push(...memoryTools(backend))
    }
    const userHook = engine.beforeChanges
    const { subagents } = engine
    return new Engine({
      ...engine,
      // Sub-agents' sessions are stored too, as children of this one.
      ...(subagents
        ? { subagents: { ...subagents, openSession: (request) => this.openChild(request) } }
        : {}),
      tools,
      history: opened.history,
      sessionId: opened.id,
      // The session is the conversation: its turns share one prompt cache where providers route by key.
      cacheKey: engine.cacheKey ?? opened.id,
      // A request carries the turns before it: they are stored first, so a process that dies once
      // the model has a tool call's result (a worker SIGKILLed) never leaves a resumed run to
      // repeat that call. The recorder started these writes at `turn.started`; this waits for them.
      beforeRequest: async () => {
        await engine.beforeRequest?.()
        await this.recorder.flush()
      },
      beforeChanges: async (calls) => {
        // The repository opens in the background: the first checkpoint waits for it.
        const checkpointer = (await this.checkpointsReady) ? this.checkpointerInstance : undefined
        if (checkpointer) {
          // The checkpoint holds the conversation before this turn's assistant message, so a
          // restore never leaves a tool call without its result.
          await this.recorder.flush(Math.max(0, this.engineInstance.messages.length - 1))
          try {
            await checkpointer.checkpoint('turn')
          } catch (error) {
            this.options.onCheckpointError?.(error)
          }
        }
        await userHook?.(calls)
      },
    })
  }
}

/**
 * A `task` call's session: a new child of `parentSessionId`, or the earlier child it continues (which
 * must be this session's and run the same agent). No checkpoints of its own: the parent took one
 * before the turn that started it.
 */
async function openChildSession(
  store: AsyncStore,
  request: SubagentSessionRequest,
  memory: boolean | undefined,
): Promise<SubagentSession> {
  if (request.sessionId) {
    const existing = await store.getSession(request.sessionId)
    if (!existing || existing.parentSessionId !== request.parentSessionId)
      throw new Error(`No task session "${request.sessionId}" of this session to continue.`)
    if (existing.agent !== request.agent)
      throw new Error(`Session ${existing.id} runs the ${existing.agent} agent, not ${request.agent}.`)
  }
  const child = await AgentSession.open({
    store,
    engine: request.engine,
    choice: request.sessionId
      ? { sessionRef: request.sessionId }
      : { parentSessionId: request.parentSessionId, agent: request.agent, title: request.title },
    ...(memory === undefined ? {} : { memory }),
  })
  return {
    sessionId: child.session.id,
    agent: request.agent,
    run: (prompt, options) => child.run(prompt, options),
    close: () => child.close(),
  }
}

/**
 * A `task` call's session when the parent runs unrecorded (its database could not open): kept in
 * memory for this process, continued by id like a stored one.
 */
function memoryChildSession(
  children: Map<string, SubagentSession>,
  request: SubagentSessionRequest,
): SubagentSession {
  if (request.sessionId) {
    const known = children.get(request.sessionId)
    if (!known) throw new Error(`No task session "${request.sessionId}" of this session to continue.`)
    if (known.agent !== request.agent)
      throw new Error(`Session ${request.sessionId} runs the ${known.agent} agent, not ${request.agent}.`)
    return known
  }
  const child = new Engine(request.engine)
  const session: SubagentSession = {
    sessionId: child.sessionId,
    agent: request.agent,
    run: (prompt, options) => child.run(prompt, options),
    close: () => {},
  }
  children.set(child.sessionId, session)
  return session
}

/**
 * Checkpoints are a safety net, not a precondition: without git the session runs without them.
 * The shadow repository is opened in the background (that spawns git), so a run's first model
 * request does not wait for it; checkpoints and restores do.
 */
function openCheckpointer(
  options: Omit<AgentSessionOptions, 'store'>,
  store: AsyncStore,
  sessionId: string,
): { checkpointer: Checkpointer; ready: Promise<boolean> } | undefined {
  if (!options.dataDir) return undefined
  const repo = openShadowRepo({ dataDir: options.dataDir, workspace: options.engine.workspace.root })
  const ready = repo.then(
    () => true,
    (error: unknown) => {
      options.onCheckpointError?.(error)
      return false
    },
  )
  const checkpointer = new Checkpointer({
    store,
    repo,
    sessionId,
    ...(options.retention ? { retention: options.retention } : {}),
  })
  return { checkpointer, ready }
}
