/**
 * `--root` on every route: a session or project whose workspace lies outside the server's root is
 * answered exactly as one that does not exist (404), whoever created it — the CLI shares the
 * database, so sessions from anywhere on the machine are in it. Routes look records up through
 * these functions, never through the store directly.
 */
import { isAbsolute, relative, sep } from 'node:path'
import {
  type Checkpoint,
  NotFoundError,
  type Project,
  type Session,
  type Task,
  ValidationError,
} from '@penguin-ai/store'
import type { ServerDeps } from '../deps.js'

/** Whether a stored workspace (a real path) is the root or lies under it. */
export function insideRoot(root: string, workspace: string): boolean {
  const rel = relative(root, workspace)
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel))
}

export async function visibleSession(deps: ServerDeps, ref: string): Promise<Session> {
  let session: Session
  try {
    session = await deps.store.requireSession(ref)
  } catch (error) {
    // An ambiguous prefix is resolved among the visible sessions only: the store's answer would
    // name sessions outside the root.
    if (error instanceof ValidationError && error.field === 'id' && /ambiguous/.test(error.message))
      return visiblePrefix(deps, ref)
    throw error
  }
  if (!insideRoot(deps.config.root, session.workspace)) throw new NotFoundError('session', ref)
  return session
}

async function visiblePrefix(deps: ServerDeps, ref: string): Promise<Session> {
  const prefix = ref.trim().toLowerCase()
  const wanted = prefix.startsWith('ses_') ? prefix : `ses_${prefix}`
  const matches = (await deps.store.listSessions({ under: deps.config.root })).filter((session) =>
    session.id.startsWith(wanted),
  )
  const [only] = matches
  if (!only) throw new NotFoundError('session', ref)
  if (matches.length > 1) {
    const listed = matches.slice(0, 5).map((session) => session.id)
    throw new ValidationError(
      `session "${ref}" is ambiguous: it matches ${listed.join(', ')}${matches.length > 5 ? ', …' : ''}; give more of the id`,
      'id',
    )
  }
  return only
}

/** A project without a workspace touches no files: it is visible (it cannot run until it has one). */
export function isVisibleProject(deps: ServerDeps, project: Project): boolean {
  return project.workspace === null || insideRoot(deps.config.root, project.workspace)
}

export async function visibleProject(deps: ServerDeps, ref: number): Promise<Project> {
  const project = await deps.store.requireProject(ref)
  if (!isVisibleProject(deps, project)) throw new NotFoundError('project', ref)
  return project
}

export async function visibleTask(deps: ServerDeps, id: number): Promise<Task> {
  const task = await deps.store.requireTask(id)
  const project = await deps.store.requireProject(task.projectId)
  if (!isVisibleProject(deps, project)) throw new NotFoundError('task', id)
  return task
}

export async function visibleCheckpoint(deps: ServerDeps, id: number): Promise<Checkpoint> {
  const checkpoint = await deps.store.requireCheckpoint(id)
  const session = await deps.store.getSession(checkpoint.sessionId)
  if (!session || !insideRoot(deps.config.root, session.workspace)) throw new NotFoundError('checkpoint', id)
  return checkpoint
}

/**
 * Memory scopes name what they belong to: `workspace:<path>` must lie under the root, and
 * `project:<id>` must not be a project outside it; other scopes are free-form labels.
 */
export async function isVisibleScope(deps: ServerDeps, scope: string): Promise<boolean> {
  if (scope.startsWith('workspace:')) return insideRoot(deps.config.root, scope.slice('workspace:'.length))
  if (scope.startsWith('project:')) {
    const id = Number(scope.slice('project:'.length))
    const project = Number.isSafeInteger(id) ? await deps.store.getProject(id) : undefined
    return project === undefined || isVisibleProject(deps, project)
  }
  return true
}
