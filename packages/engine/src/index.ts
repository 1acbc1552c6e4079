export { PenguinAgent, type PenguinAgentOptions } from './agent.js'
export { type Budget, UsageMeter } from './budget.js'
export { EXACT_COUNT_FROM } from './compaction/compact.js'
export { newestTurnStart, planSplit, type SplitOptions, splitPoints } from './compaction/plan.js'
export {
  isSummaryMessage,
  SUMMARY_HEADINGS,
  SUMMARY_MARKER,
  SUMMARY_SYSTEM_PROMPT,
  summaryMessage,
} from './compaction/prompt.js'
export {
  type CompactionOptions,
  type CompactionSettings,
  compactionSettings,
  DEFAULT_COMPACTION_THRESHOLD,
  DEFAULT_KEEP_RECENT_TURNS,
  HEADROOM,
  requestCeiling,
  requestLimit,
  reservedOutput,
} from './compaction/settings.js'
export { capToolResult, estimateTokens } from './context.js'
export { DEFAULT_MAX_ITERATIONS, Engine, type EngineListener } from './engine.js'
export type { AutoApprove, CompactResult, EngineOptions, RunOptions } from './engine-options.js'
export * from './events.js'
export type {
  ChatParams,
  EngineExtension,
  ExtensionContext,
  NoticeLevel,
  PromptVerdict,
  SessionStartVerdict,
  StopInfo,
  Stoppable,
  StopVerdict,
  ToolCallInfo,
  ToolCallResultInfo,
  ToolCallVerdict,
  ToolResultVerdict,
} from './extensions.js'
export { type Delivery, MessageInbox, type QueuedMessage, type RunInbox } from './inbox.js'
export type { ModelStreamFn } from './model-turn.js'
export { TASK_TOOL, type TaskArgs, TaskArgsSchema } from './subagents/task-tool.js'
export {
  DEFAULT_MAX_PARALLEL,
  MAX_SUBAGENT_DEPTH,
  type SubagentLineage,
  type SubagentProfile,
  type SubagentSession,
  type SubagentSessionRequest,
  type Subagents,
} from './subagents/types.js'
export {
  buildSystemPrompt,
  environmentPrompt,
  gatherEnvironment,
  INSTRUCTION_FILES,
  renderSystemPrompt,
} from './system-prompt.js'
export type { AskPermission } from './tool-runner.js'
export { addUsage, emptyUsage } from './usage.js'
