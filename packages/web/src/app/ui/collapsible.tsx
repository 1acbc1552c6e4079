import { type ReactNode, useState } from 'react'

interface CollapsibleProps {
  summary: ReactNode
  defaultOpen?: boolean
  className?: string
  /** Rendered only while open, so long outputs cost nothing until asked for. */
  children: () => ReactNode
}

/** A native <details> (keyboard and screen-reader friendly) whose body is built on demand. */
export function Collapsible({ summary, defaultOpen = false, className, children }: CollapsibleProps) {
  const [open, setOpen] = useState(defaultOpen)
  return (
    <details className={className} open={open} onToggle={(event) => setOpen(event.currentTarget.open)}>
      <summary>{summary}</summary>
      {open ? children() : null}
    </details>
  )
}
