import { homedir } from 'node:os'
import { join, resolve } from 'node:path'

/**
 * Where the database lives: `PENGUIN_DB` if set, else `$PENGUIN_HOME/penguin.db`, else
 * `~/.local/share/penguin/penguin.db`. Returns an absolute path (or `:memory:`); creates nothing.
 */
export function resolveDbPath(env: NodeJS.ProcessEnv = process.env, home: string = homedir()): string {
  const explicit = env.PENGUIN_DB?.trim()
  if (explicit) return explicit === ':memory:' ? explicit : resolve(explicit)
  const penguinHome = env.PENGUIN_HOME?.trim()
  if (penguinHome) return resolve(penguinHome, 'penguin.db')
  return join(resolve(home), '.local', 'share', 'penguin', 'penguin.db')
}
