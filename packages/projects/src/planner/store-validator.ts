import { validatePlan } from '@penguin-ai/store'
import type { PlanValidator } from './check.js'

/** The store's own plan rules, so what the planner accepts is exactly what the store will save. */
export const storeValidator: PlanValidator = (tasks) => validatePlan(tasks)
