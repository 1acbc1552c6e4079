import { addUsage, type ModelStreamFn } from '@penguin-ai/engine'
import {
  type CallOptions,
  computeCost,
  emptyUsage,
  type Message,
  type ResolvedModel,
  streamChat,
  type ToolResultMessage,
  toolCallsOf,
  toolResultMessage,
  type Usage,
  userMessage,
} from '@penguin-ai/llm'
import { type AnyStore, asAsyncStore, type Project, type Task } from '@penguin-ai/store'
import { PlanModelError, PlanRejectedError } from '../errors.js'
import { checkPlanArguments, type PlanValidator } from './check.js'
import { callModel } from './model-call.js'
import {
  buildPlanRequest,
  NO_PLAN_PROBLEM,
  PLANNER_SYSTEM_PROMPT,
  rejectionMessage,
  unknownToolMessage,
} from './prompt.js'
import { type PlanTask, SUBMIT_PLAN, submitPlanTool } from './schema.js'
import { storeValidator } from './store-validator.js'

export const DEFAULT_PLAN_ATTEMPTS = 3

export interface PlanProjectOptions {
  /** Where the plan is saved; not needed for a dry run. */
  store?: AnyStore
  project: Pick<Project, 'id' | 'name' | 'description' | 'workspace'>
  /** The specification in natural language. */
  spec: string
  model: ResolvedModel
  /** Defaults to `streamChat`. */
  stream?: ModelStreamFn
  callOptions?: CallOptions
  /** Model replies before giving up; the first plus corrections. Default 3. */
  maxAttempts?: number
  /** Validate and return the plan without saving anything. */
  dryRun?: boolean
  signal?: AbortSignal
  /** Called after each rejected attempt, before the model is asked again (or given up on). */
  onRejected?: (rejection: PlanRejection) => void
  /** Graph rules; defaults to the store's `validatePlan`. */
  validate?: PlanValidator
}

export interface PlanRejection {
  attempt: number
  maxAttempts: number
  problems: string[]
}

export interface PlanResult {
  plan: PlanTask[]
  /** The stored tasks, in plan order; empty for a dry run. */
  tasks: Task[]
  attempts: number
  usage: Usage
  costUsd: number
  durationMs: number
  dryRun: boolean
}

/**
 * Asks the model for a task graph through one tool, `submit_plan`, and stores it. An invalid plan
 * (bad shape, unknown references, cycles) is answered with the exact problems as the tool's result
 * and the model tries again, up to `maxAttempts` replies in all. Nothing is stored unless a plan
 * passes; the plan, its run record and its usage are stored in one transaction.
 */
export async function planProject(options: PlanProjectOptions): Promise<PlanResult> {
  const { model, project } = options
  if (!options.dryRun && !options.store) throw new TypeError('planProject needs a store unless dryRun is set')
  const stream = options.stream ?? streamChat
  const validate = options.validate ?? storeValidator
  const maxAttempts = options.maxAttempts ?? DEFAULT_PLAN_ATTEMPTS
  const started = Date.now()
  const messages: Message[] = [
    { role: 'system', content: PLANNER_SYSTEM_PROMPT },
    userMessage(
      buildPlanRequest({
        projectName: project.name,
        projectDescription: project.description,
        workspace: project.workspace,
        spec: options.spec,
      }),
    ),
  ]
  let usage = emptyUsage()
  let costUsd = 0
  let problems: string[] = []

  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    const reply = await callModel(
      stream,
      model,
      { messages, tools: [submitPlanTool()], ...(options.signal ? { signal: options.signal } : {}) },
      options.callOptions,
    )
    if (!reply.ok)
      throw new PlanModelError(reply.error.kind, reply.error.message, { usage, costUsd }, reply.error)
    usage = addUsage(usage, reply.usage)
    costUsd += computeCost(model.info, reply.usage)
    messages.push(reply.message)

    const calls = toolCallsOf(reply.message)
    const planCall = calls.find((call) => call.name === SUBMIT_PLAN)
    const check = planCall
      ? checkPlanArguments(planCall.arguments, validate)
      : { ok: false as const, problems: [NO_PLAN_PROBLEM] }
    if (check.ok) {
      const result = { plan: check.tasks, attempts: attempt, usage, costUsd, dryRun: options.dryRun ?? false }
      const tasks = options.dryRun
        ? []
        : await savePlan(options.store!, {
            projectId: project.id,
            modelId: model.id,
            plan: check.tasks,
            usage,
            costUsd,
            durationMs: Date.now() - started,
          })
      return { ...result, tasks, durationMs: Date.now() - started }
    }

    problems = check.problems
    options.onRejected?.({ attempt, maxAttempts, problems })
    // Every call gets a result so the conversation stays valid; the plan's carries the problems.
    const results: ToolResultMessage[] = calls.map((call) =>
      toolResultMessage(
        call,
        call === planCall
          ? rejectionMessage(problems)
          : call.name === SUBMIT_PLAN
            ? `Ignored: only the first ${SUBMIT_PLAN} call of a reply is considered.`
            : unknownToolMessage(call.name),
        { isError: true },
      ),
    )
    messages.push(...results)
    if (!planCall) messages.push(userMessage(NO_PLAN_PROBLEM))
  }
  throw new PlanRejectedError(maxAttempts, problems, { usage, costUsd })
}

/** A validated plan and what producing it cost: what `savePlan` stores. */
export interface PlanToSave {
  projectId: number
  /** The model that planned (recorded on the plan's run). */
  modelId: string
  plan: PlanTask[]
  usage: Usage
  costUsd: number
  durationMs: number
}

/**
 * Stores a validated plan in one transaction: its tasks, a completed run recording the model's
 * usage, and the project's totals. `planProject` does it itself; a plan made elsewhere (a dry run
 * on a worker, for the server that was asked) is stored with this.
 */
export function savePlan(store: AnyStore, toSave: PlanToSave): Promise<Task[]> {
  const { projectId, usage, costUsd } = toSave
  return asAsyncStore(store).transaction(async (tx) => {
    const tasks = await tx.createPlan(projectId, toSave.plan)
    const run = await tx.startRun({ projectId, model: toSave.modelId })
    await tx.finishRun(run.id, {
      status: 'completed',
      inputTokens: usage.inputTokens,
      outputTokens: usage.outputTokens,
      cacheReadTokens: usage.cacheReadTokens,
      cacheWriteTokens: usage.cacheWriteTokens,
      costUsd,
      finalText: `planned ${tasks.length} tasks`,
    })
    await tx.addProjectUsage(projectId, {
      tokens: usage.totalTokens,
      costUsd,
      seconds: toSave.durationMs / 1000,
    })
    return tasks
  })
}
