/** Projects on Postgres: as projects.ts. */
import { asc, eq, sql } from 'drizzle-orm'
import { ConflictError, NotFoundError } from '../errors.js'
import { projectName, projectStatus, projectWorkspace } from '../projects.js'
import { toProject } from '../records.js'
import { projects } from '../schema-pg.js'
import type { NewProject, Project, ProjectPatch, Usage } from '../types.js'
import { checkAmount, optionalAmount, optionalText } from '../validation.js'
import { type PgCtx, record, write } from './context.js'
import { isRowId } from './records.js'

type ProjectRow = typeof projects.$inferSelect

export async function getProject(ctx: PgCtx, id: number): Promise<Project | undefined> {
  if (!isRowId(id)) return undefined
  const [row] = await ctx.db.select().from(projects).where(eq(projects.id, id))
  return row ? toProject(row) : undefined
}

export async function findProjectByName(ctx: PgCtx, name: string): Promise<Project | undefined> {
  const [row] = await ctx.db.select().from(projects).where(eq(projects.name, name))
  return row ? toProject(row) : undefined
}

export async function requireProject(ctx: PgCtx, ref: number | string): Promise<Project> {
  if (typeof ref === 'number' || /^\d+$/.test(ref)) {
    const id = Number(ref)
    const project = await getProject(ctx, id)
    if (!project) throw new NotFoundError('project', id)
    return project
  }
  const project = await findProjectByName(ctx, ref)
  if (!project) throw new NotFoundError('project', ref)
  return project
}

export async function listProjects(ctx: PgCtx): Promise<Project[]> {
  return (await ctx.db.select().from(projects).orderBy(asc(projects.id))).map(toProject)
}

export function createProject(ctx: PgCtx, input: NewProject): Promise<Project> {
  const name = projectName(input.name)
  const values = {
    name,
    description: optionalText(input.description, 'description') ?? null,
    workspace: projectWorkspace(input.workspace) ?? null,
    budgetTokens: optionalAmount(input.budgetTokens, 'budgetTokens', true) ?? null,
    budgetUsd: optionalAmount(input.budgetUsd, 'budgetUsd') ?? null,
    budgetSeconds: optionalAmount(input.budgetSeconds, 'budgetSeconds') ?? null,
  }
  return write(ctx, async (tx) => {
    await assertNameFree(tx, name)
    const now = new Date()
    const [row] = await tx.db
      .insert(projects)
      .values({ ...values, createdAt: now, updatedAt: now })
      .returning()
    const project = toProject(must(row))
    await record(tx, { type: 'project.created', project }, now.getTime())
    return project
  })
}

export function updateProject(ctx: PgCtx, id: number, patch: ProjectPatch): Promise<Project> {
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
  return write(ctx, async (tx) => {
    const current = await requireProject(tx, id)
    if (changes.name !== undefined && changes.name !== current.name) await assertNameFree(tx, changes.name)
    const now = new Date()
    const [row] = await tx.db
      .update(projects)
      .set({ ...changes, updatedAt: now })
      .where(eq(projects.id, id))
      .returning()
    if (!row) throw new NotFoundError('project', id)
    const project = toProject(row)
    await record(tx, { type: 'project.updated', project }, now.getTime())
    return project
  })
}

export function deleteProject(ctx: PgCtx, id: number): Promise<void> {
  return write(ctx, async (tx) => {
    await requireProject(tx, id)
    await tx.db.delete(projects).where(eq(projects.id, id))
    await record(tx, { type: 'project.deleted', projectId: id })
  })
}

export function addProjectUsage(ctx: PgCtx, id: number, usage: Usage): Promise<Project> {
  const tokens = checkAmount(usage.tokens, 'tokens', true)
  const costUsd = checkAmount(usage.costUsd, 'costUsd')
  const seconds = checkAmount(usage.seconds ?? 0, 'seconds')
  return write(ctx, async (tx) => {
    const now = new Date()
    const [row] = await tx.db
      .update(projects)
      .set({
        tokensUsed: sql`${projects.tokensUsed} + ${tokens}`,
        costUsd: sql`${projects.costUsd} + ${costUsd}::float8`,
        secondsUsed: sql`${projects.secondsUsed} + ${seconds}::float8`,
        updatedAt: now,
      })
      .where(eq(projects.id, id))
      .returning()
    if (!row) throw new NotFoundError('project', id)
    const project = toProject(row)
    await record(tx, { type: 'project.updated', project }, now.getTime())
    return project
  })
}

async function assertNameFree(ctx: PgCtx, name: string): Promise<void> {
  if (await findProjectByName(ctx, name))
    throw new ConflictError(`project "${name}" already exists; choose another name or use that project`)
}

export function must<T>(row: T | undefined): T {
  if (row === undefined) throw new Error('the database returned no row')
  return row
}

export type { ProjectRow }
