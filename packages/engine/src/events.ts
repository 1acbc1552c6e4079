/**
 * The engine's public event stream and its payloads. UIs, the server's SSE and `--json` all consume
 * exactly this. The types are defined once, as zod schemas in `@penguin-ai/protocol` (events.ts),
 * which the server publishes and the SDK's types are printed from: add an event there.
 */
import type { ToolCall } from '@penguin-ai/llm'
import type { DenialReason } from '@penguin-ai/tools'

export type {
  CompactionReason,
  ContextCompaction,
  EngineEvent,
  EngineEventType,
  PermissionReply,
  PermissionRequest,
  RunOutcomeStatus as RunStatus,
  RunResult,
} from '@penguin-ai/protocol'
/**
 * Why a call was refused, in `tool.finished` details of kind `denied` (`details.denied`, with
 * `details.access` and `details.subject`): a deny rule, the user's "no", a non-interactive run that
 * could not ask, a write inside `.git/` / `.penguin/` that could not be asked about, or an extension
 * (a hook, a plugin) that refused it.
 */
export type { DenialReason, ToolCall }
