/**
 * The agents a workspace may use, as one catalogue for everything that picks one: `--agent`, chat
 * `/agent`, the server's sessions and its `GET /agents`.
 */
import { ConfigError } from '../errors.js'
import { type ConfigRequest, type ResolvedConfig, resolveConfig } from '../resolve.js'
import { untrustedReason } from '../trust.js'
import { type AgentCatalogue, loadAgents } from './load.js'
import type { AgentDefinition } from './schema.js'
import { findAgent } from './select.js'

/** The built-ins and the agent files this (resolved) workspace may use: its own only when trusted. */
export function catalogueOf(
  resolved: ResolvedConfig,
  env: NodeJS.ProcessEnv | undefined,
): Promise<AgentCatalogue> {
  return loadAgents({
    workspace: resolved.workspace,
    trusted: resolved.trust.state === 'trusted',
    untrusted: untrustedReason(resolved.trust, resolved.workspace),
    ...(env ? { env } : {}),
  })
}

/** The agents of a workspace, its trust read from the user's config. Throws ConfigError. */
export async function workspaceAgents(
  request: Pick<ConfigRequest, 'workspace' | 'env'>,
): Promise<AgentCatalogue> {
  const resolved = await resolveConfig({
    workspace: request.workspace,
    ...(request.env ? { env: request.env } : {}),
    flags: {},
  })
  return catalogueOf(resolved, request.env)
}

/**
 * The named agent of the catalogue; a ConfigError (key `agent`, `choices` = the names there are)
 * saying what is available when there is none, and why a file of that name was not used.
 */
export function selectAgent(
  catalogue: AgentCatalogue,
  name: string,
): { agent: AgentDefinition; warnings: string[] } {
  const agent = findAgent(catalogue.agents, name)
  if (!agent) {
    const skipped = catalogue.problems.find((problem) => problem.file.endsWith(`/${name}.md`))
    const ignored = catalogue.warnings.find((line) => line.startsWith('ignoring agent files'))
    const why = skipped
      ? ` (${skipped.file} was skipped: "${skipped.field}": ${skipped.message})`
      : ignored
        ? ` (${ignored.replace(/\.$/, '')})`
        : ''
    const choices = catalogue.agents.map((a) => a.name)
    throw new ConfigError(
      'invalid_value',
      `Unknown agent "${name}"${why}. Available: ${choices.join(', ')} (see: penguin agents list).`,
      { key: 'agent', choices, ...(skipped ? { file: skipped.file } : {}) },
    )
  }
  return { agent, warnings: catalogue.warnings }
}
