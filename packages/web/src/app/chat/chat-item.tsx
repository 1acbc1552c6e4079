import type { PermissionReply } from '@penguin-ai/sdk'
import { memo } from 'react'
import type { ChatItem } from './chat-types.js'
import { InlineImages } from './inline-images.js'
import { MessageText } from './message-text.js'
import { ToolCard } from './tool-card.js'

interface Props {
  item: ChatItem
  onReply: (id: string, reply: PermissionReply) => void
}

/** One entry of the conversation; memoised so a streaming delta re-renders only the item it changes. */
export const ChatItemView = memo(function ChatItemView({ item, onReply }: Props) {
  switch (item.kind) {
    case 'user':
      return (
        <div className={`message user${item.pending ? ' pending' : ''}`}>
          <span className="who">You</span>
          <MessageText text={item.text} />
          <InlineImages images={item.images} />
        </div>
      )
    case 'assistant':
      return (
        <div className={`message assistant${item.streaming ? ' streaming' : ''}`} aria-busy={item.streaming}>
          <span className="who">Penguin</span>
          <MessageText text={item.text} />
          <InlineImages images={item.images} />
        </div>
      )
    case 'reasoning':
      // Collapsed by default: the reasoning is there for whoever wants it, not in the way.
      return (
        <details className="reasoning" aria-busy={item.streaming}>
          <summary className="reasoning-summary">{item.streaming ? 'Thinking…' : 'Reasoning'}</summary>
          <MessageText text={item.text} />
        </details>
      )
    case 'tool':
      return <ToolCard item={item} onReply={onReply} />
    case 'summary':
      return (
        <details className="summary-note">
          <summary>Earlier conversation (summarised)</summary>
          <MessageText text={item.text} />
        </details>
      )
    case 'notice':
      return <p className={`notice ${item.tone ?? 'info'}`}>{item.text}</p>
  }
})
