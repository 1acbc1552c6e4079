/**
 * Claude Code's matchers: a regular expression on the tool name (`Edit|Write`, `mcp__.*`), where an
 * absent, empty or `*` matcher matches everything. Penguin's tools also answer to the Claude Code
 * names a hook script was written for (`Bash` matches run_command), so such a matcher works unchanged.
 */

/** Claude Code's tool names for Penguin's built-in tools. */
export const CLAUDE_TOOL_NAMES: Readonly<Record<string, readonly string[]>> = {
  run_command: ['Bash'],
  write_file: ['Write'],
  edit_file: ['Edit'],
  apply_patch: ['Edit', 'MultiEdit'],
  read_file: ['Read'],
  grep: ['Grep'],
  list_files: ['Glob', 'LS'],
  todo_write: ['TodoWrite'],
}

export type Matcher = (subject: string) => boolean

/**
 * Compiles a matcher. The whole name must match (`Write` does not match `WriteFile`); a matcher that
 * is not a valid regular expression matches its literal text only, and `invalid` says why. `nameFor`
 * is the name the hook knows a matching tool by: Claude Code's (`Bash`) when the matcher picked the
 * tool by that name only, so a script that checks `tool_name` the way Claude Code's examples do still
 * recognises it; otherwise Penguin's.
 */
export function compileMatcher(matcher: string | undefined): {
  match: Matcher
  nameFor: (subject: string) => string
  invalid?: string
} {
  if (matcher === undefined || matcher.trim() === '' || matcher.trim() === '*')
    return { match: () => true, nameFor: (subject) => subject }
  let test: (name: string) => boolean
  let invalid: string | undefined
  try {
    const regex = new RegExp(`^(?:${matcher})$`)
    test = (name) => regex.test(name)
  } catch (error) {
    const literal = matcher
    test = (name) => name === literal
    invalid = (error as Error).message
  }
  const nameFor = (subject: string) =>
    test(subject) ? subject : ((CLAUDE_TOOL_NAMES[subject] ?? []).find(test) ?? subject)
  return {
    match: (subject) => test(subject) || (CLAUDE_TOOL_NAMES[subject] ?? []).some(test),
    nameFor,
    ...(invalid !== undefined ? { invalid } : {}),
  }
}

/** Penguin's file tools, whose `path` Claude Code's tools call `file_path` (absolute). */
const FILE_PATH_TOOLS = new Set(['read_file', 'write_file', 'edit_file'])

/** A file tool's arguments as hooks see them: `file_path` (absolute, as Claude Code gives it) beside `path`. */
export function hookToolInput(tool: string, args: unknown, resolvePath: (path: string) => string): unknown {
  if (!FILE_PATH_TOOLS.has(tool) || !isRecord(args) || typeof args.path !== 'string') return args
  return { ...args, file_path: resolvePath(args.path) }
}

/**
 * A hook's `updatedInput` back in the tool's own terms: a changed `file_path` (what a script written
 * for Claude Code changes) becomes `path`; an unchanged one is dropped.
 */
export function toolArgsFromHook(
  tool: string,
  sent: unknown,
  updated: Record<string, unknown>,
): Record<string, unknown> {
  if (!FILE_PATH_TOOLS.has(tool) || !('file_path' in updated)) return updated
  const { file_path: filePath, ...rest } = updated
  const sentPath = isRecord(sent) ? sent.file_path : undefined
  if (typeof filePath === 'string' && filePath !== sentPath) return { ...rest, path: filePath }
  return rest
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
