/**
 * Plans through the queue (`POST /projects/{id}/plan` on a server with a database URL). The route
 * keeps its contract — it answers with the plan — so the server that accepted the request waits:
 * it queues a plan job, a worker asks the model and puts the validated plan (a dry run: the worker
 * stores no task) or the error planning ended with in the job's lease and tells the waiting server
 * (a control message); that server stores the tasks in one transaction, as planning in-process
 * does, and answers. So a worker that dies mid-plan leaves nothing behind (another plans again),
 * and a plan is stored by the server whose client gets the answer, once.
 */
import { type PlanTask, PlanTaskSchema, planProject } from '@penguin-ai/projects'
import { z } from 'zod'
import { HttpError, type ServerDeps } from '../deps.js'
import { toHttpError } from '../http/errors.js'
import type { LogCallback } from '../log.js'
import { planError } from '../projects/plan.js'
import type { Execution } from './execution.js'
import { newQueuedRunId, type PlanJob } from './job.js'
import { getLease, insertLease, type LeaseRow, type LeaseStatus, requestCancel } from './leases.js'
import type { QueueConnection } from './pg.js'
import { finishUnrun } from './unrun.js'

/** How long a plan request waits for a worker's plan by default (seconds). */
export const DEFAULT_PLAN_TIMEOUT_SECONDS = 600

const UsageSchema = z.object({
  inputTokens: z.number(),
  outputTokens: z.number(),
  cacheReadTokens: z.number(),
  cacheWriteTokens: z.number(),
  cachedInputTokens: z.number(),
  totalTokens: z.number(),
})

/** What a plan job's lease holds once it ended: the plan, or the HTTP error to answer with. */
const PlanOutcomeSchema = z.union([
  z.object({
    planned: z.object({
      plan: z.array(PlanTaskSchema),
      attempts: z.number().int(),
      usage: UsageSchema,
      costUsd: z.number(),
      durationMs: z.number(),
    }),
  }),
  z.object({
    refused: z.object({
      status: z.number().int(),
      code: z.string(),
      message: z.string(),
      details: z.unknown().optional(),
    }),
  }),
])

export interface QueuedPlan {
  plan: PlanTask[]
  attempts: number
  usage: z.infer<typeof UsageSchema>
  costUsd: number
  durationMs: number
}

/** The worker's side: plans as a dry run; the outcome (never a throw) is what the lease stores. */
export function startPlanJob(deps: ServerDeps, job: PlanJob, log: LogCallback): Execution {
  const controller = new AbortController()
  const finished = (async (): Promise<{ status: LeaseStatus; record: Record<string, unknown> }> => {
    try {
      const project = await deps.store.requireProject(job.projectId)
      const result = await planProject({
        project,
        spec: job.spec,
        model: deps.resolveModel(job.model),
        dryRun: true,
        signal: controller.signal,
      })
      const { plan, attempts, usage, costUsd, durationMs } = result
      return { status: 'completed', record: { planned: { plan, attempts, usage, costUsd, durationMs } } }
    } catch (error) {
      const refused = toHttpError(planError(error))
      if (refused.status === 500)
        log(`planning project ${job.projectId} failed`, error, { projectId: job.projectId })
      const { status, code, message, details } = refused
      return {
        status: controller.signal.aborted ? 'aborted' : 'failed',
        record: { refused: { status, code, message, ...(details === undefined ? {} : { details }) } },
      }
    }
  })()
  return {
    finished,
    cancel: () => controller.abort(),
    handBack: async () => {
      controller.abort()
      await finished
    },
  }
}

/** What the server asks a worker to plan. */
export type PlanRequest = Omit<PlanJob, 'kind' | 'runId' | 'replyTo'>

/**
 * The server's side: queues the plan and waits — until a worker says its outcome is in the lease,
 * the client goes away (`signal`), or `timeoutSeconds` pass. A plan still queued or in progress
 * then is cancelled (its worker stops) and the answer is 503.
 */
export async function queuePlan(
  connection: QueueConnection,
  deps: ServerDeps,
  request: PlanRequest,
  signal: AbortSignal,
  timeoutSeconds: number,
): Promise<QueuedPlan> {
  if (signal.aborted) throw interrupted()
  const { sql } = connection
  const coordination = deps.coordination
  const job: PlanJob = {
    kind: 'plan',
    runId: newQueuedRunId(),
    ...request,
    ...(coordination ? { replyTo: coordination.nodeId } : {}),
  }
  let wake: () => void = () => {}
  const woken = new Promise<void>((resolve) => {
    wake = resolve
  })
  const stopListening = coordination?.onControl((message) => {
    if (message.kind === 'finished' && message.runId === job.runId) wake()
  })
  signal.addEventListener('abort', wake, { once: true })
  const timer = setTimeout(wake, timeoutSeconds * 1_000)
  try {
    await insertLease(sql, job)
    await connection.send(job)
    await woken
    const row = await getLease(sql, job.runId)
    if (row?.finished_at) return planOutcome(row)
    // Still queued or planning: nobody waits for it any more.
    const cancelled = await requestCancel(sql, job.runId)
    if (cancelled && !cancelled.finished_at) {
      if (cancelled.worker_id === null)
        await finishUnrun(sql, deps.events, cancelled, null, 'aborted', {
          kind: 'aborted',
          message: 'the plan was cancelled before a worker took it',
        })
      else await connection.control(job.runId)
    }
    if (signal.aborted) throw interrupted()
    throw new HttpError(
      503,
      'unavailable',
      `no worker finished planning within ${timeoutSeconds} s: is a penguin worker running with a --root above ${job.workspace}?`,
      { reason: 'timeout' },
    )
  } finally {
    stopListening?.()
    clearTimeout(timer)
    signal.removeEventListener('abort', wake)
  }
}

function interrupted(): HttpError {
  return new HttpError(503, 'unavailable', 'planning was interrupted', { reason: 'aborted' })
}

/**
 * The server's side, once the lease is finished: the plan, or the refusal thrown as the HttpError
 * planning in-process would have thrown. A plan cancelled before a worker took it (its client went
 * away) reads as interrupted.
 */
function planOutcome(row: Pick<LeaseRow, 'status' | 'record'>): QueuedPlan {
  const parsed = PlanOutcomeSchema.safeParse(row.record)
  if (parsed.success) {
    const outcome = parsed.data
    if ('planned' in outcome) return outcome.planned
    const { status, code, message, details } = outcome.refused
    throw new HttpError(status, code, message, details)
  }
  if (row.status === 'aborted') throw interrupted()
  throw new HttpError(500, 'internal', 'internal server error')
}
