/**
 * The config contracts of extensions, in the shapes other tools already use so their files work
 * unchanged: `mcpServers` as Claude Code, Cursor and `.mcp.json` write it, `mcp` as opencode writes
 * it, `hooks` as Claude Code's settings write it, and `plugins`. Unknown fields are kept, not refused:
 * those files carry settings of their own tools (Cline's `autoApprove`, a hook's `statusMessage`).
 */
import { z } from 'zod'
import { lazySchema } from './lazy-schema.js'

/** Tool-name patterns (`*` wildcards) an MCP server's tools are filtered by. */
const toolPatterns = () => z.array(z.string().min(1))

/**
 * One MCP server, Claude Code / Cursor shape: `{command, args, env, cwd}` (stdio) or `{url, headers}`
 * (streamable HTTP, falling back to SSE; `"type": "sse"` for SSE only). Strings may use `${VAR}` and
 * `${VAR:-default}`. Penguin's own: `enabled`, `include` / `exclude` tool patterns, `timeout_ms`.
 */
export const mcpServerSchema = lazySchema(() =>
  z
    .looseObject({
      type: z
        .enum(['stdio', 'http', 'streamable-http', 'streamableHttp', 'sse'])
        .optional()
        .describe('The transport; inferred from `command` or `url` when absent'),
      command: z.string().min(1).optional().describe('The program of a stdio server'),
      args: z.array(z.string()).optional(),
      env: z
        .record(z.string(), z.string())
        .optional()
        .describe('Variables the server gets (with ${VAR} expansion)'),
      cwd: z.string().optional().describe('Where a stdio server runs; relative to the workspace'),
      url: z.string().min(1).optional().describe('The endpoint of an HTTP server'),
      headers: z.record(z.string(), z.string()).optional(),
      enabled: z.boolean().optional().describe('false: configured but not started'),
      disabled: z.boolean().optional().describe('Cursor / Cline spelling of enabled: false'),
      include: toolPatterns().optional().describe('Only tools matching one of these patterns'),
      exclude: toolPatterns().optional().describe('No tools matching one of these patterns'),
      timeout_ms: z
        .int()
        .positive()
        .optional()
        .describe('Handshake and call timeout (default 30000 / 600000)'),
    })
    .refine((server) => (server.command === undefined) !== (server.url === undefined), {
      message: 'an MCP server needs either "command" (stdio) or "url" (HTTP), not both',
    }),
)
export type McpServerConfig = z.infer<ReturnType<typeof mcpServerSchema>>

/** opencode's `mcp` entries: `{type: "local", command: [...], environment}` / `{type: "remote", url, headers}`. */
export const opencodeMcpSchema = lazySchema(() =>
  z.discriminatedUnion('type', [
    z.looseObject({
      type: z.literal('local'),
      command: z.array(z.string()).min(1),
      environment: z.record(z.string(), z.string()).optional(),
      enabled: z.boolean().optional(),
      timeout: z.int().positive().optional().describe('Milliseconds'),
    }),
    z.looseObject({
      type: z.literal('remote'),
      url: z.string().min(1),
      headers: z.record(z.string(), z.string()).optional(),
      enabled: z.boolean().optional(),
      timeout: z.int().positive().optional().describe('Milliseconds'),
    }),
  ]),
)
export type OpencodeMcpConfig = z.infer<ReturnType<typeof opencodeMcpSchema>>

/** The hook events Penguin runs (Claude Code's names). Others in a config are kept and reported. */
export const HOOK_EVENTS = [
  'PreToolUse',
  'PostToolUse',
  'UserPromptSubmit',
  'Stop',
  'SessionStart',
  'SessionEnd',
  'PreCompact',
  'SubagentStop',
] as const
export type HookEvent = (typeof HOOK_EVENTS)[number]

/** One hook: `{type: "command", command, timeout}` (seconds). Other types are reported, not run. */
export const hookSchema = lazySchema(() =>
  z
    .looseObject({
      type: z.string().min(1),
      command: z.string().min(1).optional(),
      timeout: z.number().positive().optional().describe('Seconds (default 60)'),
    })
    .refine((hook) => hook.type !== 'command' || hook.command !== undefined, {
      message: 'a hook of type "command" needs "command"',
    }),
)

/** `{matcher, hooks: [...]}`: the matcher is a regular expression on tool names (all when absent). */
export const hookMatcherSchema = lazySchema(() =>
  z.looseObject({
    matcher: z.string().optional(),
    hooks: z.array(hookSchema()),
  }),
)
export type HookMatcherConfig = z.infer<ReturnType<typeof hookMatcherSchema>>

/** `hooks`: event name → matcher groups, exactly as in Claude Code's settings.json. */
export const hooksSchema = lazySchema(() => z.record(z.string().min(1), z.array(hookMatcherSchema())))
export type HooksConfig = z.infer<ReturnType<typeof hooksSchema>>

/** Hooks of two layers: each event's groups, the lower layer's first. */
export function mergeHooks(below: HooksConfig, above: HooksConfig): HooksConfig {
  const merged: HooksConfig = { ...below }
  for (const [event, groups] of Object.entries(above)) merged[event] = [...(merged[event] ?? []), ...groups]
  return merged
}
