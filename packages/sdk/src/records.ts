/**
 * The records of docs/api.md, as the server sends them: snake_case keys, ISO-8601 timestamps,
 * string ids for sessions, engine runs and permissions, integer ids for everything else. Printed
 * from the server's own zod schemas (@penguin-ai/protocol) into generated.ts — never copied here.
 */
import type { Checkpoint, Message, Part, Project, Run, UsageReport } from './generated.js'

export type {
  AgentInfo,
  AgentList,
  Checkpoint,
  CheckpointDiff,
  CheckpointRestore,
  CompactResult,
  FileChange,
  ImagePart,
  McpServerStatus,
  Memory,
  Message,
  ModelInfo,
  ModelList,
  Part,
  Permission,
  PermissionAnswered,
  PlannedTask,
  PlanResult,
  Project,
  ProjectRunAccepted,
  Run,
  RunAccepted,
  Session,
  SessionMcp,
  Task,
  TaskGraph,
  TaskStatus,
  UsageRecord,
  UsageReport,
} from './generated.js'

/** The model's reasoning part: readable `text` plus the provider's opaque state, sent back unchanged. */
export type ReasoningPart = Extract<Part, { type: 'reasoning' }>
export type MessageRole = Message['role']
export type RunStatus = Run['status']
export type CheckpointKind = Checkpoint['kind']
export type ProjectStatus = Project['status']
/** Tokens, cost and runs (`GET /usage`'s total and each row). */
export type UsageTotals = UsageReport['total']

export interface ItemList<T> {
  items: T[]
  next_cursor?: string | null
}
