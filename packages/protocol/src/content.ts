/**
 * Content that travels unchanged from a model's stream to the store and the API: the image formats
 * and a model's reasoning. `@penguin-ai/llm` (ImageBlock, ReasoningBlock), the store (ImagePart,
 * ReasoningPart), the tools (ToolImage) and the API's `Part` all take them from here.
 */
import { z } from 'zod'

/** The image formats every wire that takes images accepts, and the store keeps (base64 bytes). */
export const IMAGE_MEDIA_TYPES = ['image/png', 'image/jpeg', 'image/gif', 'image/webp'] as const
export type ImageMediaType = (typeof IMAGE_MEDIA_TYPES)[number]

/**
 * What a model thought before answering. `text` is readable (Anthropic's thinking, OpenAI's reasoning
 * summary; empty when the provider hid it). The other fields are the provider's opaque state: they
 * are stored with the session and sent back byte for byte, but only to the wire named by `api`
 * (another wire could not verify them and drops the block). The SDK's `Part` is printed from
 * `ReasoningSchema` below into its generated.ts.
 */
export interface Reasoning {
  type: 'reasoning'
  text: string
  /** The adapter api that produced it, e.g. `anthropic-messages` or `openai-responses`. */
  api?: string
  /** Anthropic `thinking`: the signature that authenticates `text`. */
  signature?: string
  /** Anthropic `redacted_thinking`: the encrypted thinking (then `text` is empty). */
  redacted?: string
  /** OpenAI Responses `reasoning` item: its id. */
  id?: string
  /** OpenAI Responses: the summary parts as received (`text` is them joined). */
  summary?: string[]
  /** OpenAI Responses: `encrypted_content`, the reasoning itself, readable only by OpenAI. */
  encrypted?: string
}

/** `Reasoning` as the API's message part (the field names are the same in both spellings). */
export const ReasoningSchema = z
  .object({
    type: z.literal('reasoning'),
    text: z.string().meta({ description: 'readable reasoning; empty when the provider hid it' }),
    api: z.string().optional().meta({ description: 'the wire it came from' }),
    signature: z.string().optional(),
    redacted: z.string().optional(),
    id: z.string().optional(),
    summary: z.array(z.string()).optional(),
    encrypted: z.string().optional(),
  })
  .meta({
    description:
      "the model's reasoning; the other fields are the provider's opaque state, sent back to it unchanged",
  }) satisfies z.ZodType<Reasoning>

type ReasoningOutput = z.output<typeof ReasoningSchema>
/** `true` only while the schema and the interface have the same fields of the same types. */
type ReasoningSchemaMatches = [keyof ReasoningOutput, ReasoningOutput] extends [keyof Reasoning, Reasoning]
  ? [keyof Reasoning, Reasoning] extends [keyof ReasoningOutput, ReasoningOutput]
    ? true
    : never
  : never
const reasoningSchemaMatches: ReasoningSchemaMatches = true
void reasoningSchemaMatches
