/**
 * The SQLite schema (drizzle sqlite-core). Columns are snake_case; timestamps are integer
 * milliseconds since the epoch (records expose them as ISO strings); JSON is stored as text.
 * Changing this file means generating a migration:
 * `pnpm --filter @penguin-ai/store db:generate --name what_changed` (see the README).
 * What drizzle cannot describe lives in custom migrations (`db:generate --custom --name …`): the
 * FTS5 index over `memories` (`memories_fts` and its triggers, migration 0003) is one; it is not in
 * this file and drizzle-kit's snapshots do not know it, so no generated migration will touch it.
 */
import { sql } from 'drizzle-orm'
import {
  type AnySQLiteColumn,
  index,
  integer,
  primaryKey,
  real,
  sqliteTable,
  text,
  uniqueIndex,
} from 'drizzle-orm/sqlite-core'
import type { CheckpointKind, IdRanges, MessagePart, MessageRole } from './session-types.js'
import type { ProjectStatus, RunStatus, TaskStatus } from './types.js'

const timestamp = (name: string) => integer(name, { mode: 'timestamp_ms' })

export const projects = sqliteTable('projects', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  name: text('name').notNull().unique(),
  description: text('description'),
  workspace: text('workspace'),
  status: text('status').$type<ProjectStatus>().notNull().default('active'),
  budgetTokens: integer('budget_tokens'),
  budgetUsd: real('budget_usd'),
  budgetSeconds: real('budget_seconds'),
  tokensUsed: integer('tokens_used').notNull().default(0),
  costUsd: real('cost_usd').notNull().default(0),
  secondsUsed: real('seconds_used').notNull().default(0),
  createdAt: timestamp('created_at').notNull(),
  updatedAt: timestamp('updated_at').notNull(),
})

export const tasks = sqliteTable(
  'tasks',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    projectId: integer('project_id')
      .notNull()
      .references(() => projects.id, { onDelete: 'cascade' }),
    // SET NULL is the safety net; deleteTask first moves subtasks up to the deleted task's parent.
    parentId: integer('parent_id').references((): AnySQLiteColumn => tasks.id, {
      onDelete: 'set null',
    }),
    title: text('title').notNull(),
    description: text('description'),
    acceptanceCriteria: text('acceptance_criteria', { mode: 'json' }).$type<string[]>().notNull().default([]),
    verifyCommand: text('verify_command'),
    status: text('status').$type<TaskStatus>().notNull().default('pending'),
    priority: integer('priority').notNull().default(0),
    budgetTokens: integer('budget_tokens'),
    budgetUsd: real('budget_usd'),
    tokensUsed: integer('tokens_used').notNull().default(0),
    costUsd: real('cost_usd').notNull().default(0),
    resultSummary: text('result_summary'),
    // Added by migration 0001.
    failureReason: text('failure_reason'),
    createdAt: timestamp('created_at').notNull(),
    updatedAt: timestamp('updated_at').notNull(),
    startedAt: timestamp('started_at'),
    finishedAt: timestamp('finished_at'),
  },
  (t) => [
    // Serves the ready query: equality on project and status, then the ORDER BY as stored.
    index('tasks_ready_idx').on(t.projectId, t.status, sql`${t.priority} desc`, t.id),
    index('tasks_parent_idx').on(t.parentId),
  ],
)

export const taskDependencies = sqliteTable(
  'task_dependencies',
  {
    taskId: integer('task_id')
      .notNull()
      .references(() => tasks.id, { onDelete: 'cascade' }),
    dependsOnId: integer('depends_on_id')
      .notNull()
      .references(() => tasks.id, { onDelete: 'cascade' }),
  },
  (t) => [
    primaryKey({ columns: [t.taskId, t.dependsOnId] }),
    index('task_dependencies_depends_on_idx').on(t.dependsOnId),
  ],
)

export const runs = sqliteTable(
  'runs',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    projectId: integer('project_id').references(() => projects.id, { onDelete: 'cascade' }),
    // A run outlives its task (history), not its project.
    taskId: integer('task_id').references(() => tasks.id, { onDelete: 'set null' }),
    status: text('status').$type<RunStatus>().notNull().default('running'),
    model: text('model').notNull(),
    inputTokens: integer('input_tokens').notNull().default(0),
    outputTokens: integer('output_tokens').notNull().default(0),
    // Parts of input_tokens: read from / written to the provider's prompt cache (migration 0006).
    cacheReadTokens: integer('cache_read_tokens').notNull().default(0),
    cacheWriteTokens: integer('cache_write_tokens').notNull().default(0),
    costUsd: real('cost_usd').notNull().default(0),
    turns: integer('turns').notNull().default(0),
    finalText: text('final_text'),
    error: text('error'),
    startedAt: timestamp('started_at').notNull(),
    endedAt: timestamp('ended_at'),
  },
  (t) => [index('runs_project_idx').on(t.projectId), index('runs_task_idx').on(t.taskId)],
)

/** Append-only change log. No foreign keys: history outlives what it describes. */
export const events = sqliteTable(
  'events',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    type: text('type').notNull(),
    projectId: integer('project_id'),
    taskId: integer('task_id'),
    data: text('data', { mode: 'json' }).$type<Record<string, unknown>>().notNull(),
    createdAt: timestamp('created_at').notNull(),
  },
  // Added by migration 0001: a project's or a task's feed, resumed after an id.
  (t) => [index('events_project_idx').on(t.projectId, t.id), index('events_task_idx').on(t.taskId, t.id)],
)

// ---- sessions (added by migration 0002) ----------------------------------------------------

export const sessions = sqliteTable(
  'sessions',
  {
    /** `ses_` + base36 milliseconds + random suffix: sorts by creation time. */
    id: text('id').primaryKey(),
    title: text('title'),
    workspace: text('workspace').notNull(),
    model: text('model'),
    projectId: integer('project_id').references(() => projects.id, { onDelete: 'set null' }),
    parentId: text('parent_id').references((): AnySQLiteColumn => sessions.id, { onDelete: 'set null' }),
    forkedFromCheckpointId: integer('forked_from_checkpoint_id').references(
      (): AnySQLiteColumn => checkpoints.id,
      { onDelete: 'set null' },
    ),
    // A sub-agent's session: the session whose `task` call started it, and the agent it runs as
    // (migration 0007). Deleting a session deletes its sub-agents' sessions.
    parentSessionId: text('parent_session_id').references((): AnySQLiteColumn => sessions.id, {
      onDelete: 'cascade',
    }),
    agent: text('agent'),
    // Runs of the session go without permission asks (the API's `auto_approve`; migration 0009):
    // stored so every server sharing the database queues its prompts with it.
    autoApprove: integer('auto_approve', { mode: 'boolean' }).notNull().default(false),
    inputTokens: integer('input_tokens').notNull().default(0),
    outputTokens: integer('output_tokens').notNull().default(0),
    // Parts of input_tokens: read from / written to the provider's prompt cache (migration 0006).
    cacheReadTokens: integer('cache_read_tokens').notNull().default(0),
    cacheWriteTokens: integer('cache_write_tokens').notNull().default(0),
    costUsd: real('cost_usd').notNull().default(0),
    createdAt: timestamp('created_at').notNull(),
    updatedAt: timestamp('updated_at').notNull(),
  },
  (t) => [
    // latestSession and listSessions({ workspace }): newest activity first.
    index('sessions_workspace_idx').on(t.workspace, t.updatedAt),
    // listSessions across workspaces (the server's GET /api/v1/sessions) reads its page in order
    // instead of sorting every session (migration 0005).
    index('sessions_updated_idx').on(t.updatedAt, t.id),
    index('sessions_project_idx').on(t.projectId),
    // Foreign keys with ON DELETE SET NULL look up their children: index them.
    index('sessions_parent_idx').on(t.parentId),
    index('sessions_forked_from_idx').on(t.forkedFromCheckpointId),
    // A session's sub-agents, oldest first (GET /sessions/{id}/children, `sessions show`).
    index('sessions_parent_session_idx').on(t.parentSessionId, t.createdAt),
  ],
)

export const messages = sqliteTable(
  'messages',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    sessionId: text('session_id')
      .notNull()
      .references(() => sessions.id, { onDelete: 'cascade' }),
    role: text('role').$type<MessageRole>().notNull(),
    parts: text('parts', { mode: 'json' }).$type<MessagePart[]>().notNull(),
    model: text('model'),
    inputTokens: integer('input_tokens').notNull().default(0),
    outputTokens: integer('output_tokens').notNull().default(0),
    // Parts of input_tokens: read from / written to the provider's prompt cache (migration 0006).
    cacheReadTokens: integer('cache_read_tokens').notNull().default(0),
    cacheWriteTokens: integer('cache_write_tokens').notNull().default(0),
    costUsd: real('cost_usd').notNull().default(0),
    /** Taken out of the conversation by a restore; a later restore can bring it back. */
    reverted: integer('reverted', { mode: 'boolean' }).notNull().default(false),
    createdAt: timestamp('created_at').notNull(),
  },
  (t) => [
    index('messages_session_idx').on(t.sessionId, t.id),
    // The conversation itself: listMessages, and Session.messageCount without reading any row.
    index('messages_live_idx').on(t.sessionId, t.id).where(sql`${t.reverted} = 0`),
  ],
)

export const checkpoints = sqliteTable(
  'checkpoints',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    sessionId: text('session_id')
      .notNull()
      .references(() => sessions.id, { onDelete: 'cascade' }),
    kind: text('kind').$type<CheckpointKind>().notNull(),
    /** A commit in the shadow repository, or null. */
    commit: text('commit'),
    /** The session's message ids in the conversation, as inclusive ranges over that session's ids. */
    messages: text('messages', { mode: 'json' }).$type<IdRanges>().notNull(),
    messageCount: integer('message_count').notNull(),
    label: text('label'),
    createdAt: timestamp('created_at').notNull(),
  },
  (t) => [
    index('checkpoints_session_idx').on(t.sessionId, t.id),
    index('checkpoints_commit_idx').on(t.commit),
  ],
)

/** Searched through the FTS5 table `memories_fts` (migration 0003), kept in sync by triggers. */
export const memories = sqliteTable(
  'memories',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    /** `project:<id>` or `workspace:<absolute path>`. */
    scope: text('scope').notNull(),
    content: text('content').notNull(),
    tags: text('tags', { mode: 'json' }).$type<string[]>().notNull().default([]),
    sessionId: text('session_id').references(() => sessions.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at').notNull(),
  },
  (t) => [index('memories_scope_idx').on(t.scope, t.id), index('memories_session_idx').on(t.sessionId)],
)

/**
 * API tokens for `penguin serve` (migration 0004). Only the SHA-256 of a token is kept; `prefix` is
 * its first characters, enough to recognise it in a list. Revoked tokens stay, for the record.
 */
export const apiTokens = sqliteTable(
  'api_tokens',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    name: text('name').notNull().unique(),
    /** Hex SHA-256 of the plaintext token. */
    hash: text('hash').notNull().unique(),
    prefix: text('prefix').notNull(),
    createdAt: timestamp('created_at').notNull(),
    lastUsedAt: timestamp('last_used_at'),
    revokedAt: timestamp('revoked_at'),
  },
  (t) => [index('api_tokens_revoked_idx').on(t.revokedAt)],
)

/**
 * Runs dispatched through the job queue (migration 0008; written only on PostgreSQL, where
 * `penguin serve --database` enqueues and `penguin worker` executes). One row per run: what to run
 * (`job`), where (`workspace`: only a worker with a root above it takes it), and who holds it now
 * (`worker_id`, refreshed `heartbeat_at`; a lease older than the heartbeat timeout is reclaimed and
 * the run dispatched again). The row outlives the run with its outcome (`status`, `record`), so any
 * server answers `GET /runs/{id}`. A session has at most one unfinished run (partial unique index).
 */
export const runLeases = sqliteTable(
  'run_leases',
  {
    runId: text('run_id').primaryKey(),
    kind: text('kind').notNull(),
    sessionId: text('session_id'),
    projectId: integer('project_id'),
    workspace: text('workspace').notNull(),
    job: text('job', { mode: 'json' }).$type<Record<string, unknown>>().notNull(),
    status: text('status').notNull().default('queued'),
    record: text('record', { mode: 'json' }).$type<Record<string, unknown>>(),
    workerId: text('worker_id'),
    workerRoots: text('worker_roots', { mode: 'json' }).$type<string[]>(),
    attempts: integer('attempts').notNull().default(0),
    heartbeatAt: timestamp('heartbeat_at'),
    cancelRequestedAt: timestamp('cancel_requested_at'),
    enqueuedAt: timestamp('enqueued_at').notNull(),
    finishedAt: timestamp('finished_at'),
  },
  (t) => [
    uniqueIndex('run_leases_session_idx').on(t.sessionId).where(sql`${t.finishedAt} IS NULL`),
    index('run_leases_heartbeat_idx').on(t.heartbeatAt),
  ],
)
