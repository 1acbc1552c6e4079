/** What a run may spend, and the running total it is checked against. */
import {
  computeCost,
  type ModelInfo,
  type ToolResultMessage,
  toolResultMessage,
  type Usage,
} from '@penguin-ai/llm'
import { addUsage, emptyUsage } from './usage.js'

export interface Budget {
  /** Total tokens (input + output) a run may spend. */
  maxTokens?: number
  /** USD a run may spend, from the model catalogue's prices. */
  maxCostUsd?: number
}

/** Sums every model call of a run: agent turns and summary calls alike. */
export class UsageMeter {
  total: Usage = emptyUsage()
  totalCost = 0

  constructor(private readonly info: ModelInfo) {}

  /** Adds one call's usage and returns its cost. */
  add(usage: Usage): number {
    const cost = computeCost(this.info, usage)
    this.total = addUsage(this.total, usage)
    this.totalCost += cost
    return cost
  }

  /** Adds usage priced elsewhere (a sub-agent's call, on its own model). */
  addSpent(usage: Usage, cost: number): void {
    this.total = addUsage(this.total, usage)
    this.totalCost += cost
  }

  over(budget: Budget | undefined): boolean {
    if (!budget) return false
    if (budget.maxTokens !== undefined && this.total.totalTokens >= budget.maxTokens) return true
    if (budget.maxCostUsd !== undefined && this.totalCost >= budget.maxCostUsd) return true
    return false
  }
}

/** Results for calls that will never run, so the conversation stays valid for the next request. */
export function notRun(calls: { id: string; name: string }[], why: string): ToolResultMessage[] {
  return calls.map((call) => toolResultMessage(call, `Not run: ${why}.`, { isError: true }))
}
