/** One-line descriptions of tool calls for card headers. Pure. */

export function argsRecord(args: unknown): Record<string, unknown> {
  return typeof args === 'object' && args !== null && !Array.isArray(args)
    ? (args as Record<string, unknown>)
    : {}
}

/** The path, command or pattern a call is about. */
export function toolSubject(tool: string, args: unknown): string {
  const a = argsRecord(args)
  const text = (key: string) => (typeof a[key] === 'string' ? (a[key] as string) : '')
  switch (tool) {
    case 'run_command':
      return text('command')
    case 'grep':
      return `/${text('pattern')}/${text('path') ? ` in ${text('path')}` : ''}`
    case 'list_files':
      return text('path') || text('pattern') || '.'
    case 'apply_patch': {
      const files = [...text('patch').matchAll(/^\+\+\+ (?:b\/)?(\S+)/gm)].map((m) => m[1])
      return files.length > 0 ? files.join(', ') : 'patch'
    }
    case 'memory_save':
    case 'memory_search':
      return text('query') || text('content').slice(0, 80)
    default:
      return text('path') || (typeof args === 'string' ? args.slice(0, 80) : '')
  }
}

/** A command's exit code: from the live event's details, or the stored output's first line. */
export function exitCode(
  details: Record<string, unknown> | undefined,
  output: string | undefined,
): number | undefined {
  if (typeof details?.exitCode === 'number') return details.exitCode
  const match = output ? /^Exit code: (-?\d+)/m.exec(output) : null
  return match ? Number(match[1]) : undefined
}

/** How a person would say what is asked. */
export function permissionVerb(access: 'read' | 'write' | 'execute'): string {
  return access === 'execute' ? 'run' : access === 'write' ? 'change' : 'read'
}
