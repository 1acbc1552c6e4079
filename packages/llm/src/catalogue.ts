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

/**
 * USD for a usage figure: fresh input at the input price, cache reads at the cache-read price and
 * cache writes at the cache-write price (each defaulting to the input price), output at the output price.
 */
export function computeCost(info: ModelInfo, usage: Usage): number {
  const read = clampTokens(usage.cacheReadTokens ?? usage.cachedInputTokens, usage.inputTokens)
  const written = clampTokens(usage.cacheWriteTokens ?? 0, usage.inputTokens - read)
  const fresh = usage.inputTokens - read - written
  return (
    (fresh * info.inputPrice +
      read * (info.cachedInputPrice ?? info.inputPrice) +
      written * (info.cacheWritePrice ?? info.inputPrice) +
      usage.outputTokens * info.outputPrice) /
    1_000_000
  )
}

/** What the same usage would have cost with no prompt cache: every input token at the input price. */
export function costWithoutCache(info: ModelInfo, usage: Usage): number {
  return (usage.inputTokens * info.inputPrice + usage.outputTokens * info.outputPrice) / 1_000_000
}

function clampTokens(value: number, max: number): number {
  return Math.min(Math.max(0, value || 0), Math.max(0, max))
}
