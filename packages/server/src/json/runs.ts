/** Store records → the API's JSON records (snake_case), typed by the schemas in @penguin-ai/protocol. */
import type { PermissionJson, RunJson } from '@penguin-ai/protocol/api'
import type { PendingPermission } from '../runtime/permissions.js'
import type { RunRecord } from '../runtime/run-record.js'

export function runJson(run: RunRecord): RunJson {
  return {
    id: run.id,
    session_id: run.sessionId,
    status: run.status,
    started_at: run.startedAt,
    finished_at: run.finishedAt,
    text: run.text,
    usage: {
      input_tokens: run.usage.inputTokens,
      output_tokens: run.usage.outputTokens,
      cache_read_tokens: run.usage.cacheReadTokens,
      cache_write_tokens: run.usage.cacheWriteTokens,
      cached_input_tokens: run.usage.cachedInputTokens,
      total_tokens: run.usage.totalTokens,
    },
    cost_usd: run.costUsd,
    error: run.error,
  }
}

export function permissionJson(permission: PendingPermission): PermissionJson {
  return {
    id: permission.id,
    session_id: permission.sessionId,
    run_id: permission.runId,
    call_id: permission.callId,
    tool: permission.tool,
    access: permission.access,
    subject: permission.subject,
    args: permission.args,
    preview: permission.preview,
    ...(permission.reason ? { reason: permission.reason } : {}),
    ...(permission.agent ? { agent: permission.agent } : {}),
    ...(permission.subagentSessionId ? { subagent_session_id: permission.subagentSessionId } : {}),
    asked_at: permission.askedAt,
  }
}
