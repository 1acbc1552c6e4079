import { randomUUID } from 'node:crypto'
import {
  AbortedError,
  assistantMessage,
  createTokenCounter,
  type Message,
  preloadModel,
  type ResolvedModel,
  streamChat,
  type TokenCounter,
  textOf,
  toolCallsOf,
} from '@penguin-ai/llm'
import { builtinTools, PermissionPolicy, type Workspace } from '@penguin-ai/tools'
import { unlessAborted } from './abortable.js'
import { notRun, UsageMeter } from './budget.js'
import { type CompactionContext, type CompactionResult, compactNow } from './compaction/compact.js'
import {
  type CompactionSettings,
  compactionSettings,
  requestCeiling,
  requestLimit,
} from './compaction/settings.js'
import type { CompactResult, EngineOptions, RunOptions } from './engine-options.js'
import type { EngineEvent, RunResult, RunStatus } from './events.js'
import { ExtensionChain, type ExtensionScope } from './extension-chain.js'
import { deliverQueued, modelStopped, openPrompt, stopped, takeQueued } from './extension-steps.js'
import { type RequestHost, requestTurn } from './model-request.js'
import { Delegation } from './subagents/delegation.js'
import { environmentPrompt } from './system-prompt.js'
import { type Emit, runToolCalls, toolRunnerOptions } from './tool-runner.js'
import { ToolSet } from './tool-set.js'

export type { Budget } from './budget.js'
export type { CompactResult, EngineOptions, RunOptions } from './engine-options.js'

export type EngineListener = (event: EngineEvent) => void

/** Model calls per run when nothing sets `maxIterations`. */
export const DEFAULT_MAX_ITERATIONS = 50

/**
 * The one agent loop: model turn → tool calls → results → repeat, until the model answers without
 * tool calls or a stop condition hits. Holds the conversation, so successive `run` calls continue it.
 * Storage-free: persistence and telemetry attach through events.
 */
export class Engine {
  readonly model: ResolvedModel
  readonly workspace: Workspace
  private readonly options: EngineOptions
  private readonly tools: ToolSet
  private readonly extensions: ExtensionChain
  private readonly id: string
  private sessionStarted = false
  private readonly delegation: Delegation
  private readonly policy: PermissionPolicy
  private readonly counter: TokenCounter
  private readonly compaction: CompactionSettings
  private readonly listeners = new Set<EngineListener>()
  private history: Message[]
  private systemPrompt: string | Promise<string> | undefined
  private running = false

  constructor(options: EngineOptions) {
    this.options = options
    this.model = options.model
    this.workspace = options.workspace
    this.delegation = new Delegation(options)
    this.tools = new ToolSet(
      [...(options.tools ?? builtinTools()), ...this.delegation.tools()],
      options.toolFilter,
    )
    this.extensions = new ExtensionChain(options.extensions ?? [])
    this.id = options.sessionId ?? randomUUID()
    this.policy = options.policy ?? new PermissionPolicy()
    this.counter = options.tokenCounter ?? createTokenCounter(options.model)
    this.compaction = compactionSettings(options.compaction)
    this.history = options.history ? [...options.history] : []
    this.systemPrompt = options.systemPrompt
  }

  /** The session this engine's events and extensions are told (the stored session's id, or its own). */
  get sessionId(): string {
    return this.id
  }

  /** The conversation so far, without the system prompt. */
  get messages(): readonly Message[] {
    return this.history
  }

  /**
   * Whether a tool only reads (unknown names count as read-only: they never ran). Lets a caller tell
   * a run that changed something from one whose every change was refused.
   */
  isReadOnlyTool(name: string): boolean {
    return this.tools.isReadOnly(name)
  }

  /** The tools offered in the latest request: the engine's own and those extensions added. */
  get toolNames(): string[] {
    return this.tools.names
  }

  /** Forgets the conversation (chat `/clear`). */
  clear(): void {
    this.history = []
  }

  /** Replaces the conversation, e.g. after a restore; not while a run is in progress. */
  replaceHistory(messages: readonly Message[]): void {
    if (this.running) throw new Error('Engine.replaceHistory cannot be called while a run is in progress')
    this.history = [...messages]
  }

  subscribe(listener: EngineListener): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  async run(prompt: string, runOptions: RunOptions = {}): Promise<RunResult> {
    return this.exclusive('run', async () => {
      try {
        return await this.loop(prompt, runOptions)
      } finally {
        this.delegation.end()
      }
    })
  }

  /**
   * `/compact`: summarises all but the recent turns now, whatever the conversation's size. Resolves
   * undefined when there is nothing older to summarise; rejects with the `LlmError` when the summary
   * call fails (the conversation is then unchanged). Emits `usage` and `context.compacted` under an
   * id of their own.
   */
  async compact(signal?: AbortSignal): Promise<CompactResult | undefined> {
    return this.exclusive('compact', async () => {
      const emit = this.emitter()
      const aborted = signal ?? new AbortController().signal
      const ctx = await this.context(aborted, this.scope(aborted, emit))
      const result = await compactNow(this.history, ctx, this.bounds())
      if (!result) return undefined
      const meter = new UsageMeter(this.model.info)
      this.apply(result, emit, meter)
      const { compaction } = result
      if (result.error || compaction?.summary === undefined) throw result.error ?? new AbortedError()
      return { ...compaction, summary: compaction.summary, usage: result.usage, cost: meter.totalCost }
    })
  }

  private async exclusive<T>(what: string, work: () => Promise<T>): Promise<T> {
    if (this.running)
      throw new Error(`Engine.${what}: a run or compaction is in progress; wait for it or abort it`)
    this.running = true
    try {
      return await work()
    } finally {
      this.running = false
    }
  }

  /** Over this run's budget, or a sub-agent whose parent's (or an ancestor's) budget is spent. */
  private overBudget(meter: UsageMeter): boolean {
    return meter.over(this.options.budget) || (this.options.lineage?.parentOverBudget?.() ?? false)
  }

  private emitter(onEvent?: (event: EngineEvent) => void, id?: string): Emit {
    const runId = id ?? randomUUID()
    const parentSessionId = this.options.lineage?.parentSessionId
    return (event) => {
      const stamped = {
        ...event,
        runId,
        time: Date.now(),
        sessionId: this.id,
        ...(parentSessionId ? { parentSessionId } : {}),
      } as EngineEvent
      onEvent?.(stamped)
      for (const listener of this.listeners) listener(stamped)
      this.extensions.event(stamped)
    }
  }

  /** What extensions are called with during one run (or `/compact`). */
  private scope(signal: AbortSignal, emit: Emit): ExtensionScope {
    return {
      sessionId: this.id,
      ...(this.options.lineage ? { parentSessionId: this.options.lineage.parentSessionId } : {}),
      cwd: this.workspace.root,
      signal,
      notice: (source, level, message) => emit({ type: 'notice', source, level, message }),
    }
  }

  /** Past `limit` the conversation is compacted; no request may measure more than `ceiling`. */
  private bounds(): { limit: number; ceiling: number } {
    return {
      limit: requestLimit(this.model.info, this.compaction.threshold),
      ceiling: requestCeiling(this.model.info),
    }
  }

  /**
   * Builds the system prompt (once) and bundles what compaction needs. The tokenizer is not loaded
   * here: compaction loads it when a request gets near the limit (see `EXACT_COUNT_FROM`).
   */
  private async context(signal: AbortSignal, scope: ExtensionScope): Promise<CompactionContext> {
    // Built once (or handed in, maybe still being built): byte-identical on every turn for caching.
    const systemPrompt = await (this.systemPrompt ?? environmentPrompt(this.options))
    this.systemPrompt = systemPrompt
    const extensions = this.extensions
    return {
      ...(extensions.size
        ? { beforeSummary: (trigger: 'manual' | 'auto') => extensions.beforeCompact(scope, trigger) }
        : {}),
      model: this.model,
      counter: this.counter,
      stream: this.options.stream ?? streamChat,
      callOptions: this.options.callOptions,
      signal,
      system: { role: 'system', content: systemPrompt },
      tools: this.tools.specs,
      settings: this.compaction,
    }
  }

  /** Takes a compaction's conversation, and reports what it cost and did. */
  private apply(result: CompactionResult, emit: Emit, meter: UsageMeter): void {
    this.history = result.messages
    if (result.usage.totalTokens > 0) {
      const cost = meter.add(result.usage)
      emit({ type: 'usage', usage: result.usage, total: meter.total, cost, totalCost: meter.totalCost })
    }
    if (result.compaction) emit({ type: 'context.compacted', ...result.compaction })
  }

  private async loop(prompt: string, runOptions: RunOptions): Promise<RunResult> {
    const started = Date.now()
    const signal = runOptions.signal ?? new AbortController().signal
    const emit = this.emitter(runOptions.onEvent, runOptions.runId)
    const maxIterations = this.options.maxIterations ?? DEFAULT_MAX_ITERATIONS
    const meter = new UsageMeter(this.model.info)
    const { inbox } = runOptions
    let lastText = ''
    let iterations = 0
    /** Where the iteration limit counts from: a follow-up is a new request of the user's. */
    let countedFrom = 0
    const finish = (status: RunStatus, error?: RunResult['error']): RunResult => {
      const result: RunResult = {
        status,
        text: lastText,
        usage: meter.total,
        cost: meter.totalCost,
        iterations,
        durationMs: Date.now() - started,
        ...(error ? { error } : {}),
      }
      emit({ type: 'run.finished', ...result })
      return result
    }

    emit({
      type: 'run.started',
      model: this.model.id,
      workspace: this.workspace.root,
      prompt,
      sandbox: this.options.sandbox?.describe() ?? 'off',
    })
    const scope = this.scope(signal, emit)
    // The SDK and HTTP client load while the system prompt's git probe runs.
    if (!this.options.stream) void preloadModel(this.model)
    // The system prompt (instructions, a git probe) is gathered first; a cancel does not wait for it.
    const ctx = await unlessAborted(this.context(signal, scope), signal)
    if (ctx === 'aborted') return finish('aborted')
    const lineage = this.options.lineage
    const opened = await openPrompt(this.extensions, scope, prompt, {
      // A sub-agent's prompt comes from its parent's model, not the user: no SessionStart or
      // UserPromptSubmit for it (as in Claude Code).
      sessionStart: this.sessionStarted || lineage ? undefined : this.history.length ? 'resume' : 'startup',
      submit: !lineage,
    })
    this.sessionStarted = true
    if ('stop' in opened) return finish('failed', opened.stop)
    const images = runOptions.images ?? []
    this.history.push(
      images.length ? { ...opened.message, content: [...opened.message.content, ...images] } : opened.message,
    )
    let stopHookActive = false
    this.delegation.begin({
      sessionId: this.id,
      policy: this.policy,
      meter,
      overBudget: () => this.overBudget(meter),
      emit,
    })
    // Compaction replaces `history`: appended through a function, never a captured array.
    const host: RequestHost = {
      options: this.options,
      extensions: this.extensions,
      conversation: () => this.history,
      bounds: () => this.bounds(),
      apply: (result, to, spent) => this.apply(result, to, spent),
      overBudget: (spent) => this.overBudget(spent),
    }
    const into = { append: (message: Message) => this.history.push(message), emit, submit: !lineage }

    while (iterations - countedFrom < maxIterations) {
      if (signal.aborted) return finish('aborted')
      // Steering typed while the last turn's tools ran: the model reads it before it goes on.
      await inbox?.refresh?.()
      const steering = takeQueued(inbox, ['steer'])
      if (steering) {
        const delivered = await deliverQueued(this.extensions, scope, steering, into)
        if (typeof delivered !== 'number') return finish('failed', delivered)
      }
      iterations++
      emit({ type: 'turn.started', iteration: iterations })
      if (await this.tools.refresh(this.extensions, scope)) ctx.tools = this.tools.specs

      const outcome = await requestTurn(host, ctx, emit, meter, scope)
      if (outcome === 'budget_exceeded') return finish('budget_exceeded')
      if (!outcome.ok) {
        if (outcome.partialText) this.history.push(assistantMessage(outcome.partialText))
        if (outcome.error.kind === 'aborted' || signal.aborted) return finish('aborted')
        return finish('failed', { kind: outcome.error.kind, message: outcome.error.message })
      }

      const { message } = outcome
      this.history.push(message)
      const text = textOf(message)
      if (text) lastText = text
      const calls = toolCallsOf(message)
      const cost = meter.add(outcome.usage)
      emit({ type: 'usage', usage: outcome.usage, total: meter.total, cost, totalCost: meter.totalCost })

      if (calls.length === 0) {
        const next = await modelStopped(this.extensions, scope, {
          text,
          stopHookActive,
          ...(lineage
            ? { subagent: { agent: lineage.agent, parentSessionId: lineage.parentSessionId } }
            : {}),
          inbox,
          into,
        })
        if (next.finish) return finish(next.finish, next.error)
        if (next.go === 'stop_hook') stopHookActive = true
        // A follow-up is a new request of the user's: the iteration limit counts afresh.
        if (next.go === 'follow_up') countedFrom = iterations
        continue
      }
      if (this.overBudget(meter)) {
        this.history.push(...notRun(calls, 'the run exceeded its budget'))
        return finish('budget_exceeded')
      }

      if (this.options.beforeChanges && calls.some((call) => !this.tools.isReadOnly(call.name))) {
        // A checkpoint of a huge tree can take long: a cancel does not wait for it.
        if ((await unlessAborted(this.options.beforeChanges(calls), signal)) === 'aborted') {
          this.history.push(...notRun(calls, 'the run was cancelled'))
          return finish('aborted')
        }
      }
      const runner = toolRunnerOptions(this.options, {
        tools: this.tools.map,
        policy: this.policy,
        emit,
        signal,
        ...(this.extensions.size ? { extensions: { chain: this.extensions, scope } } : {}),
      })
      const results = await runToolCalls(calls, runner)
      this.history.push(...results)
      if (signal.aborted) return finish('aborted')
      if (runner.stopped) return finish('failed', stopped(runner.stopped.reason))
      // Sub-agents spend too: once they have used up the budget, the run ends here.
      if (this.overBudget(meter)) return finish('budget_exceeded')
    }
    return finish('max_iterations')
  }
}
