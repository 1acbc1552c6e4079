/**
 * Exponential backoff with ±20% jitter: base · 2^(attempt-1), capped at `max`. Jitter spreads the
 * reconnects of many clients after a server restart.
 */
export function backoffDelay(
  attempt: number,
  base: number,
  max: number,
  random: () => number = Math.random,
): number {
  const raw = Math.min(max, base * 2 ** Math.max(0, attempt - 1))
  return raw * (0.8 + random() * 0.4)
}
