/**
 * Server sessions and project runs build their agents through @penguin-ai/config, exactly as the
 * CLI does: the user's config, the workspace's (as far as it is trusted), its deny rules, allowed
 * paths, limits, checkpoint and sandbox settings. The server's own settings (`--model`, `--base-url`,
 * `--sandbox`, `--network`) and a session's model are the top layer, like flags.
 */
import { type AgentSetup, ConfigError, ignoredWarning, prepareAgent } from '@penguin-ai/config'
import type { ServerDeps } from '../deps.js'
import { configHttpError } from '../http/errors.js'

export async function agentSetup(
  deps: ServerDeps,
  workspace: string,
  model: string | null | undefined,
  warn?: (message: string, source: 'config') => void,
  /** The agent the session runs as (unknown: a 422 listing the workspace's agents). */
  agent?: string | null,
): Promise<AgentSetup> {
  const id = model ?? deps.config.defaultModel
  let setup: AgentSetup
  try {
    setup = await prepareAgent({
      workspace,
      env: deps.env,
      flags: {
        ...(id ? { model: id } : {}),
        ...(deps.config.baseUrl ? { baseUrl: deps.config.baseUrl } : {}),
        ...(deps.config.sandbox ? { sandbox: deps.config.sandbox } : {}),
      },
      resolveModel: (name, options) => deps.resolveModel(name, options),
      ...(agent ? { agent } : {}),
      // The server's database is hidden from sandboxed commands (it holds every session).
      ...(deps.config.databaseFile ? { database: deps.config.databaseFile } : {}),
    })
  } catch (error) {
    throw error instanceof ConfigError ? configHttpError(error) : error
  }
  const warning = ignoredWarning(setup.resolved, setup.extensions.ignored)
  if (warning) warn?.(warning, 'config')
  return setup
}
