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
 * is not a valid regular expression matches its literal text only, and `invalid` says why.
 */
export function compileMatcher(matcher: string | undefined): { match: Matcher; invalid?: string } {
  if (matcher === undefined || matcher.trim() === '' || matcher.trim() === '*') return { match: () => true }
  let regex: RegExp
  try {
    regex = new RegExp(`^(?:${matcher})$`)
  } catch (error) {
    const literal = matcher
    return { match: (subject) => subject === literal, invalid: (error as Error).message }
  }
  return {
    match: (subject) =>
      regex.test(subject) || (CLAUDE_TOOL_NAMES[subject] ?? []).some((alias) => regex.test(alias)),
  }
}
