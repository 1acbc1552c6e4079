/**
 * Claude Code and opencode name their tools differently; an agent file written for them names
 * Penguin's equivalents. Unknown names are kept (MCP tools, plugin tools) and simply match nothing
 * when absent.
 */
const ALIASES: Record<string, readonly string[]> = {
  read: ['read_file'],
  write: ['write_file'],
  edit: ['edit_file', 'apply_patch'],
  multiedit: ['edit_file', 'apply_patch'],
  patch: ['apply_patch'],
  glob: ['list_files'],
  ls: ['list_files'],
  list: ['list_files'],
  grep: ['grep'],
  bash: ['run_command'],
  todowrite: ['todo_write'],
  todoread: ['todo_write'],
  // Claude Code's sub-agent tool (called Agent in later releases); opencode's `task`.
  task: ['task'],
  agent: ['task'],
}

/** Penguin tool names for the names a file gives (deduplicated, in order). */
export function penguinToolNames(names: readonly string[]): string[] {
  const out = new Set<string>()
  for (const raw of names) {
    const name = raw.trim()
    if (!name) continue
    const alias = ALIASES[name.toLowerCase()]
    for (const mapped of alias ?? [name]) out.add(mapped)
  }
  return [...out]
}

/** `Read, Grep` → ['Read', 'Grep']. */
export function splitToolList(value: string | readonly string[]): string[] {
  const list = typeof value === 'string' ? value.split(',') : value
  return list.map((name) => name.trim()).filter(Boolean)
}

/** Whether `name` matches a tool pattern (`*` wildcard, e.g. `mcp__github__*`). */
export function toolMatches(pattern: string, name: string): boolean {
  if (!pattern.includes('*')) return pattern === name
  const escaped = pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')
  return new RegExp(`^${escaped}$`).test(name)
}
