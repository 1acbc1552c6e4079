/** `POST /projects/{id}/plan`: what planning answers, and its failures as HTTP errors. */

import type { Usage } from '@penguin-ai/llm'
import { PlanModelError, PlanRejectedError, type PlanResult } from '@penguin-ai/projects'
import type { PlanResultJson } from '@penguin-ai/protocol/api'
import { HttpError } from '../deps.js'
import { taskJson } from '../json/tasks.js'

export function usageJson(usage: Usage) {
  return {
    input_tokens: usage.inputTokens,
    output_tokens: usage.outputTokens,
    cache_read_tokens: usage.cacheReadTokens,
    cache_write_tokens: usage.cacheWriteTokens,
    cached_input_tokens: usage.cachedInputTokens,
    total_tokens: usage.totalTokens,
  }
}

export function planJson(result: PlanResult): PlanResultJson {
  return {
    plan: result.plan,
    tasks: result.tasks.map(taskJson),
    attempts: result.attempts,
    usage: usageJson(result.usage),
    cost_usd: result.costUsd,
    duration_ms: result.durationMs,
    dry_run: result.dryRun,
  }
}

/** The model's own failures that retrying will not fix: its configuration or the request. */
const UNUSABLE = new Set(['auth', 'model_not_found', 'bad_request', 'context_too_long'])

/**
 * Planning failures: a model that kept submitting invalid plans, or that could not be used, is a
 * 422; one that kept failing after the retries (rate limits, 5xx, unreachable, timeouts) is a 502.
 * Anything else is passed on to the app's error handler.
 */
export function planError(error: unknown): unknown {
  if (error instanceof PlanRejectedError) {
    return new HttpError(422, 'unprocessable', error.message, {
      reason: 'plan_rejected',
      attempts: error.attempts,
      problems: error.problems,
      usage: usageJson(error.spent.usage),
      cost_usd: error.spent.costUsd,
    })
  }
  if (error instanceof PlanModelError) {
    const details = { reason: error.kind, usage: usageJson(error.spent.usage), cost_usd: error.spent.costUsd }
    if (error.kind === 'aborted')
      return new HttpError(503, 'unavailable', 'planning was interrupted', details)
    if (UNUSABLE.has(error.kind))
      return new HttpError(422, 'unprocessable', `the model cannot be used: ${error.message}`, details)
    return new HttpError(502, 'upstream_error', `the model failed: ${error.message}`, details)
  }
  return error
}
