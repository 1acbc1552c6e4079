/**
 * `session/load`: a stored conversation told again as the `session/update`s a client would have
 * seen live — the user's prompts, the answers and reasoning, each tool call with its result.
 */
import type * as acp from '@agentclientprotocol/sdk'
import type { StoredMessage } from '@penguin-ai/store'
import { ToolDetailsSchema } from '@penguin-ai/tools'
import { argumentLocations, outputContent, tail, textContent, toolKind } from './tool-calls.js'

function parseArguments(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text)
    return value && typeof value === 'object' ? (value as Record<string, unknown>) : undefined
  } catch {
    return undefined
  }
}

/** A finished call's content as recorded: edits as their unified diffs (the files moved on since). */
function recordedContent(output: string, raw: Record<string, unknown> | undefined): acp.ToolCallContent[] {
  const parsed = raw ? ToolDetailsSchema.safeParse(raw) : undefined
  const details = parsed?.success ? parsed.data : undefined
  if (details?.kind === 'file-edit') {
    return details.files.map((file) =>
      textContent(file.diff ? `\`\`\`diff\n${file.diff}\n\`\`\`` : `${file.operation} ${file.path}`),
    )
  }
  if (details?.kind === 'command') {
    const text = [details.stdout, details.stderr].filter(Boolean).join('\n')
    return [outputContent(`$ ${details.command}\n${text}${text ? '\n' : ''}${details.summary}`)]
  }
  return [textContent(details && details.kind !== 'generic' ? details.summary : tail(output))]
}

export function replayUpdates(messages: StoredMessage[], workspace: string): acp.SessionUpdate[] {
  const updates: acp.SessionUpdate[] = []
  for (const message of messages) {
    for (const part of message.parts) {
      switch (part.type) {
        case 'text':
          updates.push({
            sessionUpdate: message.role === 'user' ? 'user_message_chunk' : 'agent_message_chunk',
            content: { type: 'text', text: part.text },
          })
          break
        case 'image':
          if (message.role === 'user') {
            updates.push({
              sessionUpdate: 'user_message_chunk',
              content: { type: 'image', mimeType: part.mediaType, data: part.data },
            })
          }
          break
        case 'reasoning':
          if (part.text && !part.redacted) {
            updates.push({ sessionUpdate: 'agent_thought_chunk', content: { type: 'text', text: part.text } })
          }
          break
        case 'summary':
          updates.push({
            sessionUpdate: 'agent_thought_chunk',
            content: { type: 'text', text: `Summary of the earlier conversation:\n${part.text}` },
          })
          break
        case 'tool_call': {
          const args = parseArguments(part.arguments)
          const path = typeof args?.path === 'string' ? ` ${args.path}` : ''
          updates.push({
            sessionUpdate: 'tool_call',
            toolCallId: part.id,
            title: `${part.name}${path}`,
            kind: toolKind(part.name),
            status: 'pending',
            ...(args ? { rawInput: args } : {}),
            locations: argumentLocations(workspace, args),
          })
          break
        }
        case 'tool_result':
          updates.push({
            sessionUpdate: 'tool_call_update',
            toolCallId: part.toolCallId,
            status: part.isError ? 'failed' : 'completed',
            content: recordedContent(part.content, part.details),
          })
          break
      }
    }
  }
  return updates
}
