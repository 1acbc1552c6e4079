/**
 * The engine's event stream, as zod schemas: the one definition of `EngineEvent` and its payloads.
 * The engine's types are `z.output` of these (`@penguin-ai/engine` re-exports them), the server
 * publishes exactly these (plus `session_id`/`run_id`, ./schemas/events.ts), and the SDK's types are
 * printed from them. Browser-safe: zod only.
 *
 * ADDING AN EVENT: one more member of `EngineEventSchema` below (`event('x.y', { ...fields })`, with
 * `.describe()` on what needs saying), then `UPDATE_README=1 pnpm --filter @penguin-ai/sdk exec
 * vitest run test/generated-types.test.ts`; an exhaustive `switch` over `EngineEvent` then fails to
 * compile wherever it needs a case.
 */
import { z } from 'zod'
import { PermissionPreviewSchema, ToolDetailsSchema } from './details.js'

const Count = z.number().int().nonnegative()

/** Token counts as the engine reports them (`Usage` of `@penguin-ai/llm`). */
export const TokenUsageSchema = z
  .object({
    inputTokens: z.number().describe('All input tokens: fresh, read from the prompt cache and written to it'),
    outputTokens: z.number(),
    cacheReadTokens: z
      .number()
      .describe("Input tokens read from the provider's prompt cache (part of inputTokens)"),
    cacheWriteTokens: z
      .number()
      .describe(
        "Input tokens written to the provider's prompt cache (part of inputTokens; Anthropic bills them at 1.25×)",
      ),
    cachedInputTokens: z.number().describe('The same as `cacheReadTokens` (the name earlier releases used)'),
    totalTokens: z.number(),
  })
  .describe('Token counts as the engine reports them')
export type TokenUsage = z.output<typeof TokenUsageSchema>

export const RUN_OUTCOMES = ['completed', 'failed', 'aborted', 'max_iterations', 'budget_exceeded'] as const
export const RunOutcomeStatusSchema = z.enum(RUN_OUTCOMES).describe('How an engine run ended')
export type RunOutcomeStatus = z.output<typeof RunOutcomeStatusSchema>

export const PermissionReplySchema = z.enum(['once', 'always', 'reject'])
export type PermissionReply = z.output<typeof PermissionReplySchema>

export const DeliverySchema = z
  .enum(['steer', 'follow_up'])
  .describe(
    'How a message sent during a run reaches the model: `steer` before the next model request, `follow_up` when the model would have stopped',
  )
export type Delivery = z.output<typeof DeliverySchema>

export const NoticeLevelSchema = z.enum(['info', 'warning', 'error'])
export type NoticeLevel = z.output<typeof NoticeLevelSchema>

export const PermissionRequestSchema = z.object({
  id: z.string(),
  callId: z.string(),
  tool: z.string(),
  access: z.enum(['read', 'write', 'execute']),
  subject: z.string(),
  args: z.unknown().describe('The parsed arguments of the call'),
  reason: z
    .string()
    .optional()
    .describe(
      'Set when only an explicit answer to this very call can allow it (a write inside `.git/` or `.penguin/`): says why. `--yes` and auto approval do not answer it, and "always" counts as "once"',
    ),
  preview: PermissionPreviewSchema.describe(
    'Exactly what the call will do, to show the person answering: the whole command, every file with its operation, resolved real path and diff. Render this, not `args` or `subject`',
  ),
  outsideSandbox: z
    .boolean()
    .optional()
    .describe(
      "Set when the question is whether to re-run a call the sandbox refused outside it, with the user's full rights (`reason` says what was refused). Only an explicit yes to it counts",
    ),
  agent: z
    .string()
    .optional()
    .describe('Set when a sub-agent asks (through its parent): the agent, to label the question with'),
  sessionId: z.string().optional().describe("The sub-agent's session, when a sub-agent asks"),
})
export type PermissionRequest = z.output<typeof PermissionRequestSchema>

export const RunResultSchema = z
  .object({
    status: RunOutcomeStatusSchema,
    text: z.string().describe("The assistant's last text"),
    usage: TokenUsageSchema,
    cost: z.number().describe('USD, from the model catalogue'),
    iterations: z.number(),
    durationMs: z.number(),
    error: z
      .object({ kind: z.string(), message: z.string() })
      .optional()
      .describe('Present when status is `failed`: what went wrong, in words for the user'),
  })
  .describe('The payload of `run.finished`: what `client.sessions.run()` returns')
export type RunResult = z.output<typeof RunResultSchema>

export const CompactionReasonSchema = z
  .enum(['threshold', 'manual', 'overflow'])
  .describe(
    'Why the conversation was compacted: it passed the threshold, `/compact`, or the provider said it was too long',
  )
export type CompactionReason = z.output<typeof CompactionReasonSchema>

export const ContextCompactionSchema = z
  .object({
    reason: CompactionReasonSchema,
    tokensBefore: z
      .number()
      .describe("The request's tokens (system prompt, history, tool schemas) before the compaction"),
    tokensAfter: z.number().describe("The request's tokens after it"),
    summary: z
      .string()
      .optional()
      .describe(
        'The summary that now stands for the older turns (the text after the summary marker). Absent when nothing was summarised: the request was cut down only by pruning older tool outputs and/or truncating the newest results, in place',
      ),
    keptMessages: z
      .number()
      .describe(
        "How many messages of the conversation were kept: with a `summary`, the history is now `[summary message, ...previous.slice(-keptMessages)]`; without one, every message was kept (the conversation's length). Kept messages' old tool outputs may be elided, and the newest turn's results truncated, as counted below",
      ),
    prunedOutputs: Count.describe(
      'Older tool outputs this compaction replaced by a one-line note (pruning), before summarising',
    ),
    truncatedOutputs: Count.describe(
      'Tool results of the newest turn, which the model has not read yet, cut to their head and tail (with a note) because they alone did not fit the window. They are never summarised',
    ),
    summarisedMessages: Count.describe(
      'Messages the summary now stands for (summarised, or dropped when the summariser failed)',
    ),
  })
  .describe(
    'The payload of `context.compacted`: the request was cut down to fit (older turns summarised, older tool outputs pruned, or the newest results truncated). Not sent when the conversation was left unchanged',
  )
export type ContextCompaction = z.output<typeof ContextCompactionSchema>

/** Every event carries these. */
const Envelope = {
  runId: z.string(),
  time: z.number().describe('Milliseconds since the epoch'),
  sessionId: z
    .string()
    .optional()
    .describe("The session the event belongs to (the stored session's id, or the engine's own)"),
  parentSessionId: z
    .string()
    .optional()
    .describe("Set on a sub-agent's events: the session that started it with `task`"),
}

function event<T extends string, S extends z.ZodRawShape>(type: T, shape: S) {
  return z.object({ ...Envelope, type: z.literal(type), ...shape })
}

const ToolFinished = {
  callId: z.string(),
  tool: z.string(),
  isError: z.boolean(),
  output: z.string().describe('What the model reads'),
  details: ToolDetailsSchema.describe(
    "What UIs render: a `kind`, a one-line `summary` and the kind's fields. Never sent to the model",
  ),
  durationMs: z.number(),
}

/** The events but `subagent.event`, which nests any of them. */
const EVENTS = [
  event('run.started', {
    model: z.string(),
    workspace: z.string(),
    prompt: z.string(),
    sandbox: z
      .string()
      .optional()
      .describe(
        "How commands run: `off`, or the sandbox's mode and network (`workspace-write, network off`)",
      ),
  }),
  event('turn.started', { iteration: z.number() }),
  event('text.delta', { delta: z.string() }),
  event('reasoning.delta', {
    delta: z
      .string()
      .describe("The model's readable reasoning as it streams (shown dimmed or collapsed; never the answer)"),
  }),
  event('turn.retry', {
    attempt: z.number(),
    delayMs: z.number(),
    reason: z
      .string()
      .describe('The model stream failed mid-turn and is being retried: partial text of this turn is void'),
  }),
  event('tool.started', {
    callId: z.string(),
    tool: z.string(),
    args: z.unknown(),
    title: z.string().describe('One line naming what the call is about (a path, a command), from the tool'),
  }),
  event('tool.output', {
    callId: z.string(),
    tool: z.string(),
    text: z
      .string()
      .describe(
        "Live output of a call still running (a command's stdout and stderr as they come), for UIs to show a tail. `tool.finished` still carries the whole result; nothing stores these",
      ),
  }),
  event('tool.finished', ToolFinished),
  event('permission.asked', PermissionRequestSchema.shape),
  event('permission.answered', {
    id: z.string(),
    callId: z.string(),
    tool: z.string(),
    reply: PermissionReplySchema,
    auto: z.boolean(),
  }),
  event('usage', {
    usage: TokenUsageSchema,
    total: TokenUsageSchema,
    cost: z.number(),
    totalCost: z.number(),
  }),
  event('message.delivered', {
    delivery: DeliverySchema,
    text: z
      .string()
      .describe(
        'A message the user sent while the run was in progress, now in the conversation as a user turn the next request carries: `steer` (taken before the next request, after the tool results of the turn in progress) or `follow_up` (taken when the model would have stopped)',
      ),
  }),
  event('notice', {
    level: NoticeLevelSchema,
    source: z.string().describe('The extension (hook, MCP server, plugin) or part of Penguin it is about'),
    message: z
      .string()
      .describe(
        "Something the user should know that is not the model's answer: a hook that failed, an MCP server that could not start or died, a plugin that threw",
      ),
  }),
  event('context.compacted', ContextCompactionSchema.shape),
  event('run.finished', RunResultSchema.shape),
] as const

/**
 * A nested child event's ids again in snake_case, the way the server's stream names ids
 * (`session_id`, `run_id`): so a client reading the stream finds a sub-agent's `session_id` and
 * `parent_session_id` whichever spelling it reads.
 */
const ChildIdsSchema = z.object({
  session_id: z.string().optional().describe("The sub-agent's session (the event's `sessionId` again)"),
  parent_session_id: z
    .string()
    .optional()
    .describe("The session whose `task` call started the sub-agent (the event's `parentSessionId` again)"),
})

/** Built on first use: it refers to the union it is part of. */
let childEventSchema: ChildEventZod | undefined

/**
 * A sub-agent's event, nested in its parent's stream. Declared with a getter because `event` is
 * any engine event again (a sub-agent's own sub-agent).
 */
const SubagentEventSchema = z
  .object({
    ...Envelope,
    type: z.literal('subagent.event'),
    callId: z.string().describe('The `task` call that started the sub-agent'),
    agent: z.string().describe("The child's agent"),
    depth: z.number().int().describe('1 for a child, 2 below that'),
    get event(): ChildEventZod {
      childEventSchema ??= z.intersection(EngineEventSchema, ChildIdsSchema)
      return childEventSchema
    },
  })
  .describe(
    "An event of a sub-agent (or of its own sub-agent) started by a `task` call: `event` is the child's event as it emitted it (with its `sessionId` and `parentSessionId`), plus those two again as `session_id` and `parent_session_id`. A UI shows these nested under the call; a child's `run.finished` is not the parent's. A child's streamed text, reasoning and live command output are not passed up",
  )

/**
 * The engine's public event stream. UIs, the server's SSE and `--json` all consume exactly this.
 * Every event carries the run id and a millisecond timestamp.
 */
export const EngineEventSchema: EngineEventZod = z
  .discriminatedUnion('type', [...EVENTS, SubagentEventSchema])
  .describe('One engine event: every one carries the run id and a millisecond timestamp')

/** A child's event as `subagent.event` nests it: the event plus its ids in snake_case. */
type ChildEventZod = z.ZodIntersection<EngineEventZod, typeof ChildIdsSchema>

/** Named, so that `subagent.event` can refer to the union it is part of. */
export interface EngineEventZod
  extends z.ZodDiscriminatedUnion<[...typeof EVENTS, typeof SubagentEventSchema], 'type'> {}

export type EngineEvent = z.output<typeof EngineEventSchema>
export type EngineEventType = EngineEvent['type']
