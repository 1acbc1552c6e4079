/** Sessions, their conversation and their MCP servers. */

import { route } from '../route.js'
import { listOf, SessionIdParam } from '../schemas/common.js'
import { SessionMcpQuery, SessionMcpSchema } from '../schemas/mcp.js'
import {
  CompactResultSchema,
  CreateSessionBody,
  ForkBody,
  ListSessionsQuery,
  MessageSchema,
  PostMessageBody,
  RunAcceptedSchema,
  SessionSchema,
} from '../schemas/sessions.js'

export const createSession = route({
  method: 'post',
  path: '/sessions',
  summary: 'Create a session',
  notes:
    "`workspace`: absolute or relative to `--root`, symlinks resolved, must be under it (else 403; 400 if it does not exist). `model` defaults to the server's and is resolved now: 422 unknown provider / missing key. `agent`: one of `GET /api/v1/agents` (its prompt, tools, permissions; its model when `model` is absent), else 422 with `details.choices` = the workspace's agents",
  tags: ['sessions'],
  body: CreateSessionBody,
  response: { status: 201, description: 'the new session', schema: SessionSchema },
  errors: [403, 404, 422],
})

export const listSessions = route({
  method: 'get',
  path: '/sessions',
  summary:
    "List top-level sessions, most recently active first (sub-agents' sessions: /sessions/{id}/children)",
  tags: ['sessions'],
  query: ListSessionsQuery,
  response: { status: 200, description: 'sessions', schema: listOf(SessionSchema) },
})

export const getSession = route({
  method: 'get',
  path: '/sessions/{id}',
  summary: 'Get a session',
  tags: ['sessions'],
  params: SessionIdParam,
  response: { status: 200, description: 'the session', schema: SessionSchema },
  errors: [404],
})

export const listChildSessions = route({
  method: 'get',
  path: '/sessions/{id}/children',
  summary: "List a session's sub-agents' sessions (started by its task calls), oldest first",
  tags: ['sessions'],
  params: SessionIdParam,
  response: { status: 200, description: 'sessions', schema: listOf(SessionSchema) },
  errors: [404],
})

export const deleteSession = route({
  method: 'delete',
  path: '/sessions/{id}',
  summary: "Delete a session with its messages, checkpoints and sub-agents' sessions",
  notes: '409 while a run is active',
  tags: ['sessions'],
  params: SessionIdParam,
  response: { status: 204, description: 'deleted' },
  errors: [404, 409],
})

export const forkSession = route({
  method: 'post',
  path: '/sessions/{id}/fork',
  summary: 'Fork a session (its conversation, at a checkpoint or now); files are not touched',
  tags: ['sessions'],
  params: SessionIdParam,
  body: ForkBody,
  response: { status: 201, description: 'the new session', schema: SessionSchema },
  errors: [404],
})

export const sessionMcp = route({
  method: 'get',
  path: '/sessions/{id}/mcp',
  summary:
    "A session's MCP servers (status, transport, tools): live during a run, else as its last run left them; refresh=true starts them to look",
  notes: 'Probed when nothing is known yet',
  tags: ['sessions'],
  params: SessionIdParam,
  query: SessionMcpQuery,
  response: { status: 200, description: 'the MCP servers', schema: SessionMcpSchema },
  errors: [404, 422],
})

export const sendMessage = route({
  method: 'post',
  path: '/sessions/{id}/messages',
  summary:
    'Send a prompt: starts a run in the background; follow it on the events stream. With `delivery`, steer the run in progress or queue a follow-up for it',
  notes:
    '`agent` switches the session to that agent from this run on (stored on the session); 409 if a run is active (unless `delivery` is given: the run in progress takes the message, on whichever server or worker runs it; `agent` cannot change mid-run, 409); 422 unknown `agent` (`details.choices`), the session unchanged',
  tags: ['sessions'],
  params: SessionIdParam,
  body: PostMessageBody,
  response: { status: 202, description: 'the run started', schema: RunAcceptedSchema },
  errors: [404, 409, 422, 503],
})

export const listMessages = route({
  method: 'get',
  path: '/sessions/{id}/messages',
  summary: 'The conversation as stored, oldest first',
  tags: ['sessions'],
  params: SessionIdParam,
  response: { status: 200, description: 'messages', schema: listOf(MessageSchema) },
  errors: [404],
})

export const compactSession = route({
  method: 'post',
  path: '/sessions/{id}/compact',
  summary: 'Summarise older turns now to free context (chat /compact); the next run starts from the summary',
  notes:
    '`compacted: false`: nothing older to summarise yet; 409 while a run is active; 503 the model call failed (nothing changed)',
  tags: ['sessions'],
  params: SessionIdParam,
  response: { status: 200, description: 'what compaction did', schema: CompactResultSchema },
  errors: [404, 409, 422, 503],
})
