import { dirname } from 'node:path'
import { describeSandbox, projectEngineSettings, projectRoleAgents } from '@penguin-ai/config'
import { preloadModel } from '@penguin-ai/llm'
import type { ProjectRunEvent } from '@penguin-ai/projects'
import { parseSandboxMode } from '../args.js'
import { CliError, EXIT } from '../cli-error.js'
import { parseSubcommand, parseWholeNumber } from '../flags.js'
import { onInterrupt } from '../interrupt.js'
import { formatCost, formatDuration, formatTokens } from '../render/format.js'
import { LineReader } from '../render/line-reader.js'
import { promptOn, terminalPermissionPrompt } from '../render/permission-prompt.js'
import { prepareProjectAgent } from '../setup.js'
import { requireSqliteDriver } from '../store/driver.js'
import { withStore } from '../store/open.js'
import { printHelp } from './help-text.js'
import { projectRef } from './project.js'
import { PROJECT } from './spec/store.js'

/** `penguin project run <project>`: agents work through the task graph. */
export async function projectRunCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseSubcommand(argv, PROJECT, 'run')
  if (values.help) {
    return printHelp(['project', 'run'])
  }
  const ref = projectRef(positionals, 'run')
  const maxTasks =
    values['max-tasks'] === undefined ? undefined : parseWholeNumber('--max-tasks', values['max-tasks'], 1)
  const maxIterations =
    values['max-iterations'] === undefined
      ? undefined
      : parseWholeNumber('--max-iterations', values['max-iterations'], 1)
  const parallelFlag =
    values.parallel === undefined ? undefined : parseWholeNumber('--parallel', values.parallel, 1)
  // The projects package loads the store, and with it the driver: check that first.
  requireSqliteDriver()
  const { runProject, parseRoles, normalizeRoles, RepositoryError, prepareProcessRunner } = await import(
    '@penguin-ai/projects'
  )
  // A parallel run's git commands start from a thread of their own: it boots while the run is set up.
  if (parallelFlag !== undefined) prepareProcessRunner()
  let rolesFlag: ReturnType<typeof parseRoles> | undefined
  try {
    rolesFlag = values.roles === undefined ? undefined : parseRoles(values.roles)
  } catch (error) {
    throw new CliError(`--roles: ${(error as Error).message}.`, EXIT.usage)
  }

  return withStore(values.db, async (store) => {
    const project = store.requireProject(ref)
    const setup = await prepareProjectAgent(project, {
      model: values.model,
      baseUrl: values['base-url'],
      maxIterations,
      sandbox: values.sandbox === undefined ? undefined : parseSandboxMode(values.sandbox),
      network: values.network,
      db: values.db,
    })
    if (!setup.sandbox.instance && !values.json) {
      process.stderr.write(`! ${describeSandbox(setup.sandbox)}\n`)
    }
    // Loaded while the run starts (the repository check, the first worktrees), not by the first task.
    void preloadModel(setup.model)
    const sessions = import('@penguin-ai/sessions')
    const parallel = parallelFlag ?? setup.config.projects?.parallel
    if (parallel !== undefined) prepareProcessRunner()
    const roles = normalizeRoles(rolesFlag ?? setup.config.projects?.roles)
    const roleAgents = await projectRoleAgents(setup, roles)
    // Unattended by default: the agent's actions are confined to the workspace and every one is
    // recorded. --ask brings back the prompts, at a terminal.
    const ask = (values.ask ?? false) && !values.yes
    if (!ask) await confirmUnattended(project.name, values.yes ?? false)
    const reader =
      ask && process.stdin.isTTY ? new LineReader(process.stdin, process.stderr, true) : undefined
    const controller = new AbortController()
    const interrupt = onInterrupt(
      () => controller.abort(),
      (text) => process.stderr.write(text),
    )
    reader?.onInterrupt(interrupt.handle)
    try {
      const result = await runProject({
        store,
        project: project.id,
        model: setup.model,
        workspace: setup.workspace,
        autoApprove: values['auto-approve'] ?? false,
        ...(maxTasks ? { maxTasks } : {}),
        ...(parallel ? { parallel } : {}),
        roles,
        roleAgents: roleAgents.agents,
        engine: projectEngineSettings(setup, {
          autoApprove: !ask,
          ...(reader
            ? {
                askPermission: terminalPermissionPrompt(
                  reader,
                  (text) => process.stderr.write(text),
                  promptOn(process.stderr),
                ),
              }
            : {}),
        }),
        signal: controller.signal,
        onEvent: values.json ? jsonProgress : humanProgress,
        // Each task's agent is a stored session of the project: resumable, checkpointed, with memory.
        createAgent: async (engineOptions, { project: owner, task, role, worktree }) => {
          const { AgentSession } = await sessions
          const agent = await AgentSession.open({
            store,
            engine: engineOptions,
            choice: {
              projectId: owner.id,
              title: `task ${task.id}${role === 'build' ? '' : ` (${role})`}: ${task.title}`,
            },
            // In a worktree, the task's branch (a commit after every role) is its history.
            ...(store.path === ':memory:' || !setup.checkpoints.enabled || worktree
              ? {}
              : { dataDir: dirname(store.path) }),
            retention: setup.checkpoints.retention,
          })
          return { run: (prompt, options) => agent.run(prompt, options), close: () => agent.close() }
        },
      })
      if (result.status === 'aborted') return EXIT.interrupted
      const bad =
        result.counts.failed > 0 ||
        result.outcomes.some((outcome) => outcome.status === 'blocked') ||
        result.status === 'failed' ||
        result.status === 'budget_exhausted'
      return bad ? EXIT.failed : EXIT.ok
    } catch (error) {
      if (error instanceof RepositoryError) throw new CliError(`--parallel: ${error.message}.`, EXIT.usage)
      throw error
    } finally {
      interrupt.dispose()
      reader?.close()
    }
  })
}

function jsonProgress(event: ProjectRunEvent): void {
  if (event.type === 'task.agent') return
  process.stdout.write(`${JSON.stringify(event)}\n`)
}

/** One line per task: `[3/12] title … done, 4.2k tokens, $0.01, 38 s`. */
function humanProgress(event: ProjectRunEvent): void {
  const out = (text: string) => process.stdout.write(`${text}\n`)
  switch (event.type) {
    case 'project.started':
      if (event.reset.length)
        out(
          `Reset ${event.reset.length} task(s) left in progress by an earlier run: ${event.reset.map((t) => t.id).join(', ')}`,
        )
      out(
        `Running project ${event.project.id} "${event.project.name}" (${event.total} tasks${event.parallel ? `, up to ${event.parallel} at once in git worktrees` : ''})`,
      )
      return
    case 'task.started':
      if (event.worktree)
        out(
          `[${event.index}/${event.total}] ${event.task.title} … started in ${event.worktree} (${event.branch})`,
        )
      return
    case 'task.split':
      out(
        `    split task ${event.task.id} into ${event.subtasks.map((kid) => `${kid.id} ${kid.title}`).join('; ')}`,
      )
      return
    case 'task.merged':
      out(`    merged ${event.branch}${event.commit ? ` (${event.commit.slice(0, 10)})` : ''}`)
      return
    case 'task.finished': {
      const why =
        (event.status === 'failed' || event.status === 'blocked' || event.status === 'review') && event.reason
          ? ` (${event.reason})`
          : ''
      out(
        `[${event.index}/${event.total}] ${event.task.title} … ${event.status}${why}, ${formatTokens(event.tokens)} tokens, ${formatCost(event.costUsd)}, ${formatDuration(event.durationMs)}`,
      )
      if (event.status === 'failed' && event.verify) {
        const tail = event.verify.output.trim().split('\n').slice(-10)
        for (const line of tail) out(`    ${line}`)
      }
      if (event.status === 'blocked' && event.task.resultSummary) {
        const shown = event.task.resultSummary.trim().split('\n').slice(0, 40)
        for (const line of shown) out(`    ${line}`)
      }
      if (event.branch && event.status !== 'done' && event.status !== 'pending')
        out(`    kept ${event.branch} in ${event.worktree}`)
      return
    }
    case 'project.finished':
      out(
        `${event.message}. ${event.counts.done} done, ${event.counts.review} in review, ${event.counts.failed} failed,${event.counts.blocked ? ` ${event.counts.blocked} blocked,` : ''} ${event.counts.pending} pending; ${formatTokens(event.tokens)} tokens, ${formatCost(event.costUsd)}, ${formatDuration(event.durationMs)}`,
      )
      return
    default:
      return
  }
}

/** What an unattended run means, said before it starts. */
export const UNATTENDED_NOTICE =
  'Tasks run without asking: every write and command the agents make is auto-approved; the sandbox and your deny rules are the limits.'

/**
 * Says that tasks will run without asking, and at a terminal asks to go ahead (unless --yes).
 * Without a terminal (a script, CI) the notice is printed and the run starts.
 */
async function confirmUnattended(name: string, yes: boolean): Promise<void> {
  process.stderr.write(`${UNATTENDED_NOTICE}\n`)
  if (yes || !process.stdin.isTTY || !process.stderr.isTTY) return
  const reader = new LineReader(process.stdin, process.stderr, true)
  try {
    const answer = (
      await reader.read(`Start running "${name}"? (--yes skips this, --ask asks before each change) [y/N] `)
    )
      ?.trim()
      .toLowerCase()
    if (answer !== 'y' && answer !== 'yes') throw new CliError('Nothing was run.', EXIT.failed)
  } finally {
    reader.close()
  }
}
