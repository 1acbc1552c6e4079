/**
 * `--reasoning off|minimal|low|medium|high` mapped onto what each wire understands. Pure.
 * Anthropic thinks within a token budget (at least 1,024, below max_tokens); OpenAI takes an effort.
 */
import type { ModelInfo, ReasoningEffort } from './types.js'

export const REASONING_EFFORTS: readonly ReasoningEffort[] = ['off', 'minimal', 'low', 'medium', 'high']

/** Thinking budgets, in tokens, per effort (Claude Code's "think", "think hard", "ultrathink" scale). */
export const THINKING_BUDGETS: Readonly<Record<Exclude<ReasoningEffort, 'off'>, number>> = {
  minimal: 1_024,
  low: 4_096,
  medium: 12_000,
  high: 32_000,
}

/** Anthropic's smallest thinking budget. */
export const MIN_THINKING_BUDGET = 1_024

/** Whether a request's effort should be sent: the model reasons and something other than the default was asked. */
export function wantsReasoning(info: ModelInfo, effort: ReasoningEffort | undefined): boolean {
  return effort !== undefined && info.reasoning === true
}

/**
 * The thinking budget and the max_tokens it needs: the answer keeps at least `answerRoom` tokens
 * beyond the budget, within the model's output limit; a budget that cannot fit shrinks.
 */
export function thinkingBudget(
  effort: Exclude<ReasoningEffort, 'off'>,
  maxTokens: number,
  outputLimit: number,
  answerRoom = 4_096,
): { budget: number; maxTokens: number } | undefined {
  const wanted = THINKING_BUDGETS[effort]
  const max = Math.min(outputLimit, Math.max(maxTokens, wanted + answerRoom))
  const budget = Math.min(wanted, max - Math.min(answerRoom, Math.floor(max / 2)))
  if (budget < MIN_THINKING_BUDGET || budget >= max) return undefined
  return { budget, maxTokens: max }
}

/** OpenAI's `reasoning.effort`: `off` is the least a reasoning model allows (`minimal`). */
export function openAIEffort(effort: ReasoningEffort): 'minimal' | 'low' | 'medium' | 'high' {
  return effort === 'off' ? 'minimal' : effort
}
