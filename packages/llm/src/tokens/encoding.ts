/**
 * Which tiktoken encoding an OpenAI-family model uses, and the lazily loaded encoder itself.
 * The rank tables are megabytes of JavaScript, so nothing is imported until a counter asks for one:
 * importing `@penguin-ai/llm` (and `penguin --version`) must stay cheap.
 */
import { normaliseModelName } from '../catalogue.js'
import { BytePairEncoder } from './bpe.js'

export type TokenEncodingName = 'o200k_base' | 'cl100k_base'

/** Anything whose `encode` returns the token ids of a text. */
interface Encoder {
  encode(text: string): number[]
}

// Matched against the normalised name (last path segment, dots as dashes), so `gpt-4.1-mini`,
// `openrouter/openai/gpt-4o` and `gpt-4o-2024-08-06` all find their family.
const O200K = /^(gpt-4o|chatgpt-4o|gpt-4-1|gpt-4-5|gpt-5|gpt-oss|o1|o3|o4)(-|$)/
const CL100K = /^(gpt-4|gpt-3-5|gpt-35)(-|$)/

/** The encoding of an OpenAI-family model name, or undefined when only an estimate is possible. */
export function encodingForModel(model: string): TokenEncodingName | undefined {
  const name = normaliseModelName(model)
  if (O200K.test(name)) return 'o200k_base'
  if (CL100K.test(name)) return 'cl100k_base'
  return undefined
}

const loading = new Map<TokenEncodingName, Promise<Encoder | undefined>>()

async function importEncoder(name: TokenEncodingName): Promise<Encoder> {
  // Literal specifiers (not a template) so bundlers and the type checker see both tables.
  const ranks =
    name === 'o200k_base'
      ? (await import('js-tiktoken/ranks/o200k_base')).default
      : (await import('js-tiktoken/ranks/cl100k_base')).default
  return new BytePairEncoder(ranks)
}

/**
 * Loads an encoding once per process. Resolves to undefined when the tables cannot be loaded (a
 * broken install): counting then falls back to the estimate rather than failing a run.
 */
export function loadEncoder(name: TokenEncodingName): Promise<Encoder | undefined> {
  let promise = loading.get(name)
  if (!promise) {
    promise = importEncoder(name).catch(() => undefined)
    loading.set(name, promise)
  }
  return promise
}

/**
 * Runs this long or longer are cut before encoding. js-tiktoken's byte-pair merge is quadratic in
 * the length of one pre-token, so 60k characters of `xxxx…` (or `====…`) take minutes; cutting such
 * runs into short pieces costs at most a token per cut and keeps every count in milliseconds.
 */
const LONG_RUN = /[\p{L}\p{M}]{64,}|[^\s\p{L}\p{N}]{64,}|\s{64,}/gu
const PIECE = 32

/** The number of tokens `encoder` makes of `text`, with pathological runs cut (see LONG_RUN). */
export function encodedLength(encoder: Encoder, text: string): number {
  let total = 0
  let from = 0
  for (const match of text.matchAll(LONG_RUN)) {
    const start = match.index
    if (start > from) total += encoder.encode(text.slice(from, start)).length
    const run = match[0]
    for (let i = 0; i < run.length; i += PIECE) total += encoder.encode(run.slice(i, i + PIECE)).length
    from = start + run.length
  }
  if (from < text.length) total += encoder.encode(text.slice(from)).length
  return total
}
