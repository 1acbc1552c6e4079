import { randomUUID } from 'node:crypto'
import {
  type CallOptions,
  computeCost,
  type Message,
  type ResolvedModel,
  streamChat,
  type ToolCall,
  type ToolResultMessage,
  type ToolSpec,
  type Usage,
} from '@penguin-ai/llm'
import { builtinTools, PermissionPolicy, type Tool, type Workspace } from '@penguin-ai/tools'
import { fitToWindow, inputBudget } from './context.js'
import type { EngineEvent, RunResult, RunStatus } from './events.js'
import { consumeTurn, type ModelStreamFn, type TurnOutcome } from './model-turn.js'
import { buildSystemPrompt } from './system-prompt.js'
import { type AskPermission, type Emit, runToolCalls } from './tool-runner.js'
import { addUsage, emptyUsage } from './usage.js'

export interface Budget {
  /** Total tokens (input + output) a run may spend. */
  maxTokens?: number
  /** USD a run may spend, from the model catalogue's prices. */
  maxCostUsd?: number
}

export interface EngineOptions {
  model: ResolvedModel
  workspace: Workspace
  /** Defaults to the built-in tools. */
  tools?: Tool[]
  /** Defaults to the default policy: reads allowed, writes and commands asked. */
  policy?: PermissionPolicy
  /** Answers the policy's asks. Without it every ask is rejected (a non-interactive run). */
  askPermission?: AskPermission
  /** `--yes`: what the policy would ask about is allowed. Denials and confinement still apply. */
  autoApprove?: boolean
  /** Replaces the system prompt built from the environment and PENGUIN.md / AGENTS.md. */
  systemPrompt?: string
  /** Model calls per run. Default 50. */
  maxIterations?: number
  budget?: Budget
  /** A conversation to continue. */
  history?: Message[]
  /** How model streams are obtained; defaults to `streamChat` from `@penguin-ai/llm`. */
  stream?: ModelStreamFn
  callOptions?: CallOptions
  temperature?: number
  /**
   * Awaited before a turn's tool calls run when any of them can change files (not read-only), e.g.
   * to snapshot the workspace. The assistant message holding the calls is already in `messages`.
   */
  beforeChanges?: (calls: ToolCall[]) => Promise<void>
}

export interface RunOptions {
  signal?: AbortSignal
  onEvent?: (event: EngineEvent) => void
}

export type EngineListener = (event: EngineEvent) => void

const MAX_CONTEXT_SHRINKS = 3
const DEFAULT_MAX_ITERATIONS = 50

/**
 * The one agent loop: model turn → tool calls → results → repeat, until the model answers without
 * tool calls or a stop condition hits. Holds the conversation, so successive `run` calls continue it.
 * Storage-free: persistence and telemetry attach through events.
 */
export class Engine {
  readonly model: ResolvedModel
  readonly workspace: Workspace
  private readonly options: EngineOptions
  private readonly tools: Map<string, Tool>
  private readonly policy: PermissionPolicy
  private readonly listeners = new Set<EngineListener>()
  private history: Message[]
  private systemPrompt: string | undefined
  private running = false

  constructor(options: EngineOptions) {
    this.options = options
    this.model = options.model
    this.workspace = options.workspace
    this.tools = new Map((options.tools ?? builtinTools()).map((tool) => [tool.name, tool]))
    this.policy = options.policy ?? new PermissionPolicy()
    this.history = options.history ? [...options.history] : []
    this.systemPrompt = options.systemPrompt
  }

  /** The conversation so far, without the system prompt. */
  get messages(): readonly Message[] {
    return this.history
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
    if (this.running) throw new Error('Engine.run is already in progress; wait for it or abort it first')
    this.running = true
    try {
      return await this.loop(prompt, runOptions)
    } finally {
      this.running = false
    }
  }

  private async loop(prompt: string, runOptions: RunOptions): Promise<RunResult> {
    const runId = randomUUID()
    const started = Date.now()
    const signal = runOptions.signal ?? new AbortController().signal
    const emit: Emit = (event) => {
      const stamped = { ...event, runId, time: Date.now() } as EngineEvent
      runOptions.onEvent?.(stamped)
      for (const listener of this.listeners) listener(stamped)
    }
    const stream = this.options.stream ?? streamChat
    const maxIterations = this.options.maxIterations ?? DEFAULT_MAX_ITERATIONS
    const toolSpecs: ToolSpec[] = [...this.tools.values()].map((tool) => ({
      name: tool.name,
      description: tool.description,
      parameters: tool.jsonSchema,
    }))

    let total = emptyUsage()
    let totalCost = 0
    let lastText = ''
    let iterations = 0
    const finish = (status: RunStatus, error?: RunResult['error']): RunResult => {
      const result: RunResult = {
        status,
        text: lastText,
        usage: total,
        cost: totalCost,
        iterations,
        durationMs: Date.now() - started,
        ...(error ? { error } : {}),
      }
      emit({ type: 'run.finished', ...result })
      return result
    }

    emit({ type: 'run.started', model: this.model.id, workspace: this.workspace.root, prompt })
    this.systemPrompt ??= await buildSystemPrompt(this.workspace.root)
    this.history.push({ role: 'user', content: prompt })

    while (iterations < maxIterations) {
      if (signal.aborted) return finish('aborted')
      iterations++
      emit({ type: 'turn.started', iteration: iterations })

      let budget = inputBudget(this.model.info.contextWindow, this.model.info.maxOutputTokens)
      let keepRecent = 2
      let shrinks = 0
      let outcome: TurnOutcome
      for (;;) {
        const fitted = fitToWindow(this.history, toolSpecs, budget, keepRecent)
        // Elision is kept: an output dropped once stays dropped, so later requests stay stable and cacheable.
        this.history = fitted.messages
        const events = stream(
          this.model,
          {
            messages: [{ role: 'system', content: this.systemPrompt }, ...this.history],
            tools: toolSpecs,
            signal,
            ...(this.options.temperature === undefined ? {} : { temperature: this.options.temperature }),
          },
          this.options.callOptions,
        )
        outcome = await consumeTurn(events, {
          onTextDelta: (delta) => emit({ type: 'text.delta', delta }),
          onRetry: (attempt, delayMs, reason) => emit({ type: 'turn.retry', attempt, delayMs, reason }),
        })
        // Our token estimate can undershoot the provider's count. When the model says the request is
        // too long, aim 30% below what we sent and try again, as long as that drops something.
        if (outcome.ok || outcome.error.kind !== 'context_too_long' || outcome.partialText) break
        if (++shrinks > MAX_CONTEXT_SHRINKS) break
        const smaller = Math.floor(Math.min(budget, fitted.tokens) * 0.7)
        if (fitToWindow(this.history, toolSpecs, smaller, 0).elided === 0) break
        budget = smaller
        keepRecent = 0
        emit({
          type: 'turn.retry',
          attempt: 1,
          delayMs: 0,
          reason: 'context too long: older tool outputs elided',
        })
      }

      if (!outcome.ok) {
        if (outcome.partialText)
          this.history.push({ role: 'assistant', content: outcome.partialText, toolCalls: [] })
        if (outcome.error.kind === 'aborted' || signal.aborted) return finish('aborted')
        return finish('failed', { kind: outcome.error.kind, message: outcome.error.message })
      }

      const { message } = outcome
      this.history.push(message)
      if (message.content) lastText = message.content
      const cost = computeCost(this.model.info, outcome.usage)
      total = addUsage(total, outcome.usage)
      totalCost += cost
      emit({ type: 'usage', usage: outcome.usage, total, cost, totalCost })

      if (message.toolCalls.length === 0) return finish('completed')
      if (overBudget(total, totalCost, this.options.budget)) {
        this.history.push(...notRun(message.toolCalls, 'the run exceeded its budget'))
        return finish('budget_exceeded')
      }

      if (
        this.options.beforeChanges &&
        message.toolCalls.some((call) => !this.tools.get(call.name)?.readOnly)
      ) {
        await this.options.beforeChanges(message.toolCalls)
      }
      const results = await runToolCalls(message.toolCalls, {
        tools: this.tools,
        workspace: this.workspace,
        policy: this.policy,
        autoApprove: this.options.autoApprove ?? false,
        askPermission: this.options.askPermission,
        emit,
        signal,
      })
      this.history.push(...results)
      if (signal.aborted) return finish('aborted')
    }
    return finish('max_iterations')
  }
}

function overBudget(usage: Usage, cost: number, budget: Budget | undefined): boolean {
  if (!budget) return false
  if (budget.maxTokens !== undefined && usage.totalTokens >= budget.maxTokens) return true
  if (budget.maxCostUsd !== undefined && cost >= budget.maxCostUsd) return true
  return false
}

/** Results for calls that will never run, so the conversation stays valid for the next request. */
function notRun(calls: { id: string; name: string }[], why: string): ToolResultMessage[] {
  return calls.map((call) => ({
    role: 'tool',
    toolCallId: call.id,
    name: call.name,
    content: `Not run: ${why}.`,
    isError: true,
  }))
}
