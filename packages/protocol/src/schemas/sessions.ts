import { z } from 'zod'
import { AGENT_NAME } from '../constants.js'
import { IMAGE_MEDIA_TYPES, ReasoningSchema } from '../content.js'
import { ToolDetailsSchema } from '../details.js'
import { IsoTime } from './common.js'

/** An agent's name as agent files spell it; whether it exists depends on the session's workspace. */
const AgentName = z.string().regex(AGENT_NAME, 'letters, digits, ".", "_" or "-", at most 64')

export const SessionSchema = z
  .object({
    id: z.string(),
    title: z.string().nullable(),
    workspace: z.string(),
    model: z.string().nullable(),
    project_id: z.number().int().nullable(),
    parent_id: z.string().nullable(),
    forked_from_checkpoint_id: z.number().int().nullable(),
    parent_session_id: z.string().nullable().meta({
      description:
        "a sub-agent's session: the session whose task call started it (see /sessions/{id}/children)",
    }),
    agent: z.string().nullable().meta({
      description:
        "the agent the session runs as (a sub-agent's, or the one picked with `agent`); null: the default agent (build)",
    }),
    message_count: z.number().int(),
    input_tokens: z.number().int(),
    output_tokens: z.number().int(),
    cache_read_tokens: z.number().int().meta({ description: 'of input_tokens: read from the prompt cache' }),
    cache_write_tokens: z
      .number()
      .int()
      .meta({ description: 'of input_tokens: written to the prompt cache' }),
    cost_usd: z.number(),
    auto_approve: z.boolean(),
    active_run_id: z.string().nullable(),
    created_at: IsoTime,
    updated_at: IsoTime,
  })
  .meta({ id: 'Session' })
export type SessionJson = z.infer<typeof SessionSchema>

export const CreateSessionBody = z
  .object({
    workspace: z
      .string()
      .min(1)
      .meta({ description: 'absolute, or relative to the server root; must lie under it' }),
    model: z.string().min(1).optional(),
    auto_approve: z.boolean().optional(),
    title: z.string().min(1).max(200).optional(),
    project_id: z.number().int().positive().optional(),
    agent: AgentName.optional().meta({
      description:
        "the agent to run as (see GET /agents): its prompt, tools, permissions and model; unknown → 422 listing the workspace's agents",
    }),
  })
  .meta({ id: 'CreateSession' })

export const ListSessionsQuery = z.object({
  workspace: z.string().min(1).optional(),
  limit: z.coerce.number().int().min(1).max(1000).optional(),
})

export const ForkBody = z
  .object({ checkpoint_id: z.number().int().positive().optional() })
  .meta({ id: 'ForkSession' })

export const PostMessageBody = z
  .object({
    content: z.string().min(1),
    agent: AgentName.optional().meta({
      description:
        'switch the session to this agent for this run and the next ones (stored on the session); unknown → 422',
    }),
    delivery: z.enum(['steer', 'follow_up']).optional().meta({
      description:
        'while a run is active, give it this message instead of answering 409: `steer` = the model reads it before its next request (after the tool results of the turn in progress), `follow_up` = when it would stop (the run goes on with it). With no run active the message starts one, as without `delivery`',
    }),
  })
  .meta({ id: 'PostMessage' })
export const RunAcceptedSchema = z
  .object({
    run_id: z.string().meta({ description: 'the run that takes the message' }),
    delivery: z.enum(['prompt', 'steer', 'follow_up']).meta({
      description:
        'how: `prompt` = it started this run; `steer` / `follow_up` = it was given to the run in progress (`message.delivered` says when the model got it)',
    }),
  })
  .meta({ id: 'RunAccepted' })

export const CompactResultSchema = z
  .object({
    compacted: z
      .boolean()
      .meta({ description: 'false: nothing older than the recent turns to summarise yet' }),
    tokens_before: z.number().int().nullable().meta({ description: "the next request's tokens before" }),
    tokens_after: z.number().int().nullable().meta({ description: '… and after' }),
    summarised_messages: z.number().int(),
    kept_messages: z.number().int().meta({ description: 'messages kept verbatim after the summary' }),
    cost_usd: z.number().meta({ description: 'what the summary call cost' }),
  })
  .meta({ id: 'CompactResult' })
export type CompactResultJson = z.infer<typeof CompactResultSchema>

export const ImagePartSchema = z
  .object({
    type: z.literal('image'),
    media_type: z.enum(IMAGE_MEDIA_TYPES),
    data: z.string().meta({ description: 'the image bytes, base64' }),
  })
  .meta({ id: 'ImagePart' })

export const PartSchema = z
  .discriminatedUnion('type', [
    z.object({ type: z.literal('text'), text: z.string() }),
    ImagePartSchema,
    ReasoningSchema,
    z.object({ type: z.literal('tool_call'), id: z.string(), name: z.string(), arguments: z.string() }),
    z.object({
      type: z.literal('tool_result'),
      tool_call_id: z.string(),
      name: z.string(),
      content: z.string(),
      is_error: z.boolean(),
      images: z.array(ImagePartSchema).optional(),
      details: ToolDetailsSchema.optional().meta({
        description:
          'what the call did, as its tool.finished event said; absent for results stored before details existed',
      }),
    }),
    z.object({ type: z.literal('summary'), text: z.string(), kept_messages: z.number().int().optional() }),
  ])
  .meta({ id: 'Part' })

export const MessageSchema = z
  .object({
    id: z.number().int(),
    session_id: z.string(),
    role: z.enum(['user', 'assistant', 'tool']),
    parts: z.array(PartSchema),
    model: z.string().nullable(),
    input_tokens: z.number().int(),
    output_tokens: z.number().int(),
    cache_read_tokens: z.number().int().meta({ description: 'of input_tokens: read from the prompt cache' }),
    cache_write_tokens: z
      .number()
      .int()
      .meta({ description: 'of input_tokens: written to the prompt cache' }),
    cost_usd: z.number(),
    created_at: IsoTime,
  })
  .meta({ id: 'Message' })
export type MessageJson = z.infer<typeof MessageSchema>
