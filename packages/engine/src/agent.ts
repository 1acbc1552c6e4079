import { type Message, type ResolvedModel, resolveModel } from '@penguin-ai/llm'
import { openWorkspace, PermissionPolicy, type PermissionRule, type Tool } from '@penguin-ai/tools'
import type { Budget } from './budget.js'
import type { CompactionOptions } from './compaction/settings.js'
import { Engine } from './engine.js'
import type { CompactResult, EngineOptions } from './engine-options.js'
import type { EngineEvent, RunResult } from './events.js'
import type { ModelStreamFn } from './model-turn.js'
import type { Subagents } from './subagents/types.js'
import type { AskPermission } from './tool-runner.js'

export interface PenguinAgentOptions {
  /** A `provider/model` string (e.g. `openai/gpt-4o`) or an already resolved model. */
  model: string | ResolvedModel
  /** The directory the agent works in. Defaults to the current directory. */
  workspace?: string
  baseUrl?: string
  apiKey?: string
  /** Extra directories the file tools may use besides the workspace. */
  allowedPaths?: string[]
  /** Permission rules, last match wins; defaults: reads allowed, writes and commands asked. */
  permissions?: PermissionRule[]
  /** Allow what the rules would ask about. */
  autoApprove?: boolean
  askPermission?: AskPermission
  tools?: Tool[]
  systemPrompt?: string
  maxIterations?: number
  budget?: Budget
  history?: Message[]
  stream?: ModelStreamFn
  /** When and how the conversation is compacted; see `EngineOptions.compaction`. */
  compaction?: CompactionOptions
  /**
   * Agents the `task` tool may start (it is offered only with this). Without `openSession` the
   * children live in this agent's memory: a later `task` call continues one by its `session_id`
   * for as long as this PenguinAgent lives, and nothing is stored.
   */
  subagents?: Subagents
}

/**
 * The library facade: `await new PenguinAgent({ model, workspace }).run(task)`.
 * Successive runs continue the same conversation.
 */
export class PenguinAgent {
  private readonly options: PenguinAgentOptions
  private engine: Promise<Engine> | undefined
  private readonly listeners = new Set<(event: EngineEvent) => void>()

  constructor(options: PenguinAgentOptions) {
    this.options = options
  }

  /** Runs a task to completion. `onEvent` sees every engine event as it happens. */
  async run(
    task: string,
    options: { signal?: AbortSignal; onEvent?: (event: EngineEvent) => void } = {},
  ): Promise<RunResult> {
    const engine = await this.getEngine()
    return engine.run(task, options)
  }

  /** Events of every run, for as long as the listener is subscribed. */
  on(listener: (event: EngineEvent) => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  /** Summarises the older part of the conversation now (`/compact`); see `Engine.compact`. */
  async compact(signal?: AbortSignal): Promise<CompactResult | undefined> {
    return (await this.getEngine()).compact(signal)
  }

  async messages(): Promise<readonly Message[]> {
    return (await this.getEngine()).messages
  }

  private getEngine(): Promise<Engine> {
    this.engine ??= this.createEngine()
    return this.engine
  }

  private async createEngine(): Promise<Engine> {
    const o = this.options
    const model =
      typeof o.model === 'string'
        ? resolveModel(o.model, {
            ...(o.baseUrl ? { baseUrl: o.baseUrl } : {}),
            ...(o.apiKey ? { apiKey: o.apiKey } : {}),
          })
        : o.model
    const workspace = await openWorkspace(o.workspace ?? process.cwd(), {
      allowedPaths: o.allowedPaths ?? [],
    })
    const engineOptions: EngineOptions = {
      model,
      workspace,
      policy: new PermissionPolicy(o.permissions ?? []),
      autoApprove: o.autoApprove ?? false,
      ...(o.askPermission ? { askPermission: o.askPermission } : {}),
      ...(o.tools ? { tools: o.tools } : {}),
      ...(o.systemPrompt ? { systemPrompt: o.systemPrompt } : {}),
      ...(o.maxIterations ? { maxIterations: o.maxIterations } : {}),
      ...(o.budget ? { budget: o.budget } : {}),
      ...(o.history ? { history: o.history } : {}),
      ...(o.stream ? { stream: o.stream } : {}),
      ...(o.compaction ? { compaction: o.compaction } : {}),
      ...(o.subagents ? { subagents: o.subagents } : {}),
    }
    const engine = new Engine(engineOptions)
    engine.subscribe((event) => {
      for (const listener of this.listeners) listener(event)
    })
    return engine
  }
}
