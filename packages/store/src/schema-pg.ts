/**
 * The PostgreSQL schema (drizzle pg-core): the same tables, columns, keys and indexes as the SQLite
 * schema in schema.ts, column for column (test/schema-parity.test.ts holds the two together —
 * drizzle has no single definition for two dialects). Records come out the same on both backends:
 * ids are integers (identity columns, BY DEFAULT so `penguin db copy` keeps them), token counts
 * 64-bit like SQLite's integers, timestamps millisecond-precise `timestamptz` read as Dates, JSON in
 * `json` columns (kept as written: message parts carry providers' opaque state).
 * Changing this file means generating a migration into drizzle/postgres:
 * `pnpm --filter @penguin-ai/store db:generate:pg --name what_changed`. What drizzle cannot
 * describe lives in custom migrations: the full-text index over `memories` (a generated tsvector
 * column `search` and its GIN index, migration 0001) is one.
 */
import { sql } from 'drizzle-orm'
import {
  type AnyPgColumn,
  bigint,
  boolean,
  doublePrecision,
  index,
  integer,
  json,
  pgTable,
  timestamp as pgTimestamp,
  primaryKey,
  text,
  uniqueIndex,
} from 'drizzle-orm/pg-core'
import type { CheckpointKind, IdRanges, MessagePart, MessageRole } from './session-types.js'
import type { ProjectStatus, RunStatus, TaskStatus } from './types.js'

const timestamp = (name: string) => pgTimestamp(name, { withTimezone: true, precision: 3, mode: 'date' })
/** Counts that may pass 2^31 (a project's tokens): int8, read back as a JS number. */
const count = (name: string) => bigint(name, { mode: 'number' })
const id = (name: string) => integer(name).primaryKey().generatedByDefaultAsIdentity()

export const projects = pgTable('projects', {
  id: id('id'),
  name: text('name').notNull().unique(),
  description: text('description'),
  workspace: text('workspace'),
  status: text('status').$type<ProjectStatus>().notNull().default('active'),
  budgetTokens: count('budget_tokens'),
  budgetUsd: doublePrecision('budget_usd'),
  budgetSeconds: doublePrecision('budget_seconds'),
  tokensUsed: count('tokens_used').notNull().default(0),
  costUsd: doublePrecision('cost_usd').notNull().default(0),
  secondsUsed: doublePrecision('seconds_used').notNull().default(0),
  createdAt: timestamp('created_at').notNull(),
  updatedAt: timestamp('updated_at').notNull(),
})

export const tasks = pgTable(
  'tasks',
  {
    id: id('id'),
    projectId: integer('project_id')
      .notNull()
      .references(() => projects.id, { onDelete: 'cascade' }),
    parentId: integer('parent_id').references((): AnyPgColumn => tasks.id, { onDelete: 'set null' }),
    title: text('title').notNull(),
    description: text('description'),
    acceptanceCriteria: json('acceptance_criteria').$type<string[]>().notNull().default([]),
    verifyCommand: text('verify_command'),
    status: text('status').$type<TaskStatus>().notNull().default('pending'),
    priority: integer('priority').notNull().default(0),
    budgetTokens: count('budget_tokens'),
    budgetUsd: doublePrecision('budget_usd'),
    tokensUsed: count('tokens_used').notNull().default(0),
    costUsd: doublePrecision('cost_usd').notNull().default(0),
    resultSummary: text('result_summary'),
    failureReason: text('failure_reason'),
    createdAt: timestamp('created_at').notNull(),
    updatedAt: timestamp('updated_at').notNull(),
    startedAt: timestamp('started_at'),
    finishedAt: timestamp('finished_at'),
  },
  (t) => [
    index('tasks_ready_idx').on(t.projectId, t.status, t.priority.desc(), t.id),
    index('tasks_parent_idx').on(t.parentId),
  ],
)

export const taskDependencies = pgTable(
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

export const runs = pgTable(
  'runs',
  {
    id: id('id'),
    projectId: integer('project_id').references(() => projects.id, { onDelete: 'cascade' }),
    taskId: integer('task_id').references(() => tasks.id, { onDelete: 'set null' }),
    status: text('status').$type<RunStatus>().notNull().default('running'),
    model: text('model').notNull(),
    inputTokens: count('input_tokens').notNull().default(0),
    outputTokens: count('output_tokens').notNull().default(0),
    cacheReadTokens: count('cache_read_tokens').notNull().default(0),
    cacheWriteTokens: count('cache_write_tokens').notNull().default(0),
    costUsd: doublePrecision('cost_usd').notNull().default(0),
    turns: integer('turns').notNull().default(0),
    finalText: text('final_text'),
    error: text('error'),
    startedAt: timestamp('started_at').notNull(),
    endedAt: timestamp('ended_at'),
  },
  (t) => [index('runs_project_idx').on(t.projectId), index('runs_task_idx').on(t.taskId)],
)

export const events = pgTable(
  'events',
  {
    id: id('id'),
    type: text('type').notNull(),
    projectId: integer('project_id'),
    taskId: integer('task_id'),
    data: json('data').$type<Record<string, unknown>>().notNull(),
    createdAt: timestamp('created_at').notNull(),
  },
  (t) => [index('events_project_idx').on(t.projectId, t.id), index('events_task_idx').on(t.taskId, t.id)],
)

export const sessions = pgTable(
  'sessions',
  {
    id: text('id').primaryKey(),
    title: text('title'),
    workspace: text('workspace').notNull(),
    model: text('model'),
    projectId: integer('project_id').references(() => projects.id, { onDelete: 'set null' }),
    parentId: text('parent_id').references((): AnyPgColumn => sessions.id, { onDelete: 'set null' }),
    forkedFromCheckpointId: integer('forked_from_checkpoint_id').references(
      (): AnyPgColumn => checkpoints.id,
      { onDelete: 'set null' },
    ),
    // A sub-agent's session and its agent (as in the SQLite schema, migration 0007 there).
    parentSessionId: text('parent_session_id').references((): AnyPgColumn => sessions.id, {
      onDelete: 'cascade',
    }),
    agent: text('agent'),
    autoApprove: boolean('auto_approve').notNull().default(false),
    inputTokens: count('input_tokens').notNull().default(0),
    outputTokens: count('output_tokens').notNull().default(0),
    cacheReadTokens: count('cache_read_tokens').notNull().default(0),
    cacheWriteTokens: count('cache_write_tokens').notNull().default(0),
    costUsd: doublePrecision('cost_usd').notNull().default(0),
    createdAt: timestamp('created_at').notNull(),
    updatedAt: timestamp('updated_at').notNull(),
  },
  (t) => [
    index('sessions_workspace_idx').on(t.workspace, t.updatedAt),
    index('sessions_updated_idx').on(t.updatedAt, t.id),
    index('sessions_project_idx').on(t.projectId),
    index('sessions_parent_idx').on(t.parentId),
    index('sessions_forked_from_idx').on(t.forkedFromCheckpointId),
    index('sessions_parent_session_idx').on(t.parentSessionId, t.createdAt),
  ],
)

export const messages = pgTable(
  'messages',
  {
    id: id('id'),
    sessionId: text('session_id')
      .notNull()
      .references(() => sessions.id, { onDelete: 'cascade' }),
    role: text('role').$type<MessageRole>().notNull(),
    parts: json('parts').$type<MessagePart[]>().notNull(),
    model: text('model'),
    inputTokens: count('input_tokens').notNull().default(0),
    outputTokens: count('output_tokens').notNull().default(0),
    cacheReadTokens: count('cache_read_tokens').notNull().default(0),
    cacheWriteTokens: count('cache_write_tokens').notNull().default(0),
    costUsd: doublePrecision('cost_usd').notNull().default(0),
    reverted: boolean('reverted').notNull().default(false),
    createdAt: timestamp('created_at').notNull(),
  },
  (t) => [
    index('messages_session_idx').on(t.sessionId, t.id),
    index('messages_live_idx').on(t.sessionId, t.id).where(sql`${t.reverted} = false`),
  ],
)

export const checkpoints = pgTable(
  'checkpoints',
  {
    id: id('id'),
    sessionId: text('session_id')
      .notNull()
      .references(() => sessions.id, { onDelete: 'cascade' }),
    kind: text('kind').$type<CheckpointKind>().notNull(),
    commit: text('commit'),
    messages: json('messages').$type<IdRanges>().notNull(),
    messageCount: integer('message_count').notNull(),
    label: text('label'),
    createdAt: timestamp('created_at').notNull(),
  },
  (t) => [
    index('checkpoints_session_idx').on(t.sessionId, t.id),
    index('checkpoints_commit_idx').on(t.commit),
  ],
)

export const memories = pgTable(
  'memories',
  {
    id: id('id'),
    scope: text('scope').notNull(),
    content: text('content').notNull(),
    tags: json('tags').$type<string[]>().notNull().default([]),
    sessionId: text('session_id').references(() => sessions.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at').notNull(),
  },
  (t) => [index('memories_scope_idx').on(t.scope, t.id), index('memories_session_idx').on(t.sessionId)],
)

export const apiTokens = pgTable(
  'api_tokens',
  {
    id: id('id'),
    name: text('name').notNull().unique(),
    hash: text('hash').notNull().unique(),
    prefix: text('prefix').notNull(),
    createdAt: timestamp('created_at').notNull(),
    lastUsedAt: timestamp('last_used_at'),
    revokedAt: timestamp('revoked_at'),
  },
  (t) => [index('api_tokens_revoked_idx').on(t.revokedAt)],
)

/** Runs dispatched through the job queue (migration 0003); see schema.ts. */
export const runLeases = pgTable(
  'run_leases',
  {
    runId: text('run_id').primaryKey(),
    kind: text('kind').notNull(),
    sessionId: text('session_id'),
    projectId: integer('project_id'),
    workspace: text('workspace').notNull(),
    job: json('job').$type<Record<string, unknown>>().notNull(),
    status: text('status').notNull().default('queued'),
    record: json('record').$type<Record<string, unknown>>(),
    workerId: text('worker_id'),
    workerRoots: json('worker_roots').$type<string[]>(),
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
