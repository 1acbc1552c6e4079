/** Model facts lookup and cost arithmetic over the catalogue data. */
import { CATALOGUE, type CatalogueEntry, UNKNOWN_MODEL_INFO } from './catalogue-data.js'
import type { ModelInfo, Usage } from './types.js'

/**
 * Reduces a model name to a comparable key: the last path segment (drops `openai/` routing
 * prefixes and `models/`), no `:free`-style variant suffix, lower case, and dots as dashes so
 * `claude-sonnet-4.5` (OpenRouter) and `claude-sonnet-4-5` (Anthropic) agree.
 */
export function normaliseModelName(model: string): string {
  const last = model.split('/').pop() ?? model
  return last.split(':')[0]!.toLowerCase().replace(/\./g, '-').trim()
}

function toInfo(entry: CatalogueEntry): ModelInfo {
  const { name: _name, provider: _provider, ...info } = entry
  return { ...info }
}

/** True when `key` is `name` or `name` followed by a `-suffix` (a date, `-latest`, `-versatile`...). */
function extends_(key: string, name: string): boolean {
  return key === name || key.startsWith(`${name}-`)
}

/**
 * Finds a model's facts: exact name first, then the longest catalogue name the model extends
 * (so `gpt-4o-mini-2024-07-18` finds `gpt-4o-mini`, not `gpt-4o`). A provider-specific entry beats
 * a generic one of the same name. Unknown models get conservative defaults flagged `unknown`.
 */
export function lookupModel(provider: string, model: string): ModelInfo {
  const key = normaliseModelName(model)
  const candidates = CATALOGUE.filter((e) => e.provider === undefined || e.provider === provider)
  let best: { entry: CatalogueEntry; length: number; specific: boolean } | undefined
  for (const entry of candidates) {
    const name = normaliseModelName(entry.name)
    if (!extends_(key, name)) continue
    const length = name === key ? Number.POSITIVE_INFINITY : name.length
    const specific = entry.provider !== undefined
    if (!best || length > best.length || (length === best.length && specific && !best.specific)) {
      best = { entry, length, specific }
    }
  }
  return best ? toInfo(best.entry) : { ...UNKNOWN_MODEL_INFO }
}

/** USD for a usage figure. Cached input tokens (a subset of input) are billed at the cached price when known. */
export function computeCost(info: ModelInfo, usage: Usage): number {
  const cached = Math.min(Math.max(0, usage.cachedInputTokens), usage.inputTokens)
  const uncached = usage.inputTokens - cached
  const cachedPrice = info.cachedInputPrice ?? info.inputPrice
  return (
    (uncached * info.inputPrice + cached * cachedPrice + usage.outputTokens * info.outputPrice) / 1_000_000
  )
}
