import type { PermissionReply } from '@penguin-ai/sdk'
import { memo } from 'react'
import type { ChatItem, SubagentItem } from './chat-types.js'
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
    case 'subagent':
      return <SubagentHeader item={item} />
  }
})

const OUTCOME: Record<SubagentItem['status'], string> = {
  running: 'working…',
  completed: 'done',
  failed: 'failed',
  aborted: 'interrupted',
  max_iterations: 'stopped: iteration limit',
  budget_exceeded: 'stopped: budget exceeded',
}

/** The top of a sub-agent's nested panel: its agent, what it was asked, and (once done) its answer. */
function SubagentHeader({ item }: { item: SubagentItem }) {
  return (
    <div className={`subagent-header status-${item.status}`} aria-busy={item.status === 'running'}>
      <span className="who">{item.nest.agent}</span>
      <span className="subagent-status">{OUTCOME[item.status]}</span>
      <p className="subagent-prompt">{item.prompt}</p>
      {item.error ? <p className="notice error">{item.error}</p> : null}
      {item.text ? (
        <details className="subagent-answer">
          <summary>Answer</summary>
          <MessageText text={item.text} />
        </details>
      ) : null}
    </div>
  )
}
