import { lstat, readlink, realpath, stat } from 'node:fs/promises'
import path from 'node:path'
import { ToolError } from './tool.js'

export interface WorkspaceOptions {
  /** Directories outside the root that tools may also use (e.g. a shared cache). */
  allowedPaths?: string[]
}

/** Symlink hops followed before giving up, as the kernel does (ELOOP). */
const MAX_SYMLINK_HOPS = 40

/**
 * The directory tree tools may touch. Every path a tool receives goes through `resolve`, which
 * follows symlinks and refuses anything that ends up outside the root and the allowed paths: this
 * is the security boundary between the model and the rest of the machine.
 */
export class Workspace {
  private constructor(
    /** Real path of the workspace root. */
    readonly root: string,
    /** Real paths of extra directories tools may use. */
    readonly allowedPaths: readonly string[],
  ) {}

  static async open(root: string, options: WorkspaceOptions = {}): Promise<Workspace> {
    const realRoot = await realDirectory(root, 'workspace root')
    const allowed = await Promise.all(
      (options.allowedPaths ?? []).map((p) => realDirectory(path.resolve(realRoot, p), 'allowed path')),
    )
    return new Workspace(realRoot, allowed)
  }

  /**
   * The absolute real path for `input` (relative paths resolve against the root; `~` is not
   * expanded). Throws a `ToolError` the model can read when the path lies outside the workspace.
   */
  async resolve(input: string): Promise<string> {
    if (input.includes('\0')) throw new ToolError(`The path ${JSON.stringify(input)} contains a NUL byte.`)
    const lexical = path.resolve(this.root, input === '' ? '.' : input)
    const real = await realPathAllowingMissing(lexical, 0)
    if (this.contains(real)) return real
    const where = this.allowedPaths.length
      ? `outside the workspace ${this.root} and the allowed paths (${this.allowedPaths.join(', ')})`
      : `outside the workspace ${this.root}`
    const how = this.contains(lexical)
      ? `goes through a symlink pointing to ${real}, which is ${where}`
      : `resolves to ${real}, which is ${where}`
    throw new ToolError(
      `Access denied: ${JSON.stringify(input)} ${how}. Only paths inside the workspace can be used.`,
    )
  }

  /** Whether an absolute path lies inside the root or an allowed path (no symlink resolution). */
  contains(absolute: string): boolean {
    return isInside(this.root, absolute) || this.allowedPaths.some((dir) => isInside(dir, absolute))
  }

  /**
   * How a path is shown to the model and the user: relative to the root ('.' for the root itself),
   * or absolute when it lies elsewhere (an allowed path). Relative input resolves against the root.
   */
  relative(input: string): string {
    const absolute = path.resolve(this.root, input)
    if (!isInside(this.root, absolute)) return absolute
    return path.relative(this.root, absolute).split(path.sep).join('/') || '.'
  }
}

export function openWorkspace(root: string, options: WorkspaceOptions = {}): Promise<Workspace> {
  return Workspace.open(root, options)
}

/**
 * A path as a permission subject: workspace-relative when the workspace is known, else normalised
 * lexically (so `./src/a.ts` and `src/a.ts` match the same rules either way).
 */
export function subjectPath(input: string, workspace?: Workspace): string {
  if (workspace) return workspace.relative(input)
  return path.normalize(input === '' ? '.' : input).replace(/\/$/, '') || '/'
}

export function isInside(directory: string, candidate: string): boolean {
  const rel = path.relative(directory, candidate)
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel))
}

async function realDirectory(dir: string, what: string): Promise<string> {
  const real = await realpath(dir).catch(() => {
    throw new Error(`The ${what} ${dir} does not exist.`)
  })
  if (!(await stat(real)).isDirectory()) throw new Error(`The ${what} ${dir} is not a directory.`)
  return real
}

/**
 * `realpath` for paths that may not exist yet: the nearest existing ancestor is resolved and the
 * rest appended, so a new file under a symlinked directory is judged by where it would really land.
 * A dangling symlink is followed to its target for the same reason: writing through it would create
 * the target.
 */
async function realPathAllowingMissing(absolute: string, hops: number): Promise<string> {
  if (hops > MAX_SYMLINK_HOPS) throw new ToolError(`Too many levels of symbolic links in ${absolute}.`)
  try {
    return await realpath(absolute)
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code !== 'ENOENT' && code !== 'ENOTDIR') throw error
  }
  const link = await lstat(absolute).catch(() => undefined)
  if (link?.isSymbolicLink()) {
    const target = path.resolve(path.dirname(absolute), await readlink(absolute))
    return realPathAllowingMissing(target, hops + 1)
  }
  const parent = path.dirname(absolute)
  if (parent === absolute) return absolute
  return path.join(await realPathAllowingMissing(parent, hops), path.basename(absolute))
}
