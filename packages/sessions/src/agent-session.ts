import { openShadowRepo } from '@penguin-ai/checkpoints'
import {
  Engine,
  type EngineOptions,
  type RunOptions,
  type RunResult,
  type SubagentSession,
  type SubagentSessionRequest,
} from '@penguin-ai/engine'
import type { RetentionPolicy, Session, Store } from '@penguin-ai/store'
import { builtinTools, memoryTools, type Tool } from '@penguin-ai/tools'
import { Checkpointer, type RestoreOptions, type RestoreResult } from './checkpointer.js'
import { toEngineHistory } from './convert.js'
import { memoryScope, storeMemoryBackend } from './memory-backend.js'
import { type OpenedSession, openSession, type SessionChoice, titleFrom } from './open-session.js'
import { SessionRecorder } from './recorder.js'
import { type RedactText, secretRedactor } from './redact.js'

export interface AgentSessionOptions {
  store: Store
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
 * An engine bound to a stored session: its conversation is recorded as it happens, a checkpoint is
 * taken before every turn that can change files, and restores bring files and conversation back
 * together. The CLI's run and chat and the server all use this; the engine itself stays storage-free.
 */
export class AgentSession {
  readonly store: Store
  readonly resumed: boolean
  private readonly options: AgentSessionOptions
  private current: Session
  private engineInstance: Engine
  private recorder: SessionRecorder
  private checkpointerInstance: Checkpointer | undefined
  private readonly redact: RedactText
  /** Settles once the shadow repository is open (true) or could not be (false: no checkpoints). */
  private checkpointsReady: Promise<boolean> = Promise.resolve(false)

  private constructor(options: AgentSessionOptions, opened: OpenedSession) {
    this.options = options
    this.redact = options.redact ?? secretRedactor()
    this.store = options.store
    this.resumed = opened.resumed
    this.current = opened.session
    this.useCheckpoints(opened.session.id)
    this.engineInstance = this.buildEngine(options.engine, opened)
    this.recorder = new SessionRecorder({
      store: this.store,
      engine: this.engineInstance,
      session: this.current,
      redact: this.redact,
    })
  }

  static async open(options: AgentSessionOptions): Promise<AgentSession> {
    const opened = openSession(options.store, {
      ...options.choice,
      workspace: options.engine.workspace.root,
      model: options.engine.model.id,
    })
    return new AgentSession(options, opened)
  }

  get engine(): Engine {
    return this.engineInstance
  }

  get session(): Session {
    this.current = this.store.requireSession(this.current.id)
    return this.current
  }

  get checkpoints(): Checkpointer | undefined {
    return this.checkpointerInstance
  }

  async run(prompt: string, runOptions: RunOptions = {}): Promise<RunResult> {
    if (!this.current.title)
      this.current = this.store.updateSession(this.current.id, { title: titleFrom(this.redact(prompt)) })
    try {
      return await this.engineInstance.run(prompt, runOptions)
    } finally {
      this.recorder.flush()
      // A run with no file changes never waited for the repository: let its setup finish before
      // the caller may exit, so no half-made repository is left behind.
      await this.checkpointsReady
    }
  }

  /**
   * Files and conversation go back to a checkpoint (with `keepMessages`, only the start of its
   * conversation: see RestoreOptions); the engine continues from there.
   */
  async restore(checkpointId: number, options: RestoreOptions = {}): Promise<RestoreResult> {
    const checkpointer = this.requireCheckpoints()
    this.recorder.flush()
    const result = await checkpointer.restore(checkpointId, options)
    this.reload()
    return result
  }

  /** Switches to another stored session (chat `/resume`) or a new one (`/new`). */
  async switchTo(sessionRef: string | undefined): Promise<void> {
    this.recorder.flush()
    this.recorder.detach()
    const opened = openSession(this.store, {
      workspace: this.options.engine.workspace.root,
      model: this.engineInstance.model.id,
      ...(sessionRef ? { sessionRef } : {}),
    })
    this.current = opened.session
    this.useCheckpoints(opened.session.id)
    this.engineInstance = this.buildEngine(
      { ...this.options.engine, model: this.engineInstance.model },
      opened,
    )
    this.recorder = new SessionRecorder({
      store: this.store,
      engine: this.engineInstance,
      session: this.current,
      redact: this.redact,
    })
  }

  /** A new engine with other options (chat `/model`), continuing the same conversation. */
  reconfigure(engine: Partial<Omit<EngineOptions, 'history'>>): void {
    this.recorder.flush()
    this.recorder.detach()
    const opened: OpenedSession = {
      session: this.current,
      history: [...this.engineInstance.messages],
      resumed: true,
    }
    this.engineInstance = this.buildEngine({ ...this.options.engine, ...engine }, opened)
    if (engine.model) this.current = this.store.updateSession(this.current.id, { model: engine.model.id })
    this.recorder = new SessionRecorder({
      store: this.store,
      engine: this.engineInstance,
      session: this.current,
      redact: this.redact,
    })
  }

  close(): void {
    this.recorder.flush()
    this.recorder.detach()
  }

  private openChild(request: SubagentSessionRequest): Promise<SubagentSession> {
    return openChildSession(this.store, request, this.options.memory)
  }

  /** The conversation changed in the store (a restore): the engine takes it from there. */
  private reload(): void {
    this.engineInstance.replaceHistory(toEngineHistory(this.store.listMessages(this.current.id)))
    this.recorder.reset()
  }

  /** Starts opening the session's checkpoints; the first checkpoint waits for them. */
  private useCheckpoints(sessionId: string): void {
    const opening = openCheckpointer(this.options, sessionId)
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

  private buildEngine(engine: Omit<EngineOptions, 'history'>, opened: OpenedSession): Engine {
    const tools: Tool[] = [...(engine.tools ?? builtinTools())]
    if (this.options.memory !== false && !tools.some((tool) => tool.name === 'memory_save')) {
      const scope = memoryScope({ projectId: opened.session.projectId, workspace: opened.session.workspace })
      const searchScopes = opened.session.projectId ? [`workspace:${opened.session.workspace}`] : []
      tools.push(
        ...memoryTools(
          storeMemoryBackend(this.store, {
            scope,
            searchScopes,
            sessionId: opened.session.id,
            redact: this.redact,
          }),
        ),
      )
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
      sessionId: opened.session.id,
      // The session is the conversation: its turns share one prompt cache where providers route by key.
      cacheKey: engine.cacheKey ?? opened.session.id,
      beforeChanges: async (calls) => {
        // The repository opens in the background: the first checkpoint waits for it.
        const checkpointer = (await this.checkpointsReady) ? this.checkpointerInstance : undefined
        if (checkpointer) {
          // The checkpoint holds the conversation before this turn's assistant message, so a
          // restore never leaves a tool call without its result.
          this.recorder.flush(Math.max(0, this.engineInstance.messages.length - 1))
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
  store: Store,
  request: SubagentSessionRequest,
  memory: boolean | undefined,
): Promise<SubagentSession> {
  if (request.sessionId) {
    const existing = store.getSession(request.sessionId)
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
 * Checkpoints are a safety net, not a precondition: without git the session runs without them.
 * The shadow repository is opened in the background (that spawns git), so a run's first model
 * request does not wait for it; checkpoints and restores do.
 */
function openCheckpointer(
  options: AgentSessionOptions,
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
    store: options.store,
    repo,
    sessionId,
    ...(options.retention ? { retention: options.retention } : {}),
  })
  return { checkpointer, ready }
}
