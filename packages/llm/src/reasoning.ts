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

/**
 * OpenAI's `reasoning.effort` (Responses) and `reasoning_effort` (Chat Completions) for `model`: `off`
 * is the least a reasoning model allows — `minimal` on gpt-5, `low` on the o-series, which rejects
 * `minimal`.
 */
export function openAIEffort(effort: ReasoningEffort, model = ''): 'minimal' | 'low' | 'medium' | 'high' {
  const least = /^o\d/i.test(model) ? 'low' : 'minimal'
  return effort === 'off' || effort === 'minimal' ? least : effort
}

/**
 * Whether Chat Completions carries a reasoning effort for this model: OpenAI's own reasoning models
 * (o-series, gpt-5) take `reasoning_effort` there; what other endpoints accept is not known.
 */
export function chatTakesEffort(model: { provider: string; model: string; info: ModelInfo }): boolean {
  return model.provider === 'openai' && model.info.reasoning === true && /^(o\d|gpt-5)/i.test(model.model)
}
