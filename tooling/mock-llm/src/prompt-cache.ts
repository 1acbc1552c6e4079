/**
 * A simulated provider prompt cache, so caching can be measured offline. Requests are reduced to
 * an ordered list of blocks (tool definitions, system text, message content); a prefix is a run
 * of blocks from the start, identified by a hash chained block by block (and by model).
 *
 * - Anthropic (`explicit`): only prefixes ending at a `cache_control` breakpoint are written, and
 *   only when they reach the model's minimum length; a read looks at each breakpoint and up to 20
 *   blocks before it for the longest prefix already cached. Writes are reported apart from reads.
 * - OpenAI (`automatic`): every request of 1,024 tokens or more caches its prefixes; a read is the
 *   longest cached prefix, rounded down to a multiple of 128 tokens. Writes cost nothing extra.
 */
import { createHash } from 'node:crypto'

export interface PromptBlock {
  /** The block's canonical text (cache markers left out: they do not change the prefix). */
  text: string
  /** A `cache_control` breakpoint is set on this block. */
  breakpoint?: boolean
}

export interface CacheOutcome {
  /** All input tokens of the request. */
  input: number
  read: number
  write: number
}

/** The mock's token measure: a quarter of the characters, at least one per block. */
export function blockTokens(text: string): number {
  return Math.max(1, Math.ceil(text.length / 4))
}

const LOOKBACK_BLOCKS = 20
const TTL_MS = 5 * 60_000
const OPENAI_MIN_TOKENS = 1024
const OPENAI_INCREMENT = 128

export class PromptCache {
  private readonly entries = new Map<string, number>()

  constructor(private readonly now: () => number = Date.now) {}

  /** Anthropic's cache: breakpoints decide what is written; `minTokens` is the model's minimum. */
  explicit(model: string, blocks: readonly PromptBlock[], minTokens: number): CacheOutcome {
    const { hashes, totals } = this.prefixes(model, blocks)
    const input = totals.at(-1) ?? 0
    const breakpoints = blocks.flatMap((block, index) => (block.breakpoint ? [index] : []))
    if (breakpoints.length === 0) return { input, read: 0, write: 0 }
    let hit = -1
    search: for (const point of [...breakpoints].reverse()) {
      for (let at = point; at >= Math.max(0, point - LOOKBACK_BLOCKS + 1); at--) {
        if (this.alive(hashes[at]!)) {
          hit = at
          break search
        }
      }
    }
    const read = hit >= 0 ? totals[hit]! : 0
    if (hit >= 0) this.touch(hashes[hit]!)
    const last = breakpoints.at(-1)!
    let write = 0
    if (totals[last]! >= minTokens && last > hit) write = totals[last]! - read
    for (const point of breakpoints) if (totals[point]! >= minTokens) this.touch(hashes[point]!)
    return { input, read, write }
  }

  /** OpenAI's cache: automatic for long prompts, reads in 128-token steps. */
  automatic(model: string, blocks: readonly PromptBlock[]): CacheOutcome {
    const { hashes, totals } = this.prefixes(model, blocks)
    const input = totals.at(-1) ?? 0
    let read = 0
    for (let at = blocks.length - 1; at >= 0; at--) {
      if (this.alive(hashes[at]!)) {
        read =
          totals[at]! >= OPENAI_MIN_TOKENS ? Math.floor(totals[at]! / OPENAI_INCREMENT) * OPENAI_INCREMENT : 0
        break
      }
    }
    if (input >= OPENAI_MIN_TOKENS)
      hashes.forEach((hash, at) => {
        if (totals[at]! >= OPENAI_MIN_TOKENS) this.touch(hash)
      })
    return { input, read, write: 0 }
  }

  private prefixes(model: string, blocks: readonly PromptBlock[]) {
    const hashes: string[] = []
    const totals: number[] = []
    let hash = createHash('sha256').update(`model:${model}`).digest('hex')
    let total = 0
    for (const block of blocks) {
      hash = createHash('sha256').update(hash).update('\u0000').update(block.text).digest('hex')
      total += blockTokens(block.text)
      hashes.push(hash)
      totals.push(total)
    }
    return { hashes, totals }
  }

  private alive(hash: string): boolean {
    const expires = this.entries.get(hash)
    return expires !== undefined && expires > this.now()
  }

  private touch(hash: string): void {
    this.entries.set(hash, this.now() + TTL_MS)
  }
}
