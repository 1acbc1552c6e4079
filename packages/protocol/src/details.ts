/**
 * The contract between tools and every UI: what a finished call did (`ToolDetails`) and what a call
 * asking for permission is about to do (`PermissionPreview`). The CLI, the web UI and the SDK render
 * from these by `kind`, never by tool name, so a new tool (a plugin, an MCP server's) renders well
 * without either knowing it. Browser-safe: this module imports nothing but zod.
 */
import { z } from 'zod'

const Summary = z
  .string()
  .describe('One line saying what the call did (or will do): a tool line, a card header. No newlines.')
const Count = z.number().int().nonnegative()

export const TodoSchema = z.object({
  content: z.string().min(1).describe('What to do, imperative'),
  status: z.enum(['pending', 'in_progress', 'completed']),
  id: z.string().optional(),
})
export type Todo = z.infer<typeof TodoSchema>

export const FileOperationSchema = z.enum(['add', 'modify', 'delete', 'rename'])
export type FileOperation = z.infer<typeof FileOperationSchema>

/** One file a call changes (or, in a preview, will change). */
export const ToolFileChangeSchema = z.object({
  path: z
    .string()
    .describe(
      'Where the change lands, after symlinks are resolved: workspace-relative, or absolute outside the workspace',
    ),
  operation: FileOperationSchema,
  from: z.string().optional().describe("A renamed file's old path (resolved like `path`)"),
  added: Count.describe('Lines added'),
  removed: Count.describe('Lines removed'),
  diff: z.string().optional().describe('Unified diff of the change; absent when too large to compute'),
  realPath: z.string().optional().describe('The absolute real path written'),
  requested: z
    .string()
    .optional()
    .describe('The path exactly as the model wrote it, present only when it differs from `path`'),
})
export type ToolFileChange = z.infer<typeof ToolFileChangeSchema>

/** A piece of an MCP tool's result, as the MCP server sent it (large payloads left out). */
export const McpContentSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('text'), text: z.string() }),
  z.object({
    type: z.literal('image'),
    mimeType: z.string(),
    data: z.string().optional().describe('Base64, when small enough to keep'),
  }),
  z.object({ type: z.literal('audio'), mimeType: z.string() }),
  z.object({
    type: z.literal('resource'),
    uri: z.string(),
    mimeType: z.string().optional(),
    text: z.string().optional(),
  }),
])
export type McpContent = z.infer<typeof McpContentSchema>

export const FileReadDetailsSchema = z.object({
  kind: z.literal('file-read'),
  summary: Summary,
  path: z.string(),
  startLine: Count.optional(),
  endLine: Count.optional(),
  totalLines: Count.optional().describe('Absent when the file was too large to count'),
  binary: z.boolean().optional(),
})

export const FileEditDetailsSchema = z.object({
  kind: z.literal('file-edit'),
  summary: Summary,
  files: z.array(ToolFileChangeSchema),
})

/** How a command ran in the OS sandbox (see @penguin-ai/sandbox), and what the sandbox refused it. */
export const CommandSandboxSchema = z.object({
  mode: z.enum(['read-only', 'workspace-write']),
  network: z
    .union([z.boolean(), z.array(z.string())])
    .describe('false: none; true: the host network; a list: the domains reachable through the proxy'),
  refused: z
    .object({
      kinds: z.array(z.enum(['write', 'read', 'network', 'start'])),
      summary: z.string().describe('What was refused, with the output line that shows it'),
    })
    .optional()
    .describe('Set when the output shows the sandbox refused the command something'),
})

export const CommandDetailsSchema = z.object({
  kind: z.literal('command'),
  summary: Summary,
  command: z.string(),
  cwd: z.string().describe('Workspace-relative working directory'),
  exitCode: z.number().int().nullable().describe('Null when killed by a signal, timed out or never started'),
  signal: z.string().nullable(),
  timedOut: z.boolean(),
  aborted: z.boolean(),
  durationMs: Count,
  stdout: z.string().describe('Head and tail, up to 256 KB'),
  stderr: z.string().describe('Head and tail, up to 256 KB'),
  startError: z.string().optional(),
  sandbox: CommandSandboxSchema.optional().describe('Set when the command ran in the OS sandbox'),
  outsideSandbox: z
    .boolean()
    .optional()
    .describe("Set when the sandbox refused it and it was re-run outside, at the user's request"),
})

export const SearchDetailsSchema = z.object({
  kind: z.literal('search'),
  summary: Summary,
  query: z.string().describe('The pattern, glob or words searched for ("" for a plain listing)'),
  path: z.string().optional().describe('Where: workspace-relative'),
  matches: Count.describe('Matches, entries or results found'),
  truncated: z.boolean(),
})

export const TodoDetailsSchema = z.object({
  kind: z.literal('todo'),
  summary: Summary,
  todos: z.array(TodoSchema),
})

export const McpDetailsSchema = z.object({
  kind: z.literal('mcp'),
  summary: Summary,
  server: z.string(),
  tool: z.string().describe("The tool's name on its server"),
  content: z.array(McpContentSchema),
})

/** Why a call was refused before it ran. */
export const DenialReasonSchema = z.enum(['rule', 'user', 'non_interactive', 'protected', 'hook'])
export type DenialReason = z.infer<typeof DenialReasonSchema>

/**
 * A call refused before it ran: a deny rule, the user's "no", a non-interactive run that could not
 * ask, a write inside `.git/` / `.penguin/` that could not be asked about, or a hook or plugin.
 */
export const DeniedDetailsSchema = z.object({
  kind: z.literal('denied'),
  summary: Summary,
  denied: DenialReasonSchema,
  access: z.enum(['read', 'write', 'execute']),
  subject: z.string().describe('The permission subject: a path, a command line'),
})

export const GenericDetailsSchema = z.object({
  kind: z.literal('generic'),
  summary: Summary,
  data: z.record(z.string(), z.unknown()).optional().describe('Anything else the tool wants UIs to have'),
})

/** What a finished tool call did, for UIs only: never sent to the model. */
export const ToolDetailsSchema = z.discriminatedUnion('kind', [
  FileReadDetailsSchema,
  FileEditDetailsSchema,
  CommandDetailsSchema,
  SearchDetailsSchema,
  TodoDetailsSchema,
  McpDetailsSchema,
  DeniedDetailsSchema,
  GenericDetailsSchema,
])
export type ToolDetails = z.infer<typeof ToolDetailsSchema>
export type ToolDetailsKind = ToolDetails['kind']
export type FileReadDetails = z.infer<typeof FileReadDetailsSchema>
export type FileEditDetails = z.infer<typeof FileEditDetailsSchema>
export type CommandDetails = z.infer<typeof CommandDetailsSchema>
export type SearchDetails = z.infer<typeof SearchDetailsSchema>
export type TodoDetails = z.infer<typeof TodoDetailsSchema>
export type McpDetails = z.infer<typeof McpDetailsSchema>
export type DeniedDetails = z.infer<typeof DeniedDetailsSchema>
export type GenericDetails = z.infer<typeof GenericDetailsSchema>

export const CommandPreviewSchema = z.object({
  kind: z.literal('command'),
  summary: Summary,
  command: z.string().describe('The whole command line, exactly as it will run'),
  cwd: z.string().describe('Workspace-relative working directory'),
  realCwd: z.string().describe('Its absolute real path'),
  timeoutMs: Count.optional(),
})

export const FileEditPreviewSchema = z.object({
  kind: z.literal('file-edit'),
  summary: Summary,
  files: z
    .array(ToolFileChangeSchema)
    .describe('Every file the call touches, each with its operation and diff'),
})

/** A read, asked about only when a rule says so. */
export const FileReadPreviewSchema = z.object({
  kind: z.literal('file-read'),
  summary: Summary,
  path: z.string().describe('Workspace-relative, after symlinks are resolved'),
  realPath: z.string(),
  requested: z.string().optional().describe('The path as the model wrote it, when it differs from `path`'),
})

/** A search or listing, asked about only when a rule says so. */
export const SearchPreviewSchema = z.object({
  kind: z.literal('search'),
  summary: Summary,
  query: z.string(),
  path: z.string().describe('Workspace-relative, after symlinks are resolved'),
  realPath: z.string(),
})

export const McpPreviewSchema = z.object({
  kind: z.literal('mcp'),
  summary: Summary,
  server: z.string(),
  tool: z.string(),
  args: z.unknown(),
})

export const GenericPreviewSchema = z.object({
  kind: z.literal('generic'),
  summary: Summary,
  args: z.unknown().describe('The arguments of the call, as the model sent them'),
})

/**
 * Exactly what a call asking for permission will do, so the person answering sees the whole of it:
 * the full command, every file with its operation, resolved real paths and diffs.
 */
export const PermissionPreviewSchema = z.discriminatedUnion('kind', [
  CommandPreviewSchema,
  FileEditPreviewSchema,
  FileReadPreviewSchema,
  SearchPreviewSchema,
  McpPreviewSchema,
  GenericPreviewSchema,
])
export type PermissionPreview = z.infer<typeof PermissionPreviewSchema>
export type PermissionPreviewKind = PermissionPreview['kind']
export type CommandPreview = z.infer<typeof CommandPreviewSchema>
export type FileEditPreview = z.infer<typeof FileEditPreviewSchema>
export type FileReadPreview = z.infer<typeof FileReadPreviewSchema>
export type SearchPreview = z.infer<typeof SearchPreviewSchema>
export type McpPreview = z.infer<typeof McpPreviewSchema>
export type GenericPreview = z.infer<typeof GenericPreviewSchema>
