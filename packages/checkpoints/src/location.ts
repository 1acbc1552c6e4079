import { createHash } from 'node:crypto'
import { readFile, stat } from 'node:fs/promises'
import path from 'node:path'

/**
 * Where a workspace's snapshots live: one bare repository per workspace, named by a hash of its real
 * path so two workspaces never share history and a renamed path (through a symlink) does not fork it.
 */
export function shadowGitDir(dataDir: string, realWorkspace: string): string {
  const hash = createHash('sha256').update(realWorkspace).digest('hex').slice(0, 24)
  return path.join(dataDir, 'checkpoints', `${hash}.git`)
}

/**
 * The user's `info/exclude` for the workspace's own repository, if it has one: their local ignores
 * should keep files out of snapshots as they keep them out of commits. Handles `.git` being a file
 * (worktrees and submodules point elsewhere with `gitdir:`; worktrees share `commondir`'s exclude).
 */
export async function userExcludeFile(realWorkspace: string): Promise<string | undefined> {
  const dotGit = path.join(realWorkspace, '.git')
  let gitDir = dotGit
  try {
    if ((await stat(dotGit)).isFile()) {
      const pointer = /^gitdir:\s*(.+?)\s*$/m.exec(await readFile(dotGit, 'utf8'))
      if (!pointer?.[1]) return undefined
      gitDir = path.resolve(realWorkspace, pointer[1])
      // The pointer is repository content: read `commondir` only when it is a regular file (a pipe
      // would block the read forever).
      const commondir = path.join(gitDir, 'commondir')
      const common = (await stat(commondir).catch(() => undefined))?.isFile()
        ? await readFile(commondir, 'utf8').catch(() => undefined)
        : undefined
      if (common?.trim()) gitDir = path.resolve(gitDir, common.trim())
    }
    const exclude = path.join(gitDir, 'info', 'exclude')
    return (await stat(exclude)).isFile() ? exclude : undefined
  } catch {
    return undefined
  }
}

/** `rel` when `target` lies strictly inside `root`, in git's `/`-separated form; else undefined. */
export function relativeInside(root: string, target: string): string | undefined {
  const rel = path.relative(root, target)
  if (!rel || rel.startsWith('..') || path.isAbsolute(rel)) return undefined
  return rel.split(path.sep).join('/')
}

/** Escapes a literal path for use as an anchored pattern in a gitignore-style file. */
export function ignorePattern(rel: string): string {
  const escaped = rel
    .replace(/[\\*?[\]!#]/g, (char) => `\\${char}`)
    .replace(/ +$/, (spaces) => spaces.replaceAll(' ', '\\ '))
  return `/${escaped}`
}
