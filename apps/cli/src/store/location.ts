import { stat } from 'node:fs/promises'
import { homedir } from 'node:os'
import { dirname, isAbsolute, join, relative, resolve } from 'node:path'
import { resolveDbPath } from '@penguin-ai/store/paths'
import { usageError } from '../cli-error.js'

/**
 * Penguin's data directory: `$PENGUIN_HOME`, else `~/.local/share/penguin`. The only place Penguin
 * creates folders for a database on its own.
 */
export function dataHome(env: NodeJS.ProcessEnv = process.env): string {
  const home = env.PENGUIN_HOME?.trim()
  return home ? resolve(home) : join(resolve(env.HOME?.trim() || homedir()), '.local', 'share', 'penguin')
}

/**
 * The database a command uses — `--db FILE`, else `PENGUIN_DB` / `PENGUIN_HOME`, else the default —
 * checked: a file whose folder is missing is an error (exit 2) unless the folder would be under the
 * data directory, so a typo in `--db` cannot scatter folders over the disk.
 */
export async function databaseLocation(
  db: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
): Promise<string> {
  const path = db ? resolveDbPath({ PENGUIN_DB: db }) : resolveDbPath(env)
  if (path === ':memory:') return path
  const folder = dirname(path)
  const exists = await stat(folder).then(
    (info) => info.isDirectory(),
    () => false,
  )
  if (exists || isInside(dataHome(env), folder)) return path
  const how = db ? `--db ${db}` : env.PENGUIN_DB?.trim() ? `PENGUIN_DB=${env.PENGUIN_DB}` : path
  throw usageError(
    `${how}: the folder ${folder} does not exist. Create it first (Penguin creates folders only under its data directory ${dataHome(env)}, set by PENGUIN_HOME).`,
  )
}

function isInside(directory: string, candidate: string): boolean {
  const rel = relative(directory, candidate)
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel))
}
