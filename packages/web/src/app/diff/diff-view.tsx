import { memo, useMemo } from 'react'
import { Visible } from '../chat/visible.js'
import { type DiffLine, parseDiff } from './parse-diff.js'

const MAX_LINES = 1500

/** A unified diff with coloured, numbered lines; long diffs are cut with a note. */
export const DiffView = memo(function DiffView({ diff, label }: { diff: string; label?: string }) {
  const parsed = useMemo(() => parseDiff(diff), [diff])
  if (parsed.lines.length === 0) return <p className="muted">No changes.</p>
  const shown = parsed.lines.slice(0, MAX_LINES)
  return (
    <figure className="diff" aria-label={label ?? `Diff of ${parsed.files.join(', ') || 'the change'}`}>
      <figcaption className="diff-stats">
        <span className="add-count">+{parsed.additions}</span>{' '}
        <span className="del-count">−{parsed.deletions}</span>
        {parsed.files.length > 0 && <span className="muted"> {parsed.files.join(', ')}</span>}
      </figcaption>
      <div className="diff-body">
        {shown.map((line, index) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: lines of an immutable diff
          <DiffRow key={index} line={line} />
        ))}
      </div>
      {parsed.lines.length > MAX_LINES && (
        <p className="muted">… {parsed.lines.length - MAX_LINES} more lines not shown</p>
      )}
    </figure>
  )
})

function DiffRow({ line }: { line: DiffLine }) {
  return (
    <div className={`diff-line ${line.kind}`}>
      <span className="ln" aria-hidden="true">
        {line.oldLine ?? ''}
      </span>
      <span className="ln" aria-hidden="true">
        {line.newLine ?? ''}
      </span>
      <code>{line.text ? <Visible text={line.text} /> : ' '}</code>
    </div>
  )
}
