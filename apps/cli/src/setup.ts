/**
 * The CLI's side of config → agent: `--cwd` checked, the config package asked, its errors turned
 * into one-line usage errors (exit 2) and the warning about an untrusted workspace printed.
 */
import { stat } from 'node:fs/promises'
import { resolve } from 'node:path'
import {
  type AgentSetup,
  agentModelId,
  CONFIG_KEYS,
  type Config,
  ConfigError,
  type ConfigKeyName,
  engineOptions,
  extensionSettings,
  ignoredWarning,
  prepareAgent as prepareFromConfig,
  type ResolvedConfig,
  resolveAgentModel,
  resolveConfig,
  setTrust,
  switchAgent,
} from '@penguin-ai/config'
import type { EngineOptions } from '@penguin-ai/engine'
import { chatTakesEffort, type ResolvedModel, WIRE_APIS, withoutPassword } from '@penguin-ai/llm'
import type { AgentFlags, ReasoningFlag, SandboxModeFlag, WireFlag } from './args.js'
import { CliError, usageError } from './cli-error.js'
import { resumedSession } from './session/resumed.js'

export type { AgentSetup }

export interface PrepareOptions {
  env?: NodeJS.ProcessEnv
  /** Where the one warning line about ignored workspace settings goes. Default: stderr. */
  warn?: (line: string) => void
  /**
   * Asks the user, once per workspace, whether to trust a workspace whose config sets what only
   * trust unlocks, or that has extension files only trust loads (`files`: `.mcp.json`,
   * `.penguin/plugins/`, …): true / false are recorded in the user config, undefined (no answer) is not.
   */
  askTrust?: (resolved: ResolvedConfig, files: string[]) => Promise<boolean | undefined>
}

/** Turns flags, config files and environment into everything a run needs, or a usage error. */
export async function prepareAgent(flags: AgentFlags, options: PrepareOptions = {}): Promise<AgentSetup> {
  const root = await checkDirectory(flags.cwd ?? process.cwd())
  const env = options.env ?? process.env
  const request = {
    workspace: root,
    env,
    flags: flagLayer(flags),
    // A --db database is hidden from sandboxed commands like the default one.
    ...(flags.db && flags.db !== ':memory:' ? { database: resolve(flags.db) } : {}),
    ...(flags.agent ? { agent: flags.agent } : {}),
  }
  if (options.askTrust) await offerTrust(request, options.askTrust)
  let setup = await configured(() => prepareFromConfig(request))
  // A resumed session goes on as the agent it ran as and on the model it ran on, unless --agent or
  // --model say otherwise (an agent named by --agent brings its own model, if it names one).
  const resumed = flags.agent && flags.model ? undefined : await resumedSession(flags, setup.workspace.root)
  if (resumed?.agent && !flags.agent)
    setup = await asResumedAgent(setup, resumed.agent, { env, flags: flagLayer(flags) })
  const agentModel = flags.agent && setup.agent ? agentModelId(setup.agent) : undefined
  if (resumed?.model && !flags.model && !agentModel) setup = asResumedModel(setup, resumed.model, env)
  const warning = ignoredWarning(setup.resolved, setup.extensions.ignored)
  if (warning) (options.warn ?? warnOnStderr)(warning)
  for (const line of setup.agentWarnings) (options.warn ?? warnOnStderr)(line)
  return setup
}

/** The setup running as the agent a resumed session ran as: an agent gone since is an error. */
async function asResumedAgent(
  setup: AgentSetup,
  name: string,
  request: { env: NodeJS.ProcessEnv; flags: Config },
): Promise<AgentSetup> {
  try {
    return await switchAgent(setup, name, request)
  } catch (error) {
    if (!(error instanceof ConfigError) || error.key !== 'agent') throw asCliError(error)
    // Falling back to the default agent could widen what a narrowed session may do: the user picks.
    throw usageError(
      `The session ran as the agent "${name}", which is not available here. ${error.message} Pass --agent NAME to continue the session as another agent.`,
    )
  }
}

/** The setup on the model a resumed session ran on: one that cannot be used here is an error. */
function asResumedModel(setup: AgentSetup, id: string, env: NodeJS.ProcessEnv): AgentSetup {
  if (id === setup.model.id) return setup
  try {
    return { ...setup, model: resolveAgentModel(setup.resolved, { id, env }) }
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error
    throw usageError(
      `The session ran on the model "${id}", which cannot be used here: ${error.message} Pass --model MODEL to continue the session on another model.`,
    )
  }
}

/**
 * What a running chat's engine takes from a changed setup (`/model`, `/agent`): the model, policy,
 * limits and the agent's prompt section and tools.
 */
export function sessionChanges(setup: AgentSetup): Partial<Omit<EngineOptions, 'history'>> {
  const { model, policy, maxIterations, reasoning, agent, toolFilter } = engineOptions(setup)
  return {
    model,
    ...(policy ? { policy } : {}),
    ...(maxIterations ? { maxIterations } : {}),
    ...(reasoning ? { reasoning } : {}),
    ...(agent ? { agent } : {}),
    ...(toolFilter ? { toolFilter } : {}),
  }
}

/**
 * The one-time question: only for a workspace never decided on whose config sets what needs trust,
 * or that has extension files (`.mcp.json`, `opencode.json`, `.penguin/plugins/`, `.penguin/tools/`).
 */
async function offerTrust(
  request: { workspace: string; env: NodeJS.ProcessEnv; flags: Config },
  ask: (resolved: ResolvedConfig, files: string[]) => Promise<boolean | undefined>,
): Promise<void> {
  const resolved = await configured(() => resolveConfig(request))
  if (resolved.trust.state !== 'unknown') return
  const { ignored: files } = await configured(() => extensionSettings(resolved))
  if (!files.length && !unlockedByTrust(resolved).length) return
  const answer = await ask(resolved, files)
  if (answer !== undefined) await configured(() => setTrust(resolved.workspace, answer, { env: request.env }))
}

/**
 * The settings a workspace's config sets that trusting it would apply (`baseUrl`, `permissions (1
 * allow rule)`, …): not those only the user's own config may set (`trust`, `github`).
 */
export function unlockedByTrust(resolved: ResolvedConfig): string[] {
  return resolved.ignored.filter((entry) => {
    const name = entry.split(/[ .]/)[0] as string
    return !(name in CONFIG_KEYS) || CONFIG_KEYS[name as ConfigKeyName].untrusted !== 'user-only'
  })
}

/** What flags set, as the top config layer. */
export function flagLayer(flags: {
  model?: string | undefined
  baseUrl?: string | undefined
  maxIterations?: number | undefined
  api?: WireFlag | undefined
  reasoning?: ReasoningFlag | undefined
  sandbox?: SandboxModeFlag | undefined
  network?: boolean | undefined
}): Config {
  const sandbox = {
    ...(flags.sandbox ? { mode: flags.sandbox } : {}),
    ...(flags.network ? { network: true } : {}),
  }
  return {
    ...(flags.model ? { model: flags.model } : {}),
    ...(flags.baseUrl ? { baseUrl: flags.baseUrl } : {}),
    ...(flags.maxIterations ? { maxIterations: flags.maxIterations } : {}),
    ...(flags.api ? { api: flags.api } : {}),
    ...(flags.reasoning ? { reasoning: flags.reasoning } : {}),
    ...(Object.keys(sandbox).length ? { sandbox } : {}),
  }
}

/** Another model for the same setup (chat `/model`), with the config's base URL and context window. */
export function resolveModelOrExplain(id: string, setup: AgentSetup): ResolvedModel {
  try {
    return resolveAgentModel(setup.resolved, { id })
  } catch (error) {
    throw asCliError(error)
  }
}

/** Runs config work, turning its errors into usage errors (exit 2). */
export async function configured<T>(work: () => Promise<T> | T): Promise<T> {
  try {
    return await work()
  } catch (error) {
    throw asCliError(error)
  }
}

function asCliError(error: unknown): unknown {
  return error instanceof ConfigError ? usageError(error.message) : error
}

function warnOnStderr(line: string): void {
  process.stderr.write(`penguin: ${line}\n`)
}

export async function checkDirectory(dir: string): Promise<string> {
  const absolute = resolve(dir)
  try {
    const info = await stat(absolute)
    if (!info.isDirectory()) throw new CliError(`--cwd ${dir} is not a directory.`)
  } catch (error) {
    if (error instanceof CliError) throw error
    throw usageError(`--cwd ${dir} does not exist. Pass an existing directory.`)
  }
  return absolute
}

/** The agent setup for work on a project: its workspace, and the model flags of the command. */
export function prepareProjectAgent(
  project: { workspace: string | null },
  flags: {
    model?: string | undefined
    baseUrl?: string | undefined
    maxIterations?: number | undefined
    sandbox?: SandboxModeFlag | undefined
    network?: boolean | undefined
    db?: string | undefined
  },
): Promise<AgentSetup> {
  return prepareAgent({
    yes: false,
    json: false,
    debug: false,
    help: false,
    continue: false,
    hideReasoning: false,
    ...(flags.model ? { model: flags.model } : {}),
    ...(flags.baseUrl ? { baseUrl: flags.baseUrl } : {}),
    ...(flags.maxIterations ? { maxIterations: flags.maxIterations } : {}),
    ...(flags.sandbox ? { sandbox: flags.sandbox } : {}),
    ...(flags.network ? { network: true } : {}),
    ...(flags.db ? { db: flags.db } : {}),
    ...(project.workspace ? { cwd: project.workspace } : {}),
  })
}

/** `--debug` notes about the model: settings it ignores, the wire it is spoken to on. */
export function modelNotes(setup: AgentSetup): string[] {
  const { model, reasoning } = setup
  const notes = [`model ${model.id} via ${model.api} at ${withoutPassword(model.baseUrl)}`]
  if (reasoning && model.info.reasoning !== true)
    notes.push(
      `${model.id} cannot reason (as far as the catalogue knows): reasoning "${reasoning}" is ignored`,
    )
  else if (reasoning && model.api === WIRE_APIS.chat && !chatTakesEffort(model))
    notes.push(
      `reasoning "${reasoning}" is not sent: Chat Completions carries it only for OpenAI's reasoning models (--api responses or --api anthropic does)`,
    )
  return notes
}
