import { homedir } from 'node:os'
import { join } from 'node:path'

/**
 * Penguin's data directory: `$PENGUIN_HOME`, else `$XDG_DATA_HOME/penguin`, else
 * `~/.local/share/penguin`.
 */
export function penguinDataDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.PENGUIN_HOME) return env.PENGUIN_HOME
  const base = env.XDG_DATA_HOME || join(env.HOME || homedir(), '.local', 'share')
  return join(base, 'penguin')
}

/** Where downloaded benchmark data is cached. */
export function benchCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return join(penguinDataDir(env), 'bench')
}

/** A model id as a directory name: `openai/gpt-4o` → `openai-gpt-4o`. */
export function slug(text: string): string {
  return (
    text
      .replace(/[^A-Za-z0-9._-]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 80) || 'run'
  )
}
