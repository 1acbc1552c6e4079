import { isAbsolute } from 'node:path'
import { asc, eq, sql } from 'drizzle-orm'
import { type Ctx, prepared, record, write } from './context.js'
import { ConflictError, NotFoundError, ValidationError } from './errors.js'
import { toProject } from './records.js'
import { projects } from './schema.js'
import {
  type NewProject,
  PROJECT_STATUSES,
  type Project,
  type ProjectPatch,
  type ProjectStatus,
  type Usage,
} from './types.js'
import { checkAmount, optionalAmount, optionalText, requireText } from './validation.js'

export function getProject(ctx: Ctx, id: number): Project | undefined {
  const statement = prepared(ctx, 'projects.byId', () =>
    ctx.db
      .select()
      .from(projects)
      .where(eq(projects.id, sql.placeholder('id')))
      .prepare(),
  )
  const row = statement.get({ id })
  return row ? toProject(row) : undefined
}

export function findProjectByName(ctx: Ctx, name: string): Project | undefined {
  const row = ctx.db.select().from(projects).where(eq(projects.name, name)).get()
  return row ? toProject(row) : undefined
}

export function requireProject(ctx: Ctx, ref: number | string): Project {
  if (typeof ref === 'number' || /^\d+$/.test(ref)) {
    const id = Number(ref)
    const project = getProject(ctx, id)
    if (!project) throw new NotFoundError('project', id)
    return project
  }
  const project = findProjectByName(ctx, ref)
  if (!project) throw new NotFoundError('project', ref)
  return project
}

export function listProjects(ctx: Ctx): Project[] {
  return ctx.db.select().from(projects).orderBy(asc(projects.id)).all().map(toProject)
}

export function createProject(ctx: Ctx, input: NewProject): Project {
  const name = projectName(input.name)
  const values = {
    name,
    description: optionalText(input.description, 'description') ?? null,
    workspace: projectWorkspace(input.workspace) ?? null,
    budgetTokens: optionalAmount(input.budgetTokens, 'budgetTokens', true) ?? null,
    budgetUsd: optionalAmount(input.budgetUsd, 'budgetUsd') ?? null,
    budgetSeconds: optionalAmount(input.budgetSeconds, 'budgetSeconds') ?? null,
  }
  return write(ctx, () => {
    assertNameFree(ctx, name)
    const now = new Date()
    const row = ctx.db
      .insert(projects)
      .values({ ...values, createdAt: now, updatedAt: now })
      .returning()
      .get()
    const project = toProject(row)
    record(ctx, { type: 'project.created', project }, now.getTime())
    return project
  })
}

export function updateProject(ctx: Ctx, id: number, patch: ProjectPatch): Project {
  const changes: Partial<typeof projects.$inferInsert> = {}
  if (patch.name !== undefined) changes.name = projectName(patch.name)
  if (patch.description !== undefined) changes.description = optionalText(patch.description, 'description')
  if (patch.workspace !== undefined) changes.workspace = projectWorkspace(patch.workspace)
  if (patch.budgetTokens !== undefined)
    changes.budgetTokens = optionalAmount(patch.budgetTokens, 'budgetTokens', true)
  if (patch.budgetUsd !== undefined) changes.budgetUsd = optionalAmount(patch.budgetUsd, 'budgetUsd')
  if (patch.budgetSeconds !== undefined)
    changes.budgetSeconds = optionalAmount(patch.budgetSeconds, 'budgetSeconds')
  if (patch.status !== undefined) changes.status = projectStatus(patch.status)
  return write(ctx, () => {
    const current = requireProject(ctx, id)
    if (changes.name !== undefined && changes.name !== current.name) assertNameFree(ctx, changes.name)
    const now = new Date()
    const row = ctx.db
      .update(projects)
      .set({ ...changes, updatedAt: now })
      .where(eq(projects.id, id))
      .returning()
      .get()
    if (!row) throw new NotFoundError('project', id)
    const project = toProject(row)
    record(ctx, { type: 'project.updated', project }, now.getTime())
    return project
  })
}

export function deleteProject(ctx: Ctx, id: number): void {
  write(ctx, () => {
    requireProject(ctx, id)
    ctx.db.delete(projects).where(eq(projects.id, id)).run()
    record(ctx, { type: 'project.deleted', projectId: id })
  })
}

export function addProjectUsage(ctx: Ctx, id: number, usage: Usage): Project {
  const tokens = checkAmount(usage.tokens, 'tokens', true)
  const costUsd = checkAmount(usage.costUsd, 'costUsd')
  const seconds = checkAmount(usage.seconds ?? 0, 'seconds')
  return write(ctx, () => {
    const now = new Date()
    const row = ctx.db
      .update(projects)
      .set({
        tokensUsed: sql`${projects.tokensUsed} + ${tokens}`,
        costUsd: sql`${projects.costUsd} + ${costUsd}`,
        secondsUsed: sql`${projects.secondsUsed} + ${seconds}`,
        updatedAt: now,
      })
      .where(eq(projects.id, id))
      .returning()
      .get()
    if (!row) throw new NotFoundError('project', id)
    const project = toProject(row)
    record(ctx, { type: 'project.updated', project }, now.getTime())
    return project
  })
}

function assertNameFree(ctx: Ctx, name: string): void {
  if (findProjectByName(ctx, name))
    throw new ConflictError(`project "${name}" already exists; choose another name or use that project`)
}

export function projectName(value: unknown): string {
  const name = requireText(value, 'name', 'project')
  if (/^\d+$/.test(name))
    throw new ValidationError(
      `project name "${name}" is all digits and would read as an id; add a letter to it`,
      'name',
    )
  return name
}

export function projectWorkspace(value: unknown): string | null | undefined {
  const workspace = optionalText(value, 'workspace')
  if (typeof workspace === 'string' && !isAbsolute(workspace))
    throw new ValidationError(
      `workspace must be an absolute path, got "${workspace}"; resolve it against the current directory first`,
      'workspace',
    )
  return workspace
}

export function projectStatus(value: unknown): ProjectStatus {
  if (!PROJECT_STATUSES.includes(value as ProjectStatus))
    throw new ValidationError(
      `status must be one of ${PROJECT_STATUSES.join(', ')}, got ${JSON.stringify(value)}`,
      'status',
    )
  return value as ProjectStatus
}
