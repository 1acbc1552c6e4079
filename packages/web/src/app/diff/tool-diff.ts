/**
 * The diff to show for a file-changing tool call: the tool's own `details` when the live event
 * carried them, else one rebuilt from the call's arguments (stored conversations keep no details).
 */

const MAX_SYNTHESISED_LINES = 400

export const FILE_TOOLS: ReadonlySet<string> = new Set(['edit_file', 'write_file', 'apply_patch'])

export function toolDiff(tool: string, args: unknown, details?: Record<string, unknown>): string | undefined {
  if (typeof details?.diff === 'string') return details.diff
  if (Array.isArray(details?.diffs)) {
    const parts = details.diffs
      .map((entry) => (typeof entry?.diff === 'string' ? (entry.diff as string) : ''))
      .filter(Boolean)
    if (parts.length > 0) return parts.map((part) => (part.endsWith('\n') ? part : `${part}\n`)).join('')
  }
  const a = (typeof args === 'object' && args !== null ? args : {}) as Record<string, unknown>
  const path = typeof a.path === 'string' ? a.path : 'file'
  if (tool === 'edit_file' && typeof a.old_string === 'string' && typeof a.new_string === 'string') {
    return synthesise(path, a.old_string, a.new_string)
  }
  if (tool === 'write_file' && typeof a.content === 'string') return synthesise(path, undefined, a.content)
  if (tool === 'apply_patch' && typeof a.patch === 'string') return a.patch
  return undefined
}

/** A diff of a replaced fragment (no surrounding context, no line numbers). */
export function synthesise(path: string, before: string | undefined, after: string): string {
  const out = [before === undefined ? '--- /dev/null' : `--- a/${path}`, `+++ b/${path}`, '@@ edit @@']
  const take = (text: string, sign: string) => {
    const lines = text.endsWith('\n') ? text.slice(0, -1).split('\n') : text.split('\n')
    for (const line of lines.slice(0, MAX_SYNTHESISED_LINES)) out.push(`${sign}${line}`)
    if (lines.length > MAX_SYNTHESISED_LINES)
      out.push(`\\ ${lines.length - MAX_SYNTHESISED_LINES} more lines`)
  }
  if (before !== undefined && before !== '') take(before, '-')
  if (after !== '') take(after, '+')
  return `${out.join('\n')}\n`
}
