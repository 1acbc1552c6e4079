/**
 * Project runs in the background: at most one per project, any number of projects at once. Each is
 * `runProject` with task agents bound to stored sessions (like `penguin project run`), its progress
 * published on the EventHub (see events.ts), abortable by cancel and by shutdown.
 */
import { randomBytes } from 'node:crypto'
import { type AgentSetup, projectEngineSettings } from '@penguin-ai/config'
import { type ProjectRole, type RoleAgents, runProject } from '@penguin-ai/projects'
import type { Project } from '@penguin-ai/store'
import { HttpError, type ServerDeps } from '../deps.js'
import { type LogCallback, SERVER_LOG } from '../log.js'
import { instrumentRun, type RunObservers, runParentContext } from '../runtime/run-telemetry.js'
import { storedTextRedactor } from '../runtime/stored-text.js'
import { sessionAgentFactory } from './agent.js'
import { projectRunPublisher } from './events.js'

export interface ActiveProjectRun {
  id: string
  projectId: number
  startedAt: string
  controller: AbortController
  /** Settles when the run has ended and its last event is published. */
  done: Promise<void>
}

export interface StartProjectRun {
  /** The run's id (a queued run's, chosen when it was queued); default: a new one. */
  id?: string
  /**
   * While true, the run's events are not published: a worker handing the run back to the queue
   * (another worker goes on under the same id, so this one's abort is not news).
   */
  silenced?: () => boolean
  project: Project
  /**
   * The agents' model, workspace (already checked to lie under the server's root) and settings, from
   * the project workspace's config as far as it is trusted: its deny rules hold here as in the CLI.
   */
  setup: AgentSetup
  /** Tasks without a verify command go to `done` instead of `review`. */
  autoApprove: boolean
  maxTasks?: number
  /** Up to this many tasks at once, each in its own git worktree. */
  parallel?: number
  roles?: ProjectRole[]
  roleAgents?: RoleAgents
}

export interface ProjectRunnerOptions extends RunObservers {
  /** Unexpected failures (a run that threw, a checkpoint that failed): for the operator. */
  log?: LogCallback
}

export class ProjectRunner {
  private readonly deps: ServerDeps
  private readonly runs = new Map<number, ActiveProjectRun>()
  /** The operator log (unexpected failures, ignored workspace settings). */
  readonly log: LogCallback
  private readonly observers: RunObservers
  private accepting = true

  constructor(deps: ServerDeps, options: ProjectRunnerOptions = {}) {
    this.deps = deps
    this.log = options.log ?? SERVER_LOG
    this.observers = { telemetry: options.telemetry, logger: options.logger }
  }

  /** The project's run in progress, if any. */
  active(projectId: number): ActiveProjectRun | undefined {
    return this.runs.get(projectId)
  }

  get activeCount(): number {
    return this.runs.size
  }

  /** Starts the run in the background; 409 while the project has one, 503 while shutting down. */
  start(options: StartProjectRun): ActiveProjectRun {
    const { project } = options
    if (!this.accepting) throw new HttpError(503, 'unavailable', 'the server is shutting down')
    const held = this.runs.get(project.id)
    if (held)
      throw new HttpError(409, 'conflict', `project ${project.id} is already running (run ${held.id})`, {
        project_run_id: held.id,
      })
    const controller = new AbortController()
    const id = options.id ?? newProjectRunId()
    // Every task's run hangs from the request that started the project run.
    const parentContext = runParentContext(this.observers)
    const { events } = this.deps
    const silenced = options.silenced
    const publisher = projectRunPublisher(
      silenced ? { publish: (type, data) => (silenced() ? undefined : events.publish(type, data)) } : events,
      { projectId: project.id, projectRunId: id },
    )
    const run: ActiveProjectRun = {
      id,
      projectId: project.id,
      startedAt: new Date().toISOString(),
      controller,
      done: Promise.resolve(),
    }
    this.runs.set(project.id, run)
    const { setup } = options
    run.done = runProject({
      store: this.deps.store,
      project: project.id,
      model: setup.model,
      workspace: setup.workspace,
      autoApprove: options.autoApprove,
      ...(options.maxTasks !== undefined ? { maxTasks: options.maxTasks } : {}),
      ...(options.parallel !== undefined ? { parallel: options.parallel } : {}),
      ...(options.roles ? { roles: options.roles } : {}),
      ...(options.roleAgents ? { roleAgents: options.roleAgents } : {}),
      // Unattended, like `penguin project run`: confinement, deny rules and the explicit yes that
      // writes into .git/ and .penguin/ need (which an unattended run cannot give) still apply.
      engine: projectEngineSettings(setup, { autoApprove: true }),
      signal: controller.signal,
      redact: storedTextRedactor(this.deps),
      onEvent: (event) => publisher.project(event),
      createAgent: sessionAgentFactory(this.deps, setup, {
        onSession: (taskId, sessionId) => publisher.taskSession(taskId, sessionId),
        onEngineEvent: (context, event) => publisher.engine(context, event),
        onCheckpointError: (error) =>
          this.log(`checkpoint failed in project ${project.id}`, error, {
            projectId: project.id,
            projectRunId: id,
          }),
        instrument: (engine, task) =>
          instrumentRun(engine, this.observers, {
            sessionId: task.sessionId,
            parentContext,
            attributes: {
              'penguin.project.id': task.projectId,
              'penguin.task.id': task.taskId,
              'penguin.project_run.id': id,
            },
          }),
      }),
    })
      .then(
        () => undefined,
        (error: unknown) => {
          this.log(`project run ${id} of project ${project.id} threw`, error, {
            projectId: project.id,
            projectRunId: id,
          })
          publisher.failed(error)
        },
      )
      .finally(() => {
        if (this.runs.get(project.id) === run) this.runs.delete(project.id)
        void setup.sandbox.instance?.close()
      })
    return run
  }

  /** Aborts the project's run (the task in progress goes back to pending); 404 when none is active. */
  cancel(projectId: number): ActiveProjectRun {
    const run = this.runs.get(projectId)
    if (!run) throw new HttpError(404, 'not_found', `project ${projectId} has no run in progress`)
    run.controller.abort()
    return run
  }

  /** Stops taking runs, aborts every one and waits (at most `timeoutMs`); true when all ended. */
  async shutdown(timeoutMs = 5_000): Promise<boolean> {
    this.accepting = false
    const done = [...this.runs.values()].map((run) => {
      run.controller.abort()
      return run.done
    })
    if (done.length === 0) return true
    let timer: NodeJS.Timeout | undefined
    const timeout = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), timeoutMs)
    })
    try {
      return await Promise.race([Promise.allSettled(done).then(() => true as const), timeout])
    } finally {
      clearTimeout(timer)
    }
  }
}

/** `prun_` + base36 time + random: sortable, unique, URL-safe. */
export function newProjectRunId(): string {
  return `prun_${Date.now().toString(36)}${randomBytes(5).toString('hex')}`
}

const runners = new WeakMap<ServerDeps, ProjectRunner>()

/**
 * The project runner of a server (one per `deps`): the projects and tasks routes share it, and
 * the server's shutdown calls `projectRunner(deps).shutdown()`.
 */
export function projectRunner(deps: ServerDeps, options?: ProjectRunnerOptions): ProjectRunner {
  let runner = runners.get(deps)
  if (!runner) {
    runner = new ProjectRunner(deps, options)
    runners.set(deps, runner)
  }
  return runner
}
