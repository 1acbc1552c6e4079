/**
 * Session ids: `ses_` + milliseconds in base36 (9 digits, so they sort as strings) + 8 random base36
 * digits. Within one process they also sort in creation order: an id made in the same millisecond
 * as the previous one increments the previous random part instead of drawing a new one (like ULID).
 */
import { randomInt } from 'node:crypto'

export const SESSION_ID_PREFIX = 'ses_'
const TIME_DIGITS = 9
const RANDOM_DIGITS = 8

let lastTime = -1
let lastRandom: number[] = []

export function newSessionId(now: number = Date.now()): string {
  let time = Math.max(now, lastTime)
  let random: number[]
  if (time === lastTime) {
    random = increment(lastRandom)
    if (random.length === 0) {
      time++
      random = draw()
    }
  } else random = draw()
  lastTime = time
  lastRandom = random
  return `${SESSION_ID_PREFIX}${time.toString(36).padStart(TIME_DIGITS, '0')}${random.map((d) => d.toString(36)).join('')}`
}

function draw(): number[] {
  return Array.from({ length: RANDOM_DIGITS }, () => randomInt(36))
}

/** The next base36 number, or [] when every digit was 35. */
function increment(digits: number[]): number[] {
  const next = [...digits]
  for (let i = next.length - 1; i >= 0; i--) {
    if ((next[i] ?? 0) < 35) {
      next[i] = (next[i] ?? 0) + 1
      return next
    }
    next[i] = 0
  }
  return []
}

const SESSION_ID = new RegExp(`^${SESSION_ID_PREFIX}[0-9a-z]{${TIME_DIGITS + RANDOM_DIGITS}}$`)

/** Whether `value` has the shape of an id `newSessionId()` makes. */
export function isSessionId(value: unknown): value is string {
  return typeof value === 'string' && SESSION_ID.test(value)
}
