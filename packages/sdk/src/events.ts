/**
 * The events of `GET /api/v1/events` and `GET /api/v1/sessions/{id}/events`. Every payload type is
 * printed from @penguin-ai/protocol's schemas into ./generated.ts (engine events exactly as the
 * engine emits them, camelCase, plus `session_id`/`run_id`; project and change events in snake_case;
 * tool details and permission previews); this file only derives names from them.
 */
import type {
  ChangeEvent,
  EngineEvent,
  EventData,
  PermissionPreview,
  ProjectEvent,
  ToolDetails,
} from './generated.js'

export type {
  ChangeEvent,
  CommandDetails,
  CommandPreview,
  CommandSandbox,
  CompactionReason,
  ContextCompaction,
  Delivery,
  DenialReason,
  DeniedDetails,
  EngineEvent,
  EventData,
  FileEditDetails,
  FileEditPreview,
  FileOperation,
  FileReadDetails,
  FileReadPreview,
  GenericDetails,
  GenericPreview,
  McpContent,
  McpDetails,
  McpPreview,
  NoticeLevel,
  PermissionPreview,
  PermissionReply,
  PermissionRequest,
  ProjectEvent,
  ProjectNotice,
  ResyncEvent,
  RunOutcomeStatus,
  RunResult,
  SearchDetails,
  SearchPreview,
  SessionEvent,
  Todo,
  TodoDetails,
  TokenUsage,
  ToolDetails,
  ToolFileChange,
} from './generated.js'

export type EngineEventType = EngineEvent['type']
export type ProjectEventType = ProjectEvent['type']
export type ChangeEventType = ChangeEvent['type']
/** Render by `kind`, never by tool name. */
export type ToolDetailsKind = ToolDetails['kind']
export type PermissionPreviewKind = PermissionPreview['kind']

/**
 * One Server-Sent Event: `id` is the server-wide increasing event id (resume with it as
 * `lastEventId`), `event` the type (the same as `data.type`), `data` the parsed payload.
 */
export type ServerEvent = {
  [K in EventData['type']]: { id: number; event: K; data: Extract<EventData, { type: K }> }
}[EventData['type']]
