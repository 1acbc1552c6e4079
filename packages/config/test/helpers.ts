import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { afterEach } from 'vitest'

const cleanups: (() => void)[] = []
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup()
})

export interface Home {
  /** Environment with HOME and XDG_CONFIG_HOME pointing into the temp dir. */
  env: NodeJS.ProcessEnv
  userConfig: string
  /** A workspace directory under the temp dir. */
  workspace: string
  root: string
  writeUser(json: unknown): void
  writeWorkspace(json: unknown): void
}

export function home(): Home {
  const root = mkdtempSync(join(tmpdir(), 'penguin-config-'))
  cleanups.push(() => rmSync(root, { recursive: true, force: true }))
  const workspace = join(root, 'repo')
  mkdirSync(workspace, { recursive: true })
  const userConfig = join(root, 'xdg', 'penguin', 'config.json')
  const write = (path: string, json: unknown) => {
    mkdirSync(dirname(path), { recursive: true })
    writeFileSync(path, typeof json === 'string' ? json : JSON.stringify(json, null, 2))
  }
  return {
    env: { HOME: join(root, 'home'), XDG_CONFIG_HOME: join(root, 'xdg') },
    userConfig,
    workspace,
    root,
    writeUser: (json) => write(userConfig, json),
    writeWorkspace: (json) => write(join(workspace, '.penguin', 'config.json'), json),
  }
}
