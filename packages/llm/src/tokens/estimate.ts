/**
 * The character-based estimate for models without a known tokenizer. About 3.5 characters a token
 * is slightly pessimistic for English and code (real tokenizers manage ~4), which is the safe side
 * for keeping requests inside a window; non-ASCII text (CJK, Cyrillic, emoji) costs far more per
 * character, so it is counted separately.
 */

export const CHARS_PER_TOKEN = 3.5
const NON_ASCII_CHARS_PER_TOKEN = 1.5

/** Uncalibrated estimate, as a fraction (callers round after scaling and summing). */
export function estimateTokenUnits(text: string): number {
  let nonAscii = 0
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 0x7f) nonAscii++
  return (text.length - nonAscii) / CHARS_PER_TOKEN + nonAscii / NON_ASCII_CHARS_PER_TOKEN
}
