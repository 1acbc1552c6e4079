/** Small pure formatters shared by the human renderers. */

export function formatTokens(n: number): string {
  if (n < 1000) return String(n)
  if (n < 1_000_000) return `${(n / 1000).toFixed(n < 10_000 ? 1 : 0)}k`
  return `${(n / 1_000_000).toFixed(1)}M`
}

export function formatCost(usd: number): string {
  if (usd === 0) return '$0'
  if (usd < 0.01) return `$${usd.toFixed(4)}`
  return `$${usd.toFixed(2)}`
}

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${ms} ms`
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`
  const minutes = Math.floor(ms / 60_000)
  const seconds = Math.round((ms % 60_000) / 1000)
  return `${minutes}m ${seconds}s`
}

/** The one-line gist of a tool call's arguments: the path, command or pattern it acts on. */
export function describeArgs(tool: string, args: unknown): string {
  if (typeof args !== 'object' || args === null) return ''
  const a = args as Record<string, unknown>
  const pick = (key: string) => (typeof a[key] === 'string' ? (a[key] as string) : undefined)
  let text: string | undefined
  switch (tool) {
    case 'run_command':
      text = pick('command')
      break
    case 'grep':
      text = [pick('pattern'), pick('path')].filter(Boolean).join(' in ')
      break
    case 'list_files':
      text = [pick('path') ?? '.', pick('pattern')].filter(Boolean).join(' ')
      break
    case 'todo_write':
      text = Array.isArray(a.todos) ? `${a.todos.length} items` : ''
      break
    case 'apply_patch': {
      const patch = pick('patch') ?? ''
      const files = [...patch.matchAll(/^\+\+\+ (?:b\/)?(.+)$/gm)]
        .map((m) => m[1])
        .filter((f) => f !== '/dev/null')
      text = files.join(', ')
      break
    }
    default:
      text = pick('path')
  }
  const oneLine = (text ?? '').replace(/\s+/g, ' ').trim()
  return oneLine.length > 80 ? `${oneLine.slice(0, 77)}…` : oneLine
}
