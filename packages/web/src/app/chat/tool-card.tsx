import type { PermissionReply } from '@penguin-ai/sdk'
import { memo } from 'react'
import { DiffView } from '../diff/diff-view.js'
import { FILE_TOOLS, toolDiff } from '../diff/tool-diff.js'
import { Collapsible } from '../ui/collapsible.js'
import { formatDuration } from '../ui/format.js'
import type { ToolItem } from './chat-types.js'
import { InlineImages } from './inline-images.js'
import { PermissionAskView } from './permission-ask.js'
import { ToolOutput } from './tool-output.js'
import { exitCode, toolSubject } from './tool-summary.js'

interface Props {
  item: ToolItem
  onReply: (id: string, reply: PermissionReply) => void
}

/** One tool call: what it was, how it went, and its result (a diff, a command's output, a file read). */
export const ToolCard = memo(function ToolCard({ item, onReply }: Props) {
  const subject = toolSubject(item.tool, item.args)
  const code = item.tool === 'run_command' ? exitCode(item.details, item.output) : undefined
  const waiting = item.permission?.state === 'pending' || item.permission?.state === 'sending'
  const status = waiting ? 'waiting' : item.status
  return (
    <article className={`tool-card status-${status}`} aria-label={`${item.tool} ${subject}`}>
      <header className="tool-head">
        <span className="tool-name">{item.tool}</span>
        {subject && <code className="tool-subject">{subject}</code>}
        <span className="tool-meta">
          {code !== undefined && <span className={`badge ${code === 0 ? 'ok' : 'bad'}`}>exit {code}</span>}
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
  if (FILE_TOOLS.has(item.tool) && item.status !== 'error') {
    const diff = toolDiff(item.tool, item.args, item.details)
    if (diff) {
      return (
        <Collapsible className="tool-body" summary="Diff" defaultOpen={live}>
          {() => <DiffView diff={diff} />}
        </Collapsible>
      )
    }
  }
  if (item.tool === 'run_command') {
    return (
      <Collapsible className="tool-body" summary="Output" defaultOpen={live || item.status === 'error'}>
        {() => <CommandOutput item={item} />}
      </Collapsible>
    )
  }
  const label = item.tool === 'read_file' ? 'File contents' : 'Result'
  const open =
    item.status === 'error' || (live && item.tool !== 'read_file' && (item.output?.length ?? 0) < 400)
  return (
    <Collapsible className="tool-body" summary={label} defaultOpen={open}>
      {() => (
        <>
          <ToolOutput text={item.output ?? ''} />
          <InlineImages images={item.images} />
        </>
      )}
    </Collapsible>
  )
}

function CommandOutput({ item }: { item: ToolItem }) {
  const stdout = typeof item.details?.stdout === 'string' ? item.details.stdout : undefined
  const stderr = typeof item.details?.stderr === 'string' ? item.details.stderr : undefined
  if (stdout === undefined && stderr === undefined) return <ToolOutput text={item.output ?? ''} />
  return (
    <>
      {stdout ? <ToolOutput text={stdout} label="stdout" /> : null}
      {stderr ? <ToolOutput text={stderr} label="stderr" /> : null}
      {!stdout && !stderr ? <p className="muted">(no output)</p> : null}
    </>
  )
}
