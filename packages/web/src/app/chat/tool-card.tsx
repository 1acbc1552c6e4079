import type { PermissionReply, ToolDetails } from '@penguin-ai/sdk'
import { memo } from 'react'
import { Collapsible } from '../ui/collapsible.js'
import { formatDuration } from '../ui/format.js'
import type { ToolItem } from './chat-types.js'
import { FileDiffs, FileList } from './file-changes.js'
import { InlineImages } from './inline-images.js'
import { PermissionAskView } from './permission-ask.js'
import { ToolOutput } from './tool-output.js'
import { cardTitle, exitCode } from './tool-summary.js'
import { Visible } from './visible.js'

interface Props {
  item: ToolItem
  onReply: (id: string, reply: PermissionReply) => void
}

/**
 * One tool call: what it was, how it went, and its result, rendered from the call's details by
 * their kind (a diff, a command's output, a plan, a file read), whatever the tool is called.
 */
export const ToolCard = memo(function ToolCard({ item, onReply }: Props) {
  const title = cardTitle(item)
  const code = exitCode(item)
  const timedOut = item.details?.kind === 'command' && item.details.timedOut
  const waiting = item.permission?.state === 'pending' || item.permission?.state === 'sending'
  const status = waiting ? 'waiting' : item.status
  return (
    <article className={`tool-card status-${status}`} aria-label={`${item.tool} ${title}`}>
      <header className="tool-head">
        <span className="tool-name">{item.tool}</span>
        {title && (
          <code className="tool-subject">
            <Visible text={title} />
          </code>
        )}
        <span className="tool-meta">
          {code !== undefined && <span className={`badge ${code === 0 ? 'ok' : 'bad'}`}>exit {code}</span>}
          {timedOut && <span className="badge bad">timed out</span>}
          <span className={`badge status ${status}`}>{STATUS_TEXT[status]}</span>
          {item.durationMs !== undefined && <span className="muted">{formatDuration(item.durationMs)}</span>}
        </span>
      </header>
      {item.permission && <PermissionAskView ask={item.permission} tool={item.tool} onReply={onReply} />}
      <ToolBody item={item} />
    </article>
  )
})

const STATUS_TEXT: Record<string, string> = {
  called: 'no result',
  running: 'running…',
  waiting: 'awaiting permission',
  done: 'done',
  error: 'error',
}

function ToolBody({ item }: { item: ToolItem }) {
  if (item.output === undefined && item.status !== 'done') return null
  const live = item.live === true
  const details = item.details
  const failed = item.status === 'error'
  switch (details?.kind) {
    case 'file-edit':
      if (failed || details.files.length === 0) break
      return (
        <Collapsible className="tool-body" summary="Diff" defaultOpen={live}>
          {() => (
            <>
              {details.files.length > 1 || details.files.some((file) => file.operation !== 'modify') ? (
                <FileList files={details.files} />
              ) : null}
              <FileDiffs files={details.files} />
            </>
          )}
        </Collapsible>
      )
    case 'command':
      return (
        <Collapsible className="tool-body" summary="Output" defaultOpen={live || failed}>
          {() => <CommandOutput details={details} />}
        </Collapsible>
      )
    case 'todo':
      return (
        <Collapsible className="tool-body" summary="Plan" defaultOpen={live}>
          {() => <TodoList todos={details.todos} />}
        </Collapsible>
      )
    case 'mcp':
      return (
        <Collapsible className="tool-body" summary="Result" defaultOpen={live || failed}>
          {() => <McpContent details={details} />}
        </Collapsible>
      )
    case 'file-read':
      return (
        <Collapsible className="tool-body" summary="File contents" defaultOpen={failed}>
          {() => (
            <>
              <ToolOutput text={item.output ?? ''} />
              <InlineImages images={item.images} />
            </>
          )}
        </Collapsible>
      )
    default:
      break
  }
  const open = failed || (live && (item.output?.length ?? 0) < 400)
  return (
    <Collapsible className="tool-body" summary="Result" defaultOpen={open}>
      {() => (
        <>
          <ToolOutput text={item.output ?? ''} />
          <InlineImages images={item.images} />
        </>
      )}
    </Collapsible>
  )
}

type Details<K extends ToolDetails['kind']> = Extract<ToolDetails, { kind: K }>

function CommandOutput({ details }: { details: Details<'command'> }) {
  return (
    <>
      {details.stdout ? <ToolOutput text={details.stdout} label="stdout" /> : null}
      {details.stderr ? <ToolOutput text={details.stderr} label="stderr" /> : null}
      {details.startError ? <ToolOutput text={details.startError} label="could not start" /> : null}
      {!details.stdout && !details.stderr && !details.startError ? (
        <p className="muted">(no output)</p>
      ) : null}
    </>
  )
}

const TODO_MARK = { completed: '✓', in_progress: '▸', pending: '○' } as const

function TodoList({ todos }: { todos: Details<'todo'>['todos'] }) {
  if (todos.length === 0) return <p className="muted">The plan was cleared.</p>
  return (
    <ul className="todos">
      {todos.map((todo, index) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: a plan is replaced whole, never reordered
        <li key={index} className={`todo ${todo.status}`}>
          <span aria-hidden="true">{TODO_MARK[todo.status]}</span> <Visible text={todo.content} />
        </li>
      ))}
    </ul>
  )
}

function McpContent({ details }: { details: Details<'mcp'> }) {
  return (
    <>
      {details.content.map((block, index) => {
        const key = `${index}:${block.type}`
        switch (block.type) {
          case 'text':
            return <ToolOutput key={key} text={block.text} />
          case 'resource':
            return <ToolOutput key={key} text={block.text ?? ''} label={block.uri} />
          default:
            return (
              <p key={key} className="muted">
                [{block.type}: {block.mimeType}]
              </p>
            )
        }
      })}
    </>
  )
}
