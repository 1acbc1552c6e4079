/**
 * How a worker runs each kind of queued job, behind one shape: started, it can be cancelled (the
 * user asked) or stopped to be handed back (the worker is leaving), and it settles with the outcome
 * to record in the run's lease.
 */
import { projectRoleAgents } from '@penguin-ai/config'
import { normalizeRoles } from '@penguin-ai/projects'
import type { ServerDeps } from '../deps.js'
import type { LogCallback } from '../log.js'
import { projectRunner } from '../projects/runner.js'
import { agentSetup } from '../runtime/agent-setup.js'
import type { RunEndReport } from '../runtime/run-drive.js'
import type { RunManager } from '../runtime/run-manager.js'
import type { RunRecord } from '../runtime/run-record.js'
import { type ProjectRunJob, resumeNote, type SessionRunJob } from './job.js'
import type { ClaimedLease, LeaseRow, LeaseStatus } from './leases.js'

/** What a run ended with, as its lease records it. */
export interface Outcome {
  status: LeaseStatus
  record: Record<string, unknown>
}

export interface Execution {
  /** Settles once the run has ended and what it did is stored. */
  finished: Promise<Outcome>
  cancel(): void
  /** Stops the run without announcing its end (it goes back to the queue); resolves once stopped. */
  handBack(): Promise<void>
}

/**
 * A prompt to a session, run by the worker's RunManager under the queued run's id. `recordEnd`
 * (the lease's end) is awaited before the run's `run.finished` goes out, so a client that sees it
 * finds the session free on every server.
 */
export async function startSessionJob(
  manager: RunManager,
  lease: ClaimedLease,
  job: SessionRunJob,
  recordEnd: (outcome: Outcome, handled: readonly number[]) => Promise<RunEndReport | undefined>,
): Promise<Execution> {
  const content = promptFor(lease, job)
  const started = await manager.start(job.sessionId, content, {
    runId: job.runId,
    autoApprove: job.autoApprove,
    ...(job.agent !== undefined ? { agent: job.agent } : {}),
    onEnd: (record, messages) => recordEnd(outcomeOf(record), messages.handled),
  })
  return {
    finished: manager.whenFinished(started.id).then((record) => outcomeOf(record ?? started)),
    cancel: () => {
      try {
        manager.cancel(started.id)
      } catch {
        // Already over (409): nothing to abort.
      }
    },
    handBack: () => manager.handBack(started.id),
  }
}

function outcomeOf(record: RunRecord): Outcome {
  return { status: record.status as LeaseStatus, record: { ...record } }
}

/**
 * What the run is asked: its prompt, the first time; on a later attempt (its worker died), the
 * prompt again if it was never stored, else a note that it continues (the stored conversation
 * already holds the prompt and every completed turn).
 */
function promptFor(lease: ClaimedLease, job: SessionRunJob): string {
  // Both counted by the claim (leases.ts): before the first attempt, and now.
  const before = lease.record?.messagesBefore
  const stored = lease.messages_now
  if (typeof before !== 'number' || typeof stored !== 'number') return job.content
  return stored > before ? resumeNote(lease.attempts) : job.content
}

/**
 * A project run: the project's ready tasks, as `POST /projects/{id}/run` on a server would run them.
 * On a later attempt (its worker died) the task the dead run had in progress goes back to pending
 * first, and the run goes on with what is left.
 */
export async function startProjectJob(
  deps: ServerDeps,
  lease: LeaseRow,
  job: ProjectRunJob,
  log: LogCallback,
): Promise<Execution> {
  const { store } = deps
  const project = await store.requireProject(job.projectId)
  if (lease.attempts > 1) {
    for (const task of await store.listTasks(project.id))
      if (task.status === 'in_progress') await store.transitionTask(task.id, 'pending')
  }
  const setup = await agentSetup(deps, job.workspace, job.model, (message) =>
    log(message, undefined, { projectId: project.id }),
  )
  const roles = normalizeRoles(job.roles)
  const runner = projectRunner(deps, { log })
  const roleAgents = await projectRoleAgents(setup, roles)
  let handedBack = false
  const run = runner.start({
    id: job.runId,
    silenced: () => handedBack,
    project,
    setup,
    autoApprove: job.autoApprove,
    ...(job.maxTasks !== undefined ? { maxTasks: job.maxTasks } : {}),
    ...(job.parallel !== undefined ? { parallel: job.parallel } : {}),
    roles,
    roleAgents: roleAgents.agents,
  })
  return {
    finished: run.done.then(() => ({
      status: run.controller.signal.aborted ? 'aborted' : 'completed',
      record: { projectRunId: run.id, projectId: project.id },
    })),
    cancel: () => run.controller.abort(),
    handBack: async () => {
      handedBack = true
      run.controller.abort()
      await run.done
    },
  }
}
