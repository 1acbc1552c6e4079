export {
  PlanModelError,
  PlanRejectedError,
  ProjectsError,
  type ProjectsErrorCode,
  type Spent,
} from './errors.js'
export { type Allowance, projectRemaining, runAllowance } from './executor/budget.js'
export {
  countByStatus,
  type EngineSettings,
  type ProjectRunEvent,
  type ProjectRunResult,
  type ProjectRunStatus,
  type RunProjectOptions,
  runProject,
  type TaskAgent,
  type TaskOutcome,
} from './executor/run-project.js'
export { buildTaskPrompt } from './executor/task-prompt.js'
export { DEFAULT_VERIFY_TIMEOUT_MS, runVerify, type VerifyResult } from './executor/verify.js'
export {
  GRAPH_FORMATS,
  type GraphEdge,
  type GraphFormat,
  type GraphTask,
  graphEdges,
  renderGraph,
} from './graph/render.js'
export { checkPlanArguments, type PlanCheck, type PlanValidator } from './planner/check.js'
export {
  DEFAULT_PLAN_ATTEMPTS,
  type PlanProjectOptions,
  type PlanRejection,
  type PlanResult,
  planProject,
} from './planner/plan-project.js'
export { PLANNER_SYSTEM_PROMPT } from './planner/prompt.js'
export {
  type PlanTask,
  PlanTaskSchema,
  SUBMIT_PLAN,
  SubmitPlanSchema,
  submitPlanTool,
} from './planner/schema.js'
