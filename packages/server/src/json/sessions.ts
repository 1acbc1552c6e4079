/** Store records → the API's JSON records (snake_case), typed by the schemas in @penguin-ai/protocol. */
import { type MessageJson, type SessionJson, ToolDetailsSchema } from '@penguin-ai/protocol/api'
import type { ImagePart, MessagePart, Session, StoredMessage } from '@penguin-ai/store'

export function sessionJson(
  session: Session,
  live: { autoApprove: boolean; activeRunId: string | null },
): SessionJson {
  return {
    id: session.id,
    title: session.title,
    workspace: session.workspace,
    model: session.model,
    project_id: session.projectId,
    parent_id: session.parentId,
    forked_from_checkpoint_id: session.forkedFromCheckpointId,
    parent_session_id: session.parentSessionId,
    agent: session.agent,
    message_count: session.messageCount,
    input_tokens: session.inputTokens,
    output_tokens: session.outputTokens,
    cache_read_tokens: session.cacheReadTokens,
    cache_write_tokens: session.cacheWriteTokens,
    cost_usd: session.costUsd,
    auto_approve: live.autoApprove,
    active_run_id: live.activeRunId,
    created_at: session.createdAt,
    updated_at: session.updatedAt,
  }
}

function imageJson(part: ImagePart) {
  return { type: 'image' as const, media_type: part.mediaType, data: part.data }
}

function partJson(part: MessagePart): MessageJson['parts'][number] {
  switch (part.type) {
    case 'image':
      return imageJson(part)
    case 'tool_result': {
      // Stored as the tool gave them; only what still fits the contract goes out.
      const details = part.details === undefined ? undefined : ToolDetailsSchema.safeParse(part.details)
      return {
        type: 'tool_result',
        tool_call_id: part.toolCallId,
        name: part.name,
        content: part.content,
        is_error: part.isError,
        ...(part.images ? { images: part.images.map(imageJson) } : {}),
        ...(details?.success ? { details: details.data } : {}),
      }
    }
    case 'summary':
      return {
        type: 'summary',
        text: part.text,
        ...(part.keptMessages === undefined ? {} : { kept_messages: part.keptMessages }),
      }
    default:
      return part
  }
}

export function messageJson(message: StoredMessage): MessageJson {
  return {
    id: message.id,
    session_id: message.sessionId,
    role: message.role,
    parts: message.parts.map(partJson),
    model: message.model,
    input_tokens: message.inputTokens,
    output_tokens: message.outputTokens,
    cache_read_tokens: message.cacheReadTokens,
    cache_write_tokens: message.cacheWriteTokens,
    cost_usd: message.costUsd,
    created_at: message.createdAt,
  }
}
