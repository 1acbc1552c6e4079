/** Shared by the chat reducer's tests: a session, events of a run, stored messages, previews. */
import type {
  Message,
  Permission,
  PermissionPreview,
  Session,
  SessionEvent,
  ToolDetails,
} from '@penguin-ai/sdk'
import { type ChatAction, chatReducer, initialChatState } from '../../src/app/chat/chat-reducer.js'
import type { ChatState } from '../../src/app/chat/chat-types.js'

export const RUN = 'run_1'
/** An empty usage as the SDK types it (the UI's tests take no engine package, so not llm's emptyUsage()). */
export const usage = {
  inputTokens: 0,
  outputTokens: 0,
  cacheReadTokens: 0,
  cacheWriteTokens: 0,
  cachedInputTokens: 0,
  totalTokens: 0,
}

export function session(patch: Partial<Session> = {}): Session {
  return {
    id: 'ses_1',
    title: null,
    workspace: '/w',
    model: 'openai/gpt-4o',
    project_id: null,
    parent_id: null,
    parent_session_id: null,
    agent: null,
    forked_from_checkpoint_id: null,
    message_count: 0,
    input_tokens: 100,
    output_tokens: 10,
    cache_read_tokens: 0,
    cache_write_tokens: 0,
    cost_usd: 0.5,
    auto_approve: false,
    active_run_id: null,
    created_at: '2025-01-01T00:00:00Z',
    updated_at: '2025-01-01T00:00:00Z',
    ...patch,
  }
}

export type Body = SessionEvent extends infer E
  ? E extends SessionEvent
    ? Omit<E, 'runId' | 'time' | 'session_id' | 'run_id'>
    : never
  : never

export function ev(body: Body, runId = RUN): ChatAction {
  return {
    type: 'event',
    event: { ...body, runId, time: 0, session_id: 'ses_1', run_id: runId } as SessionEvent,
  }
}

export function run(state: ChatState, ...actions: ChatAction[]): ChatState {
  return actions.reduce(chatReducer, state)
}

export function loaded(
  messages: Message[] = [],
  permissions: Permission[] = [],
  patch: Partial<Session> = {},
): ChatState {
  return chatReducer(initialChatState(), { type: 'loaded', messages, session: session(patch), permissions })
}

export const EDIT_PREVIEW: PermissionPreview = {
  kind: 'file-edit',
  summary: 'a.ts (+1 -1)',
  files: [{ path: 'a.ts', operation: 'modify', added: 1, removed: 1, diff: '--- a/a.ts\n+++ b/a.ts\n' }],
}
export const EDIT_DETAILS: ToolDetails = { ...EDIT_PREVIEW }
export const LS_PREVIEW: PermissionPreview = {
  kind: 'command',
  summary: 'ls',
  command: 'ls',
  cwd: '.',
  realCwd: '/w',
}

export function message(id: number, role: Message['role'], parts: Message['parts']): Message {
  return {
    id,
    session_id: 'ses_1',
    role,
    parts,
    model: null,
    input_tokens: 0,
    output_tokens: 0,
    cache_read_tokens: 0,
    cache_write_tokens: 0,
    cost_usd: 0,
    created_at: '2025-01-01T00:00:00Z',
  }
}
