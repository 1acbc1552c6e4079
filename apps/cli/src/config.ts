import { readFile } from 'node:fs/promises'
import { homedir } from 'node:os'
import { join } from 'node:path'
import { PermissionRuleSchema } from '@penguin-ai/tools'
import { z } from 'zod'
import { usageError } from './cli-error.js'

/** The config file contract. Unknown keys are errors: a typo must not be silently ignored. */
export const ConfigSchema = z.strictObject({
  $schema: z.string().optional(),
  model: z.string().min(1).optional(),
  baseUrl: z.url().optional(),
  maxIterations: z.int().positive().optional(),
  budget: z
    .strictObject({
      maxTokens: z.int().positive().optional(),
      maxCostUsd: z.number().positive().optional(),
    })
    .optional(),
  /** Permission rules, last match wins: `{ "tool": "run_command", "pattern": "npm test*", "action": "allow" }`. */
  permissions: z.array(PermissionRuleSchema).optional(),
  /** Directories outside the workspace that file tools may use. */
  allowedPaths: z.array(z.string().min(1)).optional(),
  /** Overrides the catalogue's context window, e.g. for a local model served with a smaller one. */
  contextWindow: z.int().min(1000).optional(),
  /** Conversation compaction: at what share of the context window older turns are summarised. */
  compaction: z
    .strictObject({
      threshold: z.number().gt(0).max(1).optional(),
      enabled: z.boolean().optional(),
    })
    .optional(),
  /** Workspace snapshots before file-changing turns, and how many to keep. */
  checkpoints: z
    .strictObject({
      enabled: z.boolean().optional(),
      maxCount: z.int().positive().optional(),
      maxAgeDays: z.number().positive().optional(),
    })
    .optional(),
})

export type Config = z.infer<typeof ConfigSchema>

export interface ConfigSources {
  env: NodeJS.ProcessEnv
  workspace: string
}

export function userConfigPath(env: NodeJS.ProcessEnv): string {
  const base = env.XDG_CONFIG_HOME || join(env.HOME || homedir(), '.config')
  return join(base, 'penguin', 'config.json')
}

export function workspaceConfigPath(workspace: string): string {
  return join(workspace, '.penguin', 'config.json')
}

/**
 * User config, then workspace config, then environment; flags are applied by the caller. Later
 * wins key by key; permission rules and allowed paths accumulate (workspace rules after user rules,
 * so they win).
 */
export async function loadConfig({ env, workspace }: ConfigSources): Promise<Config> {
  const user = await readConfigFile(userConfigPath(env))
  const local = await readConfigFile(workspaceConfigPath(workspace))
  const merged: Config = { ...user, ...local }
  const permissions = [...(user.permissions ?? []), ...(local.permissions ?? [])]
  if (permissions.length) merged.permissions = permissions
  const allowedPaths = [...(user.allowedPaths ?? []), ...(local.allowedPaths ?? [])]
  if (allowedPaths.length) merged.allowedPaths = allowedPaths
  if (user.budget || local.budget) merged.budget = { ...user.budget, ...local.budget }
  if (user.compaction || local.compaction) merged.compaction = { ...user.compaction, ...local.compaction }
  if (user.checkpoints || local.checkpoints)
    merged.checkpoints = { ...user.checkpoints, ...local.checkpoints }
  if (env.PENGUIN_MODEL) merged.model = env.PENGUIN_MODEL
  if (env.PENGUIN_BASE_URL) merged.baseUrl = env.PENGUIN_BASE_URL
  return merged
}

export async function readConfigFile(path: string): Promise<Config> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {}
    throw usageError(`Cannot read config file ${path}: ${(error as Error).message}`)
  }
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch (error) {
    throw usageError(`Invalid config file ${path}: not valid JSON (${(error as Error).message}).`)
  }
  const parsed = ConfigSchema.safeParse(json)
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => describeIssue(issue)).join('; ')
    throw usageError(`Invalid config file ${path}: ${problems}.`)
  }
  return parsed.data
}

function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === 'unrecognized_keys') {
    const keys = issue.keys.map((key) => `"${[...issue.path, key].join('.')}"`).join(', ')
    return `unknown key ${keys}`
  }
  const key = issue.path.length ? `"${issue.path.join('.')}"` : 'the file'
  return `${key}: ${issue.message}`
}
