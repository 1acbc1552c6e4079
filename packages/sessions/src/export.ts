import type { Session, StoredMessage } from '@penguin-ai/store'
import { oneLine } from '@penguin-ai/tools'
import { renderSessionTree, type SessionTreeNode, treeSize } from './tree.js'

export interface ExportOptions {
  /** The session's tree of sub-agents' sessions (see `sessionTree`); shown when it has more than one. */
  tree?: SessionTreeNode
}

/** A session as JSON: the record and its conversation, parts intact (and its tree, when given). */
export function sessionToJson(
  session: Session,
  messages: readonly StoredMessage[],
  options: ExportOptions = {},
): string {
  return JSON.stringify({ session, messages, ...(options.tree ? { tree: options.tree } : {}) }, null, 2)
}

/** A session as Markdown a person can read or paste into an issue. */
export function sessionToMarkdown(
  session: Session,
  messages: readonly StoredMessage[],
  options: ExportOptions = {},
): string {
  const lines = [
    `# ${session.title ?? `Session ${session.id}`}`,
    '',
    `- id: \`${session.id}\``,
    `- workspace: \`${session.workspace}\``,
    `- model: ${session.model ?? 'unknown'}`,
    `- created: ${session.createdAt}`,
    `- messages: ${session.messageCount}, tokens: ${session.inputTokens + session.outputTokens}, cost: $${session.costUsd.toFixed(4)}`,
    ...(session.parentSessionId
      ? [`- sub-agent: ${session.agent ?? 'unknown'}, started by \`${session.parentSessionId}\``]
      : session.agent
        ? [`- agent: ${session.agent}`]
        : []),
    '',
  ]
  if (options.tree && treeSize(options.tree) > 1)
    lines.push('## Sessions', '', fence(renderSessionTree(options.tree, session.id)), '')
  for (const message of messages) {
    for (const part of message.parts) {
      switch (part.type) {
        case 'text':
          if (!part.text) break
          lines.push(`## ${message.role === 'user' ? 'User' : 'Assistant'}`, '', part.text, '')
          break
        case 'reasoning':
          if (part.text)
            lines.push('<details><summary>Reasoning</summary>', '', part.text, '', '</details>', '')
          else if (part.redacted || part.encrypted) lines.push('_(reasoning not shown by the provider)_', '')
          break
        case 'image':
          lines.push(`_[image: ${part.mediaType}, ${imageSize(part.data)}]_`, '')
          break
        case 'summary':
          lines.push('## Summary of the earlier conversation', '', part.text, '')
          break
        case 'tool_call':
          lines.push(`**Tool call** \`${part.name}\``, '', fence(prettyJson(part.arguments), 'json'), '')
          break
        case 'tool_result': {
          // The one-line summary the live run showed (stored with the result since details exist).
          const summary =
            typeof part.details?.summary === 'string' ? ` — ${oneLine(part.details.summary)}` : ''
          lines.push(
            `**Result** of \`${part.name}\`${part.isError ? ' (error)' : ''}${summary}`,
            '',
            fence(part.content),
            '',
          )
          for (const image of part.images ?? [])
            lines.push(`_[image: ${image.mediaType}, ${imageSize(image.data)}]_`, '')
          break
        }
      }
    }
  }
  return `${lines.join('\n').trimEnd()}\n`
}

/** The decoded size of a base64 image, for a placeholder line (images are not inlined in Markdown). */
function imageSize(base64: string): string {
  const bytes =
    Math.floor((base64.length * 3) / 4) - (base64.endsWith('==') ? 2 : base64.endsWith('=') ? 1 : 0)
  return bytes < 1024 ? `${bytes} B` : `${(bytes / 1024).toFixed(1)} KB`
}

function prettyJson(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2)
  } catch {
    return text
  }
}

/** A fence longer than any backtick run inside, so content cannot close it early. */
function fence(text: string, lang = ''): string {
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((m) => m[0].length))
  const marks = '`'.repeat(longest + 1)
  return `${marks}${lang}\n${text}\n${marks}`
}
