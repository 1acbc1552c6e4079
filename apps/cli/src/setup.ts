import { stat } from 'node:fs/promises'
import { resolve } from 'node:path'
import type { Budget } from '@penguin-ai/engine'
import { ModelConfigError, type ResolvedModel, resolveModel } from '@penguin-ai/llm'
import { openWorkspace, PermissionPolicy, type Workspace } from '@penguin-ai/tools'
import type { AgentFlags } from './args.js'
import { CliError, usageError } from './cli-error.js'
import { type Config, loadConfig } from './config.js'

export interface AgentSetup {
  /** The merged configuration the setup came from (compaction, checkpoints, …). */
  config: Config
  model: ResolvedModel
  workspace: Workspace
  policy: PermissionPolicy
  maxIterations?: number
  budget?: Budget
}

export const NO_MODEL_MESSAGE =
  'No model configured. Pass --model provider/model (e.g. --model openai/gpt-4o) or set PENGUIN_MODEL; ' +
  'then set the provider key (e.g. OPENAI_API_KEY). Try "penguin demo" to see Penguin work without a key.'

/** Turns flags, config files and environment into everything a run needs, or a usage error. */
export async function prepareAgent(
  flags: AgentFlags,
  env: NodeJS.ProcessEnv = process.env,
): Promise<AgentSetup> {
  const root = await checkDirectory(flags.cwd ?? process.cwd())
  const config = await loadConfig({ env, workspace: root })
  const modelId = flags.model ?? config.model
  if (!modelId) throw usageError(NO_MODEL_MESSAGE)
  const baseUrl = flags.baseUrl ?? config.baseUrl
  const model = resolveModelOrExplain(modelId, baseUrl, env, config.contextWindow)
  const workspace = await openWorkspace(root, {
    allowedPaths: (config.allowedPaths ?? []).map((path) => resolve(root, path)),
  })
  const maxIterations = flags.maxIterations ?? config.maxIterations
  return {
    config,
    model,
    workspace,
    policy: new PermissionPolicy(config.permissions ?? []),
    ...(maxIterations ? { maxIterations } : {}),
    ...(config.budget ? { budget: config.budget } : {}),
  }
}

export function resolveModelOrExplain(
  id: string,
  baseUrl: string | undefined,
  env: NodeJS.ProcessEnv,
  contextWindow?: number,
): ResolvedModel {
  try {
    return resolveModel(id, {
      env,
      ...(baseUrl ? { baseUrl } : {}),
      ...(contextWindow ? { contextWindow } : {}),
    })
  } catch (error) {
    if (error instanceof ModelConfigError) throw usageError(error.message)
    throw error
  }
}

async function checkDirectory(dir: string): Promise<string> {
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
  flags: { model?: string | undefined; baseUrl?: string | undefined },
): Promise<AgentSetup> {
  return prepareAgent({
    yes: false,
    json: false,
    debug: false,
    help: false,
    continue: false,
    ...(flags.model ? { model: flags.model } : {}),
    ...(flags.baseUrl ? { baseUrl: flags.baseUrl } : {}),
    ...(project.workspace ? { cwd: project.workspace } : {}),
  })
}
