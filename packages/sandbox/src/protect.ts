/**
 * What must stay read-only inside a writable root: the repository's hooks and config (code that runs
 * on the user's next git command) and the root's agent configuration (`.penguin/`, `.claude/`,
 * `.mcp.json`, `opencode.json(c)`: see agent-config.ts), which a command must not plant for when the
 * workspace is trusted. Only the root's: the same names in subdirectories are the file tools' to
 * guard (SECURITY.md says what that leaves open). A protected entry is
 * mounted onto itself, which also pins its name: a mount point cannot be renamed, removed or replaced,
 * so `mv .git x && git init` cannot swap in a repository with hooks of the command's choosing. The
 * same goes for `.git` itself, which stays writable (commits must work) but pinned.
 */
import { lstat, readdir, readFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { AGENT_CONFIG_NAMES } from './agent-config.js'

export interface Protection {
  /** Git directories outside the root that git writes to (a worktree's own and its common one). */
  writable: string[]
  /** Writable directories bound onto themselves so their names cannot be swapped (`.git`). */
  pinned: string[]
  /** Mounted read-only onto themselves. */
  readOnly: string[]
  /**
   * Missing protected entries: an empty read-only directory is mounted there for the command (for a
   * missing file too: nothing can then be written at that name, and git does not see an empty
   * directory), removed again when it ends.
   */
  missing: string[]
}

/** How deep `.git/modules` is searched for submodules' git directories. */
const MODULE_DEPTH = 4

export async function protectRoot(root: string): Promise<Protection> {
  const found: Protection = { writable: [], pinned: [], readOnly: [], missing: [] }
  for (const name of AGENT_CONFIG_NAMES) {
    const path = join(root, name)
    const kind = await kindOf(path)
    // A link could be swapped for an entry of the command's own: the root itself stays read-only.
    if (kind === 'link') return { ...found, readOnly: [root] }
    if (kind === 'missing') found.missing.push(path)
    else found.readOnly.push(path)
  }

  const git = join(root, '.git')
  switch (await kindOf(git)) {
    case 'missing':
      break
    case 'link':
      return { ...found, readOnly: [root] }
    case 'file': {
      found.readOnly.push(git)
      const [gitDir, commonDir] = await linkedGitDirs(root, git)
      if (!gitDir) break
      found.writable.push(gitDir, ...(commonDir ? [commonDir] : []))
      // A worktree's own git directory has no hooks of its own: they are the common directory's.
      if (commonDir) {
        await protectGitDir(commonDir, found, 0)
        await protectFile(join(gitDir, 'config.worktree'), found)
      } else await protectGitDir(gitDir, found, 0)
      break
    }
    case 'dir':
      found.pinned.push(git)
      await protectGitDir(git, found, 0)
      break
  }
  return found
}

/** A git directory's hooks and config read-only, and its submodules' too. */
async function protectGitDir(dir: string, found: Protection, depth: number): Promise<void> {
  const hooks = join(dir, 'hooks')
  const config = join(dir, 'config')
  const [hooksKind, configKind] = await Promise.all([kindOf(hooks), kindOf(config)])
  if (hooksKind === 'link' || configKind === 'link') {
    // Not protectable piece by piece: the whole git directory is read-only (commits then need the
    // user's approval to run outside the sandbox).
    found.pinned = found.pinned.filter((path) => path !== dir)
    found.readOnly.push(dir)
    return
  }
  if (hooksKind === 'missing') found.missing.push(hooks)
  else found.readOnly.push(hooks)
  if (configKind !== 'missing') found.readOnly.push(config)
  await protectFile(join(dir, 'config.worktree'), found)
  if (depth < MODULE_DEPTH) await protectModules(join(dir, 'modules'), found, depth + 1)
}

async function protectFile(path: string, found: Protection): Promise<void> {
  if ((await kindOf(path)) === 'file') found.readOnly.push(path)
}

/** Submodules' git directories under `.git/modules` (names may nest: `modules/a/b`). */
async function protectModules(dir: string, found: Protection, depth: number): Promise<void> {
  let entries: string[]
  try {
    entries = (await readdir(dir, { withFileTypes: true }))
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name)
  } catch {
    return
  }
  for (const name of entries) {
    const path = join(dir, name)
    if ((await kindOf(join(path, 'HEAD'))) === 'file') await protectGitDir(path, found, depth)
    else if (depth < MODULE_DEPTH) await protectModules(path, found, depth + 1)
  }
}

/** A `.git` file's git directory (`gitdir: …`) and, for a worktree, the repository's common one. */
async function linkedGitDirs(root: string, gitFile: string): Promise<string[]> {
  const text = await readFile(gitFile, 'utf8').catch(() => '')
  const match = /^gitdir:\s*(.+?)\s*$/m.exec(text)
  if (!match) return []
  const gitDir = resolve(root, match[1]!)
  if ((await kindOf(gitDir)) !== 'dir') return []
  const common = (await readFile(join(gitDir, 'commondir'), 'utf8').catch(() => '')).trim()
  const commonDir = common ? resolve(gitDir, common) : undefined
  return commonDir && commonDir !== gitDir && (await kindOf(commonDir)) === 'dir'
    ? [gitDir, commonDir]
    : [gitDir]
}

type Kind = 'missing' | 'link' | 'file' | 'dir'

async function kindOf(path: string): Promise<Kind> {
  try {
    const info = await lstat(path)
    if (info.isSymbolicLink()) return 'link'
    return info.isDirectory() ? 'dir' : 'file'
  } catch {
    return 'missing'
  }
}
