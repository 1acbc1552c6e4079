import { AGENT_CONFIG_DIRECTORIES, AGENT_CONFIG_FILES } from '@penguin-ai/sandbox/agent-config'
import type { PermissionSubject } from './tool.js'
import type { Workspace } from './workspace.js'

/**
 * Directories whose files steer the tools that read them: `.git` (hooks, config, a `gitdir:` pointer
 * run code on the user's next git command) and the agent configuration directories (`.penguin`,
 * `.claude`: see @penguin-ai/sandbox/agent-config). The agent's file tools write there only after an
 * explicit yes from the user, whatever `--yes`, auto approval, "always" answers or allow rules say.
 */
export const PROTECTED_DIRECTORIES: readonly string[] = Object.freeze(['.git', ...AGENT_CONFIG_DIRECTORIES])

/** Single files guarded the same way: agent configuration files (`.mcp.json`, `opencode.json(c)`). */
export const PROTECTED_FILES: readonly string[] = AGENT_CONFIG_FILES

const PROTECTED_NAMES: readonly string[] = [...PROTECTED_DIRECTORIES, ...PROTECTED_FILES]

/**
 * The protected directory `path` lies in (or is), or the protected file it is, matched on any path
 * segment and case-insensitively (so `sub/.git/hooks/x`, `.GIT/config` on a case-insensitive disk
 * and `sub/.mcp.json` count), else undefined. Trailing dots and spaces are ignored, as Windows file
 * systems ignore them.
 */
export function protectedDirectoryOf(path: string): string | undefined {
  for (const segment of path.split(/[\\/]+/)) {
    const name = segment.toLowerCase().replace(/[. ]+$/, '')
    const match = PROTECTED_NAMES.find((protectedName) => protectedName === name)
    if (match) return match
  }
  return undefined
}

/** A file a call would write inside a protected directory, as the user should see it. */
export interface ProtectedTarget {
  /** The path as the call names it (workspace-relative). */
  path: string
  /** Where it really lands, workspace-relative, when a symlink makes that differ. */
  realPath?: string
  /** The protected name it lands in or on: a directory (`.git`, `.penguin`, `.claude`) or a file (`.mcp.json`…). */
  directory: string
}

/**
 * The paths of a write call that land in a protected directory, judged both as written and after
 * symlinks are resolved (a repository can ship `notes.md → .git/hooks/pre-commit`). Reads and
 * commands are not file writes and return nothing; paths the workspace refuses (outside it) are
 * left to the tool, which fails on them anyway.
 */
export async function protectedTargets(
  subject: PermissionSubject,
  workspace: Workspace,
): Promise<ProtectedTarget[]> {
  if (subject.access !== 'write') return []
  const paths = subject.paths?.length ? subject.paths : subject.subject ? [subject.subject] : []
  const found: ProtectedTarget[] = []
  for (const path of paths) {
    const lexical = protectedDirectoryOf(path)
    let real: string | undefined
    try {
      real = workspace.relative(await workspace.resolve(path))
    } catch {
      real = undefined
    }
    const landing = real === undefined ? undefined : protectedDirectoryOf(real)
    const directory = lexical ?? landing
    if (!directory) continue
    found.push({ path, directory, ...(real !== undefined && real !== path ? { realPath: real } : {}) })
  }
  return found
}
