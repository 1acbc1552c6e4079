export {
  PlanModelError,
  PlanRejectedError,
  ProjectsError,
  type ProjectsErrorCode,
  type Spent,
} from './errors.js'
export type { TaskPlace } from './executor/attempt.js'
export { type Allowance, projectRemaining, runAllowance } from './executor/budget.js'
export { runProject } from './executor/run-project.js'
export { countByStatus } from './executor/task-order.js'
export { buildTaskPrompt } from './executor/task-prompt.js'
export type {
  EngineSettings,
  ProjectRunEvent,
  ProjectRunResult,
  ProjectRunStatus,
  RunProjectOptions,
  TaskAgent,
  TaskOutcome,
} from './executor/types.js'
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
  type PlanToSave,
  planProject,
  savePlan,
} from './planner/plan-project.js'
export { PLANNER_SYSTEM_PROMPT } from './planner/prompt.js'
export {
  type PlanTask,
  PlanTaskSchema,
  SUBMIT_PLAN,
  SubmitPlanSchema,
  submitPlanTool,
} from './planner/schema.js'
export {
  criteriaAskForTests,
  DEFAULT_ROLES,
  normalizeRoles,
  PROJECT_ROLES,
  type ProjectRole,
  ProjectRoleSchema,
  parseRoles,
  type ReviewVerdict,
  type RoleAgent,
  type RoleAgents,
  reviewVerdict,
  SPLIT_TASK,
  type SplitTask,
  SplitTaskSchema,
} from './roles/roles.js'
export { prepareProcessRunner } from './worktrees/git.js'
export { conflictHunks, type MergeOutcome, mergeTaskBranch } from './worktrees/merge.js'
export {
  openProjectRepo,
  type ProjectRepo,
  RepositoryError,
  taskBranch,
  WORKTREES_DIR,
} from './worktrees/repo.js'
export { openTaskWorktree, type TaskWorktree } from './worktrees/task-worktree.js'
