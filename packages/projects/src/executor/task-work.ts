/**
 * One task from `in_progress` to where it ends: its roles in order (plan → build → test → review),
 * its verify command, and — in a worktree — the commit and the merge back into the project branch.
 */
import { asAsyncStore, type Project, type Task } from '@penguin-ai/store'
import { buildPrompt, planPrompt, reviewPrompt, testPrompt } from '../roles/prompts.js'
import {
  criteriaAskForTests,
  normalizeRoles,
  type ProjectRole,
  reviewVerdict,
  type SplitTask,
  splitTaskTool,
} from '../roles/roles.js'
import type { ProjectRepo } from '../worktrees/repo.js'
import { commitWorktree, type TaskWorktree, worktreeDiff } from '../worktrees/task-worktree.js'
import { type AttemptResult, failureReason, runAttempt, type TaskPlace } from './attempt.js'
import type { MergeQueue } from './merge-queue.js'
import { storedText } from './redact.js'
import type { RunProjectOptions, TaskOutcome } from './types.js'
import { runVerify, type VerifyResult } from './verify.js'

/** A task's worktree and what merging it back needs. */
export interface WorktreeContext {
  repo: ProjectRepo
  tree: TaskWorktree
  /** Merges into the project branch (one batch at a time, with anything else touching it). */
  merge: MergeQueue
  /** Removes a merged task's worktree and branch in the background (the run waits for it at its end). */
  cleanUp: (tree: TaskWorktree) => void
  /**
   * Called once the task has only its merge left, before it waits for its turn to merge: the run
   * may start its next task meanwhile.
   */
  mergeOnly?: () => void
}

export interface TaskWork {
  options: RunProjectOptions
  project: Project
  /** The task, already `in_progress`. */
  task: Task
  index: number
  total: number
  place: TaskPlace
  signal: AbortSignal
  worktree?: WorktreeContext
  /** Files a resumed worktree was left with conflict markers in, after catching up with the project branch. */
  conflicts?: string[]
  /** True once tasks running alongside spent the project's budget (the signal then aborted). */
  projectBudgetSpent?: () => boolean
}

type Spent = Pick<TaskOutcome, 'tokens' | 'costUsd' | 'durationMs' | 'index' | 'total'>

export async function workOnTask(work: TaskWork): Promise<TaskOutcome> {
  const { options, task } = work
  const store = asAsyncStore(options.store)
  const started = Date.now()
  const roles = normalizeRoles(options.roles)
  const spent: Spent = { tokens: 0, costUsd: 0, durationMs: 0, index: work.index, total: work.total }
  const kept = work.worktree ? { branch: work.worktree.tree.branch, worktree: work.worktree.tree.dir } : {}
  const dependencies = await store.getDependencies(task.id)
  const redact = storedText(options)

  const attempt = async (
    role: ProjectRole,
    prompt: string,
    extraTools?: Parameters<typeof splitTaskTool>[0],
  ) => {
    // Only with roles configured: a plain build-only run reports what it always reported.
    if (roles.length > 1) options.onEvent?.({ type: 'task.role', task, role })
    const agent = options.roleAgents?.[role]
    const result = await runAttempt(options, {
      project: work.project,
      task,
      role,
      ...(agent ? { agent } : {}),
      prompt,
      place: work.place,
      spent: { tokens: spent.tokens, costUsd: spent.costUsd },
      signal: work.signal,
      ...(extraTools ? { extraTools: [splitTaskTool(extraTools)] } : {}),
    })
    spent.tokens += result.tokens
    spent.costUsd += result.costUsd
    return result
  }
  const finish = (outcome: Omit<TaskOutcome, keyof Spent>): TaskOutcome => ({
    ...spent,
    durationMs: Date.now() - started,
    ...outcome,
  })
  /** An agent run that did not complete: interrupted (back to pending) or failed. */
  const stopped = async (result: AttemptResult): Promise<TaskOutcome> => {
    if (result.status === 'aborted' && !work.projectBudgetSpent?.()) {
      const back = await store.transitionTask(task.id, 'pending', { reason: null })
      return finish({ task: back, status: 'pending', reason: 'interrupted', code: 'interrupted', ...kept })
    }
    const reason = failureReason(result, work.projectBudgetSpent?.() ?? false)
    const failed = await store.transitionTask(task.id, 'failed', {
      summary: redact(result.result.text || reason.text),
      reason: reason.code,
    })
    return finish({ task: failed, status: 'failed', reason: reason.text, code: reason.code, ...kept })
  }
  // Whether the task's branch has commits of its own (a resumed one may have from before).
  let changed = work.worktree?.tree.resumed ?? false
  const commit = async (what: string) => {
    if (!work.worktree) return
    const tree = work.worktree.tree
    if (await commitWorktree(work.worktree.repo, tree, `task ${task.id} (${what}): ${task.title}`))
      changed = true
  }

  // plan: a top-level task that is too big becomes a container of subtasks.
  let plan: string | undefined
  if (
    roles.includes('plan') &&
    task.parentId === null &&
    (await store.listTasks(task.projectId, { parentId: task.id })).length === 0
  ) {
    let split: SplitTask | undefined
    const planned = await attempt('plan', planPrompt(work.project, task, dependencies), (value) => {
      split = value
    })
    if (planned.status !== 'completed') return stopped(planned)
    if (split) return splitInto(work, split, finish)
    plan = planned.result.text
  }

  let objections: string | undefined
  let summary = ''
  let verify: VerifyResult | undefined
  for (let round = 0; ; round++) {
    const built = await attempt(
      'build',
      buildPrompt(work.project, task, dependencies, {
        ...(plan ? { plan } : {}),
        ...(objections ? { objections } : {}),
        ...(round === 0 && work.worktree && work.conflicts?.length
          ? { conflicts: { branch: work.worktree.repo.branch, files: work.conflicts } }
          : {}),
      }),
    )
    if (built.status !== 'completed') return stopped(built)
    summary = built.result.text
    await commit('build')

    if (roles.includes('test') && criteriaAskForTests(task.acceptanceCriteria)) {
      const tested = await attempt('test', testPrompt(work.project, task, summary))
      if (tested.status !== 'completed') return stopped(tested)
      await commit('test')
    }

    if (task.verifyCommand) {
      options.onEvent?.({ type: 'task.verifying', task, command: task.verifyCommand })
      verify = await runVerify(task.verifyCommand, work.place.workspace.root, {
        ...(options.verifyTimeoutMs ? { timeoutMs: options.verifyTimeoutMs } : {}),
        ...(options.signal ? { signal: options.signal } : {}),
        // Verify commands run where the agent's commands run: in its sandbox, when it has one.
        ...(work.place.sandbox ? { sandbox: work.place.sandbox } : {}),
      })
      if (!verify.passed) {
        const why = verify.timedOut
          ? 'verify command timed out'
          : `verify command exited ${verify.exitCode ?? 'abnormally'}`
        const failed = await store.transitionTask(task.id, 'failed', {
          summary: redact(`${why}: ${task.verifyCommand}\n${verify.output}`),
          reason: 'verify_failed',
        })
        return finish({ task: failed, status: 'failed', reason: why, code: 'verify_failed', verify, ...kept })
      }
    }

    if (!roles.includes('review')) break
    const diff = await changesOf(work)
    const reviewed = await attempt('review', reviewPrompt(work.project, task, diff, summary))
    if (reviewed.status !== 'completed') return stopped(reviewed)
    const verdict = reviewVerdict(reviewed.result.text)
    if (verdict.approved) break
    if (round >= 1) {
      // Objections after one round of fixes: a person decides.
      const review = await store.transitionTask(task.id, 'review', {
        summary: redact(`the reviewer still asks for changes:\n${verdict.text}`),
        reason: 'review_objections',
      })
      return finish({
        task: review,
        status: 'review',
        reason: 'the reviewer still asks for changes',
        code: 'review_objections',
        ...(verify ? { verify } : {}),
        ...kept,
      })
    }
    objections = verdict.text
  }

  // Approved by a verify command, a reviewer or the user's auto-approval: done (merged first).
  const approved = Boolean(task.verifyCommand) || roles.includes('review') || options.autoApprove
  if (!approved) {
    const next = await store.transitionTask(task.id, 'review', { summary: redact(summary) || null })
    return finish({ task: next, status: 'review', reason: 'no verify command', ...kept })
  }
  if (work.worktree) {
    const merged = await mergeBack(work, work.worktree, changed)
    if (!merged.ok) {
      const blocked = await store.transitionTask(task.id, 'blocked', {
        summary: redact(merged.conflict),
        reason: merged.files.length ? 'merge_conflict' : 'merge_failed',
      })
      return finish({
        task: blocked,
        status: 'blocked',
        reason: `${merged.files.length ? `merge conflict in ${merged.files.join(', ')}` : merged.conflict}; branch ${work.worktree.tree.branch} kept`,
        code: merged.files.length ? 'merge_conflict' : 'merge_failed',
        ...(verify ? { verify } : {}),
        ...kept,
      })
    }
  }
  const done = await store.transitionTask(task.id, 'done', { summary: redact(summary) || 'verified' })
  return finish({ task: done, status: 'done', ...(verify ? { verify } : {}) })
}

/** Merges the task's branch (with any others waiting, see merge-queue.ts); on success its worktree and branch go. */
async function mergeBack(
  work: TaskWork,
  context: WorktreeContext,
  changed: boolean,
): Promise<{ ok: true } | { ok: false; files: string[]; conflict: string }> {
  const { tree } = context
  context.mergeOnly?.()
  let merged: { ok: true } | { ok: false; files: string[]; conflict: string }
  try {
    const outcome = await context.merge({
      branch: tree.branch,
      message: `Merge task ${work.task.id}: ${work.task.title}`,
      changed,
    })
    if (outcome.merged) {
      work.options.onEvent?.({
        type: 'task.merged',
        task: work.task,
        branch: tree.branch,
        commit: outcome.commit,
      })
      merged = { ok: true }
    } else merged = { ok: false, files: outcome.files, conflict: outcome.conflict }
  } catch (error) {
    // The workspace moved under us (another branch, edits in the way): nothing merged, branch kept.
    merged = { ok: false, files: [], conflict: `could not merge ${tree.branch}: ${(error as Error).message}` }
  }
  if (merged.ok) context.cleanUp(tree)
  return merged
}

/** What the task changed, for the reviewer: its worktree's diff, or the workspace's against HEAD. */
async function changesOf(work: TaskWork): Promise<string> {
  if (work.worktree) return worktreeDiff(work.worktree.repo, work.worktree.tree)
  const { git } = await import('../worktrees/git.js')
  const result = await git(work.place.workspace.root, ['diff', '--no-color', 'HEAD'])
  return result.code === 0
    ? result.stdout.slice(0, 30_000)
    : '(not a git repository: read the files the engineer named)'
}

/** Stores the plan role's subtasks under the task, which goes back to pending as their container. */
async function splitInto(
  work: TaskWork,
  split: SplitTask,
  finish: (outcome: Omit<TaskOutcome, keyof Spent>) => TaskOutcome,
): Promise<TaskOutcome> {
  const store = asAsyncStore(work.options.store)
  const { task } = work
  const created = await store.transaction(async (tx) => {
    const ids = new Map<string, number>()
    const made: Task[] = []
    for (const subtask of split.subtasks) {
      const kid = await tx.createTask({
        projectId: task.projectId,
        parentId: task.id,
        title: subtask.title,
        description: subtask.description ?? null,
        acceptanceCriteria: subtask.acceptance_criteria ?? [],
        verifyCommand: subtask.verify_command ?? null,
        priority: task.priority,
        dependsOn: (subtask.depends_on ?? []).map((key) => ids.get(key) as number),
      })
      ids.set(subtask.key, kid.id)
      made.push(kid)
    }
    return made
  })
  const back = await store.transitionTask(task.id, 'pending', {
    summary: `split into ${created.length} subtasks: ${created.map((kid) => kid.id).join(', ')}`,
  })
  work.options.onEvent?.({ type: 'task.split', task: back, subtasks: created })
  const kept = work.worktree ? { branch: work.worktree.tree.branch, worktree: work.worktree.tree.dir } : {}
  return finish({
    task: back,
    status: 'pending',
    reason: `split into ${created.length} subtasks`,
    code: 'split',
    ...kept,
  })
}
