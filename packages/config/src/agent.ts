/**
 * Config → agent: the model, the workspace with its allowed paths, the permission policy, limits,
 * compaction and checkpoint settings. The CLI, server sessions, project runs and the benchmark
 * harness all build their engines from this, so a setting means the same everywhere.
 */
import { realpath, stat } from 'node:fs/promises'
import { resolve } from 'node:path'
import {
  type Budget,
  type CompactionOptions,
  DEFAULT_MAX_ITERATIONS,
  type EngineOptions,
  type Subagents,
} from '@penguin-ai/engine'
import { ModelConfigError, type ReasoningEffort, type ResolvedModel, resolveModel } from '@penguin-ai/llm'
import { openWorkspace, PermissionPolicy, type Workspace } from '@penguin-ai/tools'
import {
  type AgentDefinition,
  agentModelId,
  agentPermissions,
  agentToolFilter,
  subagentCatalogue,
} from './agents/index.js'
import { catalogueOf, selectAgent } from './agents/workspace.js'
import { ConfigError } from './errors.js'
import { type ExtensionSettings, extensionSettings } from './extensions.js'
import { keyPath } from './read.js'
import { type ConfigRequest, type ResolvedConfig, resolveConfig, sourceOf } from './resolve.js'
import { type SandboxSetup, sandboxSetup } from './sandbox.js'
import type { Config } from './schema.js'

export const NO_MODEL_MESSAGE =
  'No model configured. Pass --model provider/model (e.g. --model openai/gpt-4o) or set PENGUIN_MODEL; ' +
  'then set the provider key (e.g. OPENAI_API_KEY). Try "penguin demo" to see Penguin work without a key.'

/** Resolves a model id with the settings config gives it. */
export type ModelResolver = (
  id: string,
  options: { baseUrl?: string; contextWindow?: number; api?: string },
) => ResolvedModel

export interface AgentRequest extends ConfigRequest {
  /** Default: `resolveModel` of @penguin-ai/llm with `env` (the server passes its own). */
  resolveModel?: ModelResolver
  /** An already resolved model: config's `model` and `baseUrl` are then not used. */
  model?: ResolvedModel
  /**
   * The sessions database this agent records to (`--db`), hidden from sandboxed commands besides
   * the default one and `PENGUIN_DB`.
   */
  database?: string
  /**
   * The agent to run as (`--agent`, chat `/agent`): a built-in or a file's. It narrows the tools,
   * tightens permissions (a workspace file's rules can only tighten), and sets the model, reasoning,
   * iteration cap and the system prompt's agent section. Unknown: ConfigError (key `agent`).
   */
  agent?: string
}

export interface CheckpointSettings {
  enabled: boolean
  /** What config sets; the sessions package's defaults fill the rest. */
  retention: { maxCount?: number; maxAgeDays?: number }
}

/** Everything an engine (and the session around it) is built from. */
export interface AgentSetup {
  resolved: ResolvedConfig
  /** The merged configuration (same as resolved.config). */
  config: Config
  model: ResolvedModel
  workspace: Workspace
  /** Configured rules plus an untrusted workspace's restrictions; holds the session's "always" answers. */
  policy: PermissionPolicy
  /** What commands keep of the environment besides non-credentials (`env.allow`). */
  commandEnv: { allow: string[] }
  /** How commands run: the sandbox mode, network, hidden paths, excluded commands, the sandbox itself. */
  sandbox: SandboxSetup
  maxIterations?: number
  budget?: Budget
  compaction?: CompactionOptions
  /** How hard models that can reason think (config `reasoning`, `--reasoning`). */
  reasoning?: ReasoningEffort
  checkpoints: CheckpointSettings
  /**
   * MCP servers, hooks, plugins and custom tool files for this workspace (the workspace's own only
   * when it is trusted). Empty unless configured: then nothing extension-related needs loading.
   */
  extensions: ExtensionSettings
  /** The agent asked for, when one was (absent: the default agent, nothing narrowed). */
  agent?: AgentDefinition
  /** About agent files: bad ones skipped, an untrusted workspace's ignored (only when `agent` was asked). */
  agentWarnings: string[]
  /** The agents the `task` tool may start (every agent this workspace may use); `agents.max_parallel`. */
  subagents?: Subagents
}

/** Resolves config for a workspace and builds the agent's parts. Throws ConfigError. */
export async function prepareAgent(request: AgentRequest): Promise<AgentSetup> {
  const resolved = await resolveConfig(request)
  const { config } = resolved
  const catalogue = await catalogueOf(resolved, request.env)
  const selected = request.agent ? selectAgent(catalogue, request.agent) : undefined
  const agent = selected?.agent
  // Flags (`--model`, `--reasoning`, `--max-iterations`) still win over what the agent sets.
  const flags = request.flags ?? {}
  const agentModel = agent && !flags.model ? agentModelId(agent) : undefined
  const model =
    request.model ?? resolveAgentModel(resolved, { ...request, ...(agentModel ? { id: agentModel } : {}) })
  const agentRules = agent ? agentPermissions(agent) : { rules: [], restrictions: [] }
  const maxIterations = iterationLimit(resolved, flags, agent)
  const reasoning = flags.reasoning ?? agent?.reasoning ?? config.reasoning
  const [allowedPaths, extensions] = await Promise.all([
    allowedDirectories(resolved),
    extensionSettings(resolved),
  ])
  let workspace: Workspace
  try {
    workspace = await openWorkspace(resolved.workspace, { allowedPaths })
  } catch (error) {
    throw new ConfigError('workspace', (error as Error).message)
  }
  const sandbox = await sandboxSetup(resolved, {
    roots: [workspace.root, ...workspace.allowedPaths],
    env: request.env ?? process.env,
    ...(request.database ? { database: request.database } : {}),
  })
  return {
    resolved,
    config,
    model,
    workspace,
    policy: new PermissionPolicy([...(config.permissions ?? []), ...agentRules.rules], {
      restrictions: [...(resolved.restrictions.permissions ?? []), ...agentRules.restrictions],
    }),
    commandEnv: { allow: config.env?.allow ?? [] },
    sandbox,
    ...(maxIterations ? { maxIterations } : {}),
    ...(config.budget ? { budget: config.budget } : {}),
    ...(config.compaction ? { compaction: config.compaction } : {}),
    ...(reasoning ? { reasoning } : {}),
    checkpoints: {
      enabled: config.checkpoints?.enabled !== false,
      retention: {
        ...(config.checkpoints?.maxCount ? { maxCount: config.checkpoints.maxCount } : {}),
        ...(config.checkpoints?.maxAgeDays ? { maxAgeDays: config.checkpoints.maxAgeDays } : {}),
      },
    },
    extensions,
    ...(agent ? { agent } : {}),
    agentWarnings: selected?.warnings ?? [],
    subagents: subagentCatalogue(catalogue, {
      ...(config.agents?.max_parallel ? { maxParallel: config.agents.max_parallel } : {}),
      resolveModel: (id) => resolveAgentModel(resolved, { ...request, id }),
    }),
  }
}

/**
 * The same setup running as another agent (chat `/agent NAME`): model, policy, reasoning and
 * iteration cap are derived again from the config, the flags and the new agent; the workspace,
 * sandbox and extensions stay. Throws ConfigError for an unknown agent.
 */
export async function switchAgent(
  setup: AgentSetup,
  name: string,
  request: { env?: NodeJS.ProcessEnv; flags?: Config; resolveModel?: ModelResolver } = {},
): Promise<AgentSetup> {
  const { resolved, config } = setup
  const { agent, warnings } = selectAgent(await catalogueOf(resolved, request.env), name)
  const flags = request.flags ?? {}
  const agentModel = flags.model ? undefined : agentModelId(agent)
  const model = resolveAgentModel(resolved, { ...request, ...(agentModel ? { id: agentModel } : {}) })
  const rules = agentPermissions(agent)
  const maxIterations = iterationLimit(resolved, flags, agent)
  const reasoning = flags.reasoning ?? agent.reasoning ?? config.reasoning
  const { maxIterations: _m, reasoning: _r, ...rest } = setup
  return {
    ...rest,
    model,
    policy: new PermissionPolicy([...(config.permissions ?? []), ...rules.rules], {
      restrictions: [...(resolved.restrictions.permissions ?? []), ...rules.restrictions],
    }),
    ...(maxIterations ? { maxIterations } : {}),
    ...(reasoning ? { reasoning } : {}),
    agent,
    agentWarnings: warnings,
  }
}

/**
 * Model calls per run: `--max-iterations` as given (the user's choice for this run), else the
 * agent's or the config's cap (or the engine's default) lowered by an untrusted workspace's
 * `maxIterations`, which can never raise it.
 */
function iterationLimit(
  resolved: ResolvedConfig,
  flags: Config,
  agent: AgentDefinition | undefined,
): number | undefined {
  if (flags.maxIterations) return flags.maxIterations
  const chosen = agent?.maxIterations ?? resolved.config.maxIterations
  const cap = resolved.restrictions.maxIterations
  return cap === undefined ? chosen : Math.min(chosen ?? DEFAULT_MAX_ITERATIONS, cap)
}

/** The options of an engine built from a setup; `extra` adds or overrides (approval, streams, …). */
export function engineOptions(setup: AgentSetup, extra: Partial<EngineOptions> = {}): EngineOptions {
  return {
    model: setup.model,
    workspace: setup.workspace,
    policy: setup.policy,
    commandEnv: setup.commandEnv,
    ...(setup.sandbox.instance ? { sandbox: setup.sandbox.instance } : {}),
    ...(setup.sandbox.excludedCommands.length ? { excludedCommands: setup.sandbox.excludedCommands } : {}),
    ...(setup.maxIterations ? { maxIterations: setup.maxIterations } : {}),
    ...(setup.budget ? { budget: setup.budget } : {}),
    ...(setup.compaction ? { compaction: setup.compaction } : {}),
    ...(setup.reasoning ? { reasoning: setup.reasoning } : {}),
    ...(setup.agent ? agentEngineOptions(setup.agent) : {}),
    ...(setup.subagents ? { subagents: setup.subagents } : {}),
    ...extra,
  }
}

/** The agent's section of the system prompt and the tools it may be offered. */
function agentEngineOptions(agent: AgentDefinition): Partial<EngineOptions> {
  // Always a filter, so switching agents in a chat replaces the previous agent's.
  const toolFilter = agentToolFilter(agent) ?? (() => true)
  return { agent: { name: agent.name, prompt: agent.prompt }, toolFilter }
}

/**
 * The engine settings of every task in a project run: the project's budgets replace the config's,
 * and each task's workspace and model come from the run.
 */
export function projectEngineSettings(
  setup: AgentSetup,
  extra: Partial<EngineOptions> = {},
): Omit<EngineOptions, 'model' | 'workspace' | 'budget' | 'history'> {
  const { model: _model, workspace: _workspace, budget: _budget, ...settings } = engineOptions(setup, extra)
  return settings
}

/**
 * The model the config names, resolved (with its base URL and context window). A model that cannot
 * be used is a ConfigError naming where the model came from.
 */
export function resolveAgentModel(
  resolved: ResolvedConfig,
  request: {
    env?: NodeJS.ProcessEnv
    resolveModel?: ModelResolver
    /** Another model than the config's, with the config's base URL and context window (chat `/model`). */
    id?: string
  } = {},
): ResolvedModel {
  const config = request.id ? { ...resolved.config, model: request.id } : resolved.config
  if (!config.model) throw new ConfigError('no_model', NO_MODEL_MESSAGE)
  const env = request.env ?? process.env
  const resolver: ModelResolver =
    request.resolveModel ?? ((id, options) => resolveModel(id, { env, ...options }))
  try {
    const options = {
      ...(config.baseUrl ? { baseUrl: config.baseUrl } : {}),
      ...(config.contextWindow ? { contextWindow: config.contextWindow } : {}),
    }
    if (typeof config.api === 'string') return resolver(config.model, { ...options, api: config.api })
    const model = resolver(config.model, options)
    // Per provider: resolving first says which provider it is (`custom` for a --base-url endpoint).
    const api = config.api?.[model.provider]
    return api ? resolver(config.model, { ...options, api }) : model
  } catch (error) {
    if (!(error instanceof ModelConfigError)) throw error
    const source = request.id ? undefined : sourceOf(resolved, 'model')
    const file = source?.kind === 'user' || source?.kind === 'workspace' ? source.source : undefined
    const where = file ? ` (model "${config.model}" from ${file})` : ''
    throw new ConfigError('invalid_value', `${error.message}${where}`, {
      key: 'model',
      ...(file ? { file } : {}),
    })
  }
}

/**
 * The allowed paths of every layer that applied, as absolute paths (relative ones are taken from the
 * workspace). One that does not exist is a ConfigError naming its file and entry.
 */
async function allowedDirectories(resolved: ResolvedConfig): Promise<string[]> {
  const directories: string[] = []
  for (const layer of resolved.layers) {
    for (const [index, entry] of (layer.config.allowedPaths ?? []).entries()) {
      const absolute = resolve(resolved.workspace, entry)
      const key = keyPath(['allowedPaths', index])
      const where = layer.kind === 'user' || layer.kind === 'workspace' ? `${layer.source}: ` : ''
      const real = await realpath(absolute).catch(() => undefined)
      if (real === undefined || !(await stat(real)).isDirectory()) {
        const problem = real === undefined ? 'does not exist' : 'is not a directory'
        const shown = entry === absolute ? entry : `${entry} (${absolute})`
        throw new ConfigError(
          'invalid_value',
          `${where}"${key}": ${shown} ${problem}. Create it or remove the entry.`,
          { key, ...(where ? { file: layer.source } : {}) },
        )
      }
      directories.push(real)
    }
  }
  return directories
}
