import type { PermissionReply } from '@penguin-ai/sdk'
import { memo } from 'react'
import { ChatItemView } from './chat-item.js'
import type { ChatItem, Nest } from './chat-types.js'

interface Props {
  items: readonly ChatItem[]
  onReply: (id: string, reply: PermissionReply) => void
}

/**
 * The conversation. Items are memoised and off-screen ones skip layout and paint
 * (`content-visibility: auto` in the stylesheet), so long sessions render quickly.
 */
export const MessageList = memo(function MessageList({ items, onReply }: Props) {
  if (items.length === 0) return <p className="empty">No messages yet. Say what you want done.</p>
  return (
    <ol className="messages" aria-label="Conversation">
      {items.map((item) => (
        <li
          key={item.key}
          className={`item item-${item.kind}${nestOf(item) ? ` nested depth-${nestOf(item)?.depth}` : ''}`}
          data-agent={nestOf(item)?.agent}
        >
          <ChatItemView item={item} onReply={onReply} />
        </li>
      ))}
    </ol>
  )
})

/** A sub-agent's item (its header or one of its calls): shown indented in its agent's panel. */
function nestOf(item: ChatItem): Nest | undefined {
  return item.kind === 'tool' || item.kind === 'subagent' ? item.nest : undefined
}
