import { homedir } from 'node:os'
import { join } from 'node:path'

/** `$XDG_CONFIG_HOME/penguin/config.json`, else `~/.config/penguin/config.json`. */
export function userConfigPath(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_CONFIG_HOME?.trim() || join(env.HOME?.trim() || homedir(), '.config')
  return join(base, 'penguin', 'config.json')
}

/** `<workspace>/.penguin/config.json`. */
export function workspaceConfigPath(workspace: string): string {
  return join(workspace, '.penguin', 'config.json')
}
