/**
 * A request rate as people write it — `600/min`, `10/s`, `36000/h`, or a bare number a minute —
 * read as requests a minute. `0` (in any unit) means no limit.
 */
import { z } from 'zod'
import { lazySchema } from './lazy-schema.js'

const RATE = /^(\d+(?:\.\d+)?)\s*(?:\/\s*(s|sec|second|m|min|minute|h|hr|hour))?$/i

const PER_MINUTE: Record<string, number> = {
  s: 60,
  sec: 60,
  second: 60,
  m: 1,
  min: 1,
  minute: 1,
  h: 1 / 60,
  hr: 1 / 60,
  hour: 1 / 60,
}

/** Requests a minute (0: no limit), or undefined when `value` is not a rate. */
export function parseRateLimit(value: string | number): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? value : undefined
  const match = RATE.exec(value.trim())
  if (!match) return undefined
  const amount = Number(match[1])
  return amount * (PER_MINUTE[(match[2] ?? 'min').toLowerCase()] ?? 1)
}

/** How a rate is written out again: `600/min`, or `off`. */
export function formatRateLimit(perMinute: number): string {
  if (perMinute === 0) return 'off'
  return `${Number.isInteger(perMinute) ? perMinute : perMinute.toFixed(2)}/min`
}

export const rateLimitSchema = lazySchema(() =>
  z
    .union([
      z.number().min(0),
      z.string().refine((text) => parseRateLimit(text) !== undefined, {
        message: 'expected a rate such as "600/min", "10/s" or 0 for no limit',
      }),
    ])
    .meta({
      description: 'requests a minute per API token, e.g. "600/min" or "10/s"; 0 turns the limit off',
    }),
)
