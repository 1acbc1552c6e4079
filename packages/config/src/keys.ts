/**
 * Every config key, in one table: its schema (the file contract), how layers combine it, and what
 * an untrusted workspace may do with it. Adding a key is adding an entry here; the schema, the
 * layering, the trust filter and the docs' list of widening keys all derive from this table.
 */
import { isAbsolute } from 'node:path'
import { type PermissionRule, PermissionRuleSchema } from '@penguin-ai/tools'
import { z } from 'zod'
import { hooksSchema, mcpServerSchema, mergeHooks, opencodeMcpSchema } from './extension-keys.js'
import { rateLimitSchema } from './rate-limit.js'
import { mergeSandbox, sandboxConfigSchema, splitSandbox } from './sandbox-schema.js'

/**
 * What a value from a workspace the user has not trusted does:
 * - `apply`: it applies; it cannot widen what the agent may do or where secrets go.
 * - `ignore`: it is ignored (and named in the one warning line); it widens — a base URL, a provider,
 *   an allow rule, an extra directory, a tool server, a hook.
 * - `user-only`: it is never read from a workspace, trusted or not (the trust list itself).
 * - `lower`: a limit (`maxIterations`) that it may lower, never raise: set apart as a restriction,
 *   it caps what the user chose (or the default) and cannot lift it.
 * - a function: splits the value into the part that only tightens (applied as a restriction: it can
 *   make calls stricter, never looser) and a description of what was dropped.
 */
export type UntrustedRule<T> =
  | 'apply'
  | 'ignore'
  | 'user-only'
  | 'lower'
  | ((value: T) => { restrict?: T; dropped?: string })

export interface ConfigKey<T> {
  schema: z.ZodType<T>
  /** Combines a value with the one from the layer below it. Default: the upper one replaces it. */
  merge?: (below: T, above: T) => T
  untrusted: UntrustedRule<T>
}

/** A key as declared: its schema as a function that builds it. */
type KeySpec<T> = Omit<ConfigKey<T>, 'schema'> & { schema: () => z.ZodType<T> }

/**
 * Declares a key (keeping `T` tied to its schema). The schema is built the first time it is read,
 * then kept: a `penguin run` that reads no config file checks its flags and environment against a
 * few keys and builds no others before its first model request.
 */
function key<T>({ schema: build, ...spec }: KeySpec<T>): ConfigKey<T> {
  let schema: z.ZodType<T> | undefined
  return {
    ...spec,
    get schema() {
      schema ??= build()
      return schema
    },
  }
}

/** The wires `--api` and config `api` name. */
const wire = () => z.enum(['chat', 'responses', 'anthropic'])

const shallowMerge = <T extends object>(below: T, above: T): T => ({ ...below, ...above })
const append = <T>(below: T[], above: T[]): T[] => [...below, ...above]

/** The lower of two limits; a workspace can lower the user's budget, never raise it. */
function lowerLimits<T extends Record<string, number | undefined>>(below: T, above: T): T {
  const merged: Record<string, number | undefined> = { ...below }
  for (const [name, value] of Object.entries(above)) {
    if (value === undefined) continue
    const current = merged[name]
    merged[name] = current === undefined ? value : Math.min(current, value)
  }
  return merged as T
}

/** Deny and ask rules only tighten; allow rules widen. */
function splitRules(rules: PermissionRule[]): { restrict?: PermissionRule[]; dropped?: string } {
  const tightening = rules.filter((rule) => rule.action !== 'allow')
  const allows = rules.length - tightening.length
  return {
    ...(tightening.length ? { restrict: tightening } : {}),
    ...(allows ? { dropped: `permissions (${allows} allow rule${allows === 1 ? '' : 's'})` } : {}),
  }
}

export const CONFIG_KEYS = {
  /** The editor hint `"$schema": "…"`; carries no setting. */
  $schema: key({ schema: () => z.string(), untrusted: 'apply' }),
  /** `provider/model`. Picks among the user's own keys and endpoints, so a workspace may set it. */
  model: key({ schema: () => z.string().min(1), untrusted: 'apply' }),
  /** Where model requests (and the API key) go. */
  baseUrl: key({ schema: () => z.url(), untrusted: 'ignore' }),
  /**
   * The wire to speak: `chat`, `responses` or `anthropic` for every model, or per provider
   * (`{ "openai": "chat", "custom": "anthropic" }`). It decides what is sent where, so it widens.
   */
  api: key({
    schema: () => z.union([wire(), z.record(z.string().min(1), wire())]),
    merge: (below, above) =>
      typeof below === 'object' && typeof above === 'object' ? { ...below, ...above } : above,
    untrusted: 'ignore',
  }),
  /** How hard models that can reason think: `off`, `minimal`, `low`, `medium` or `high`. */
  reasoning: key({ schema: () => z.enum(['off', 'minimal', 'low', 'medium', 'high']), untrusted: 'apply' }),
  /** Model calls per run (default 50). An untrusted workspace may lower it, never raise it. */
  maxIterations: key({ schema: () => z.int().positive(), untrusted: 'lower' }),
  /** Sub-agents: `max_parallel` — how many `task` calls of one turn run at once (default 4). */
  agents: key({
    schema: () => z.strictObject({ max_parallel: z.int().min(1).max(32).optional() }),
    merge: shallowMerge,
    untrusted: 'apply',
  }),
  budget: key({
    schema: () =>
      z.strictObject({
        maxTokens: z.int().positive().optional(),
        maxCostUsd: z.number().positive().optional(),
      }),
    merge: lowerLimits,
    untrusted: 'apply',
  }),
  /** Permission rules, last match wins: `{ "tool": "run_command", "pattern": "npm test*", "action": "allow" }`. */
  permissions: key({ schema: () => z.array(PermissionRuleSchema), merge: append, untrusted: splitRules }),
  /** Directories outside the workspace that file tools may use. */
  allowedPaths: key({ schema: () => z.array(z.string().min(1)), merge: append, untrusted: 'ignore' }),
  /**
   * The environment of commands the agent runs. Credentials (`*_API_KEY`, `*_TOKEN`, `*SECRET*`,
   * `*PASSWORD*`, AWS keys, `PENGUIN_*`, URLs with a password) are removed unless `allow` names them
   * (wildcards allowed). Handing secrets to the agent widens what it can do.
   */
  env: key({
    schema: () => z.strictObject({ allow: z.array(z.string().min(1)).optional() }),
    merge: (below, above) => ({ allow: [...(below.allow ?? []), ...(above.allow ?? [])] }),
    untrusted: 'ignore',
  }),
  /**
   * The OS sandbox commands run in: `mode` (`read-only`, `workspace-write` — the default where it
   * works — or `off`), `network` (false, true, or domains through a filtering proxy), `deny_read`
   * (more hidden paths), `excluded_commands` (patterns that run outside). From an untrusted workspace
   * only what tightens applies.
   */
  sandbox: key({ schema: sandboxConfigSchema, merge: mergeSandbox, untrusted: splitSandbox }),
  /** Overrides the catalogue's context window, e.g. for a local model served with a smaller one. */
  contextWindow: key({ schema: () => z.int().min(1000), untrusted: 'apply' }),
  /** Conversation compaction: at what share of the context window older turns are summarised. */
  compaction: key({
    schema: () =>
      z.strictObject({
        threshold: z.number().gt(0).max(1).optional(),
        enabled: z.boolean().optional(),
      }),
    merge: shallowMerge,
    untrusted: 'apply',
  }),
  /** Workspace snapshots before file-changing turns, and how many to keep. */
  checkpoints: key({
    schema: () =>
      z.strictObject({
        enabled: z.boolean().optional(),
        maxCount: z.int().positive().optional(),
        maxAgeDays: z.number().positive().optional(),
      }),
    merge: shallowMerge,
    untrusted: 'apply',
  }),
  /**
   * MCP servers whose tools the agent gets (`mcp__<server>__<tool>`), in Claude Code / Cursor shape.
   * They run programs and reach endpoints: a workspace may add them only once trusted.
   */
  mcpServers: key({
    schema: () => z.record(z.string().min(1), mcpServerSchema()),
    merge: shallowMerge,
    untrusted: 'ignore',
  }),
  /** The same, in opencode's shape (`{type: "local", command: [...]}` / `{type: "remote", url}`). */
  mcp: key({
    schema: () => z.record(z.string().min(1), opencodeMcpSchema()),
    merge: shallowMerge,
    untrusted: 'ignore',
  }),
  /** Claude Code compatible hooks: commands run at PreToolUse, PostToolUse, UserPromptSubmit, … */
  hooks: key({ schema: hooksSchema, merge: mergeHooks, untrusted: 'ignore' }),
  /** Plugins to load: npm package names (installed beside the config that names them) or file paths. */
  plugins: key({ schema: () => z.array(z.string().min(1)), merge: append, untrusted: 'ignore' }),
  /**
   * How `penguin project run` works through a project (set it in the project's workspace config):
   * `parallel` — up to this many tasks at once, each in its own git worktree (`--parallel`);
   * `roles` — what each task goes through, of `plan`, `build`, `test`, `review` (`--roles`).
   */
  projects: key({
    schema: () =>
      z.strictObject({
        parallel: z.int().min(1).max(32).optional(),
        roles: z
          .array(z.enum(['plan', 'build', 'test', 'review']))
          .min(1)
          .optional(),
      }),
    merge: shallowMerge,
    untrusted: 'apply',
  }),
  /**
   * `penguin serve` settings. `rateLimit`: requests a minute per API token, as `600/min` (or `10/s`,
   * `36000/h`, a bare number per minute); `0` turns it off, for trusted networks. Raising or
   * removing a limit widens, so a workspace (the server's root) sets it only once trusted.
   */
  serve: key({
    schema: () => z.strictObject({ rateLimit: rateLimitSchema().optional() }),
    merge: shallowMerge,
    untrusted: 'ignore',
  }),
  /**
   * The project's test command (`"npm test"`, `"pytest -q"`): what `penguin github run` runs to
   * decide the work is done when no `--verify` is given. It runs a command, so a workspace sets it
   * only once trusted.
   */
  testCommand: key({ schema: () => z.string().min(1), untrusted: 'ignore' }),
  /**
   * GitHub for `penguin serve`'s webhook: `webhookSecret` verifies `X-Hub-Signature-256` (else
   * PENGUIN_GITHUB_WEBHOOK_SECRET); `apiUrl` for GitHub Enterprise. Secrets: user config only.
   */
  github: key({
    schema: () =>
      z.strictObject({ webhookSecret: z.string().min(16).optional(), apiUrl: z.url().optional() }),
    merge: shallowMerge,
    untrusted: 'user-only',
  }),
  /**
   * Workspaces the user trusts (`true`) or declined to trust (`false`), by real path; a directory
   * covers the ones under it and the most specific entry wins. Written by `penguin trust`.
   */
  trust: key({
    schema: () => z.record(z.string().refine(isAbsolute, 'must be an absolute path'), z.boolean()),
    merge: shallowMerge,
    untrusted: 'user-only',
  }),
  /**
   * When each trust decision was given (real path → ISO time), written by `penguin trust` next to
   * `trust`. Trust covers a workspace's agent configuration as it was then: files created or changed
   * since need the user's trust again. An entry without a time covers none.
   */
  trustedAt: key({
    schema: () => z.record(z.string().refine(isAbsolute, 'must be an absolute path'), z.iso.datetime()),
    merge: shallowMerge,
    untrusted: 'user-only',
  }),
}

export type ConfigKeyName = keyof typeof CONFIG_KEYS

/** The keys an untrusted workspace cannot set (for docs and messages). */
export function wideningKeys(): ConfigKeyName[] {
  return (Object.keys(CONFIG_KEYS) as ConfigKeyName[]).filter(
    (name) => CONFIG_KEYS[name].untrusted !== 'apply' && CONFIG_KEYS[name].untrusted !== 'lower',
  )
}
