import { memo } from 'react'

/** Text with ``` code fences shown as code blocks; everything else as written (no HTML is ever parsed). */
export const MessageText = memo(function MessageText({ text }: { text: string }) {
  const segments = splitFences(text)
  return (
    <div className="message-text">
      {segments.map((segment, index) =>
        segment.code ? (
          // biome-ignore lint/suspicious/noArrayIndexKey: segments of one immutable text
          <pre key={index} className="code-block">
            <code>{segment.text}</code>
          </pre>
        ) : (
          // biome-ignore lint/suspicious/noArrayIndexKey: segments of one immutable text
          <p key={index}>{segment.text}</p>
        ),
      )}
    </div>
  )
})

export interface Segment {
  text: string
  code: boolean
}

/** Splits on ``` fences (an unclosed fence — text still streaming — runs to the end). Pure. */
export function splitFences(text: string): Segment[] {
  const segments: Segment[] = []
  const parts = text.split(/^```[^\n]*\n?/m)
  parts.forEach((part, index) => {
    const code = index % 2 === 1
    const body = code ? part.replace(/\n$/, '') : part.replace(/^\n+|\n+$/g, '')
    if (body !== '' || code) segments.push({ text: body, code })
  })
  return segments
}
