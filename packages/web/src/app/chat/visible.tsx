import { visibleSegments } from '@penguin-ai/tools/details'
import { memo } from 'react'

/**
 * Untrusted text (a command, a path, a diff line, tool output) with its invisible characters
 * spelled out and marked: a bidi override or a zero-width character cannot make it read as
 * something else, and an escape sequence is seen, not swallowed.
 */
export const Visible = memo(function Visible({
  text,
  multiline = false,
}: {
  text: string
  multiline?: boolean
}) {
  const segments = visibleSegments(text, { newlines: multiline, tabs: multiline })
  if (segments.length === 1 && !segments[0]?.control) return <>{text}</>
  return (
    <>
      {segments.map((segment, index) =>
        segment.control ? (
          // biome-ignore lint/suspicious/noArrayIndexKey: segments of one immutable text
          <span key={index} className="ctrl" title="an invisible character, shown spelled out">
            {segment.text}
          </span>
        ) : (
          segment.text
        ),
      )}
    </>
  )
})
