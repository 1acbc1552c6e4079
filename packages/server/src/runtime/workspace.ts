import { realpath, stat } from 'node:fs/promises'
import { isAbsolute, relative, resolve, sep } from 'node:path'
import { HttpError } from '../deps.js'
import { invalidRequest } from '../http/validate.js'

/**
 * A session's workspace as a real path under the server's root: relative paths are taken from the
 * root, symlinks are resolved (so a link cannot point out), and anything outside is 403.
 */
export async function workspaceUnderRoot(root: string, requested: string): Promise<string> {
  const realRoot = await realRootOf(root)
  const candidate = isAbsolute(requested) ? requested : resolve(realRoot, requested)
  let real: string
  try {
    real = await realpath(candidate)
  } catch {
    // Outside the root is 403 whether or not it exists: do not reveal what exists elsewhere.
    if (!isInside(realRoot, resolve(candidate))) throw outside(requested)
    throw invalidRequest(`workspace ${requested} does not exist`, [
      { path: 'workspace', message: 'does not exist' },
    ])
  }
  if (!isInside(realRoot, real)) throw outside(requested)
  if (!(await stat(real)).isDirectory()) {
    throw invalidRequest(`workspace ${requested} is not a directory`, [
      { path: 'workspace', message: 'not a directory' },
    ])
  }
  return real
}

/**
 * Real paths of the roots seen so far. A root is configuration, fixed for an app's life (`serve`
 * even passes it resolved), so resolving it again on every POST /sessions only cost a file-system
 * round trip per request. Failures are not kept: a root created later resolves then.
 */
const realRoots = new Map<string, string>()

async function realRootOf(root: string): Promise<string> {
  const known = realRoots.get(root)
  if (known !== undefined) return known
  const real = await realpath(root)
  realRoots.set(root, real)
  return real
}

function isInside(root: string, path: string): boolean {
  const rel = relative(root, path)
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel))
}

function outside(requested: string): HttpError {
  return new HttpError(403, 'forbidden', `workspace ${requested} is outside the server's root`)
}
