export { PenguinAgent, type PenguinAgentOptions } from './agent.js'
export {
  capToolResult,
  ELIDED_NOTE,
  estimateRequestTokens,
  estimateTokens,
  fitToWindow,
  inputBudget,
} from './context.js'
export { type Budget, Engine, type EngineListener, type EngineOptions, type RunOptions } from './engine.js'
export * from './events.js'
export type { ModelStreamFn } from './model-turn.js'
export {
  buildSystemPrompt,
  gatherEnvironment,
  INSTRUCTION_FILES,
  renderSystemPrompt,
} from './system-prompt.js'
export type { AskPermission } from './tool-runner.js'
export { addUsage, emptyUsage } from './usage.js'
