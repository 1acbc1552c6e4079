/**
 * Server sessions and project runs build their agents through @penguin-ai/config, exactly as the
 * CLI does: the user's config, the workspace's (as far as it is trusted), its deny rules, allowed
 * paths, limits and checkpoint settings. The server's own settings (`--model`, `--base-url`) and a
 * session's model are the top layer, like flags.
 */
import { type AgentSetup, ConfigError, ignoredWarning, prepareAgent } from '@penguin-ai/config'
import type { ServerDeps } from '../deps.js'
import { configHttpError } from '../http/errors.js'

export async function agentSetup(
  deps: ServerDeps,
  workspace: string,
  model: string | null | undefined,
  warn?: (message: string, source: 'config') => void,
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
      },
      resolveModel: (name, options) => deps.resolveModel(name, options),
    })
  } catch (error) {
    throw error instanceof ConfigError ? configHttpError(error) : error
  }
  const warning = ignoredWarning(setup.resolved)
  if (warning) warn?.(warning, 'config')
  return setup
}
