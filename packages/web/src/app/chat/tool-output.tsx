import { Visible } from './visible.js'

const MAX_CHARS = 20_000

/** A tool's text output, capped (the head is what people look for). */
export function ToolOutput({ text, label }: { text: string; label?: string }) {
  const shown =
    text.length > MAX_CHARS
      ? `${text.slice(0, MAX_CHARS)}\n… ${text.length - MAX_CHARS} more characters`
      : text
  return (
    <div className="tool-output">
      {label && <div className="output-label">{label}</div>}
      <pre>{shown ? <Visible text={shown} multiline /> : '(empty)'}</pre>
    </div>
  )
}
