import type { z } from 'zod'
import { type PlanTask, SUBMIT_PLAN, SubmitPlanSchema } from './schema.js'

/** Graph rules (unique keys, references resolve, no cycles), as the store states them. */
export type PlanValidator = (tasks: PlanTask[]) => readonly string[]

export type PlanCheck = { ok: true; tasks: PlanTask[] } | { ok: false; problems: string[] }

/**
 * Judges the raw arguments of a submit_plan call: JSON, then shape, then graph rules. Problems are
 * phrased for the model, which gets them back verbatim to correct its plan.
 */
export function checkPlanArguments(raw: string, validateGraph: PlanValidator): PlanCheck {
  let json: unknown
  try {
    json = raw.trim() === '' ? {} : JSON.parse(raw)
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error)
    return {
      ok: false,
      problems: [`The ${SUBMIT_PLAN} arguments are not valid JSON (${reason}). Send {"tasks": [...]}.`],
    }
  }
  const parsed = SubmitPlanSchema.safeParse(dropNulls(json))
  if (!parsed.success) return { ok: false, problems: parsed.error.issues.map(describeIssue) }
  const problems = validateGraph(parsed.data.tasks)
  return problems.length ? { ok: false, problems: [...problems] } : { ok: true, tasks: parsed.data.tasks }
}

/** `tasks[2].depends_on[0]: expected string, received number` */
export function describeIssue(issue: z.core.$ZodIssue): string {
  let where = ''
  for (const part of issue.path) {
    where += typeof part === 'number' ? `[${part}]` : `${where ? '.' : ''}${String(part)}`
  }
  return `${where || 'arguments'}: ${issue.message}`
}

/**
 * Models often send `null` for an optional field they mean to leave out; treating that as absent
 * saves a correction round trip without accepting anything the schema would not.
 */
function dropNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(dropNulls)
  if (value === null || typeof value !== 'object') return value
  const out: Record<string, unknown> = {}
  for (const [key, inner] of Object.entries(value)) if (inner !== null) out[key] = dropNulls(inner)
  return out
}
