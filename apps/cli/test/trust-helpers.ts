/** The trust tests' user (a config directory of their own) and workspaces with a config file. */
import { readFileSync } from 'node:fs'
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { type CliResult, makeRepo, runPenguin, type SpawnOptions } from './cli-helpers.js'

/** A user with a config directory of their own (XDG_CONFIG_HOME) and an API key. */
export async function user(config: Record<string, unknown> = {}) {
  const xdg = await mkdtemp(join(tmpdir(), 'penguin-xdg-'))
  const configPath = join(xdg, 'penguin', 'config.json')
  await mkdir(dirname(configPath), { recursive: true })
  await writeFile(configPath, JSON.stringify(config, null, 2))
  const env = { XDG_CONFIG_HOME: xdg, OPENAI_API_KEY: 'sk-user-secret' }
  const penguin = (args: string[], options: SpawnOptions = {}): Promise<CliResult> =>
    runPenguin(args, { ...options, env: { ...env, ...options.env } })
  const config_ = () => JSON.parse(readFileSync(configPath, 'utf8')) as Record<string, unknown>
  return { env, configPath, penguin, config: config_ }
}

/** A repository whose `.penguin/config.json` is `config`, with `files` beside it. */
export async function repoWith(config: unknown, files: Record<string, string> = {}): Promise<string> {
  return makeRepo({ ...files, '.penguin/config.json': JSON.stringify(config, null, 2) })
}

/** The "ignoring …" lines a run printed about an untrusted workspace config. */
export const warnings = (stderr: string) => stderr.split('\n').filter((line) => /ignoring /.test(line))
