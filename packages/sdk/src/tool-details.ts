/**
 * What a tool call did (`ToolDetails`, on `tool.finished` and stored `tool_result` parts) and what a
 * call asking for permission will do (`PermissionPreview`, on `permission.asked` and `Permission`).
 * The contract is the zod schemas of `@penguin-ai/tools/details`; these declarations mirror the
 * types derived from them (test/types.test.ts keeps the two identical at compile time), so this
 * package stays free of dependencies. Render by `kind`, never by tool name, and show every string
 * with its invisible characters spelled out: see the tools package's README.
 */

export interface Todo {
  content: string
  status: 'pending' | 'in_progress' | 'completed'
  id?: string
}

export type FileOperation = 'add' | 'modify' | 'delete' | 'rename'

/** One file a call changes (or, in a preview, will change). */
export interface ToolFileChange {
  /** Where the change lands after symlinks are resolved: workspace-relative, or absolute outside it. */
  path: string
  operation: FileOperation
  /** A renamed file's old path. */
  from?: string
  added: number
  removed: number
  /** Unified diff with git's headers; absent when too large to compute. */
  diff?: string
  /** The absolute real path written. */
  realPath?: string
  /** The path exactly as the model wrote it, present only when it differs from `path`. */
  requested?: string
}

/** A piece of an MCP tool's result. */
export type McpContent =
  | { type: 'text'; text: string }
  | { type: 'image'; mimeType: string; data?: string }
  | { type: 'audio'; mimeType: string }
  | { type: 'resource'; uri: string; mimeType?: string; text?: string }

export type DenialReason = 'rule' | 'user' | 'non_interactive' | 'protected' | 'hook'

export interface FileReadDetails {
  kind: 'file-read'
  summary: string
  path: string
  startLine?: number
  endLine?: number
  totalLines?: number
  binary?: boolean
}

export interface FileEditDetails {
  kind: 'file-edit'
  summary: string
  files: ToolFileChange[]
}

/** How a command ran in the OS sandbox, and what the sandbox refused it. */
export interface CommandSandbox {
  mode: 'read-only' | 'workspace-write'
  /** false: none; true: the host network; a list: the domains reachable through the proxy. */
  network: boolean | string[]
  /** Set when the output shows the sandbox refused the command something. */
  refused?: { kinds: Array<'write' | 'read' | 'network' | 'start'>; summary: string }
}

export interface CommandDetails {
  kind: 'command'
  summary: string
  command: string
  cwd: string
  /** Null when killed by a signal, timed out or never started. */
  exitCode: number | null
  signal: string | null
  timedOut: boolean
  aborted: boolean
  durationMs: number
  stdout: string
  stderr: string
  startError?: string
  /** Set when the command ran in the OS sandbox. */
  sandbox?: CommandSandbox
  /** Set when the sandbox refused it and it was re-run outside, at the user's request. */
  outsideSandbox?: boolean
}

export interface SearchDetails {
  kind: 'search'
  summary: string
  query: string
  path?: string
  matches: number
  truncated: boolean
}

export interface TodoDetails {
  kind: 'todo'
  summary: string
  todos: Todo[]
}

export interface McpDetails {
  kind: 'mcp'
  summary: string
  server: string
  tool: string
  content: McpContent[]
}

/** A call refused before it ran. */
export interface DeniedDetails {
  kind: 'denied'
  summary: string
  denied: DenialReason
  access: 'read' | 'write' | 'execute'
  subject: string
}

export interface GenericDetails {
  kind: 'generic'
  summary: string
  data?: Record<string, unknown>
}

export type ToolDetails =
  | FileReadDetails
  | FileEditDetails
  | CommandDetails
  | SearchDetails
  | TodoDetails
  | McpDetails
  | DeniedDetails
  | GenericDetails

export type ToolDetailsKind = ToolDetails['kind']

export interface CommandPreview {
  kind: 'command'
  summary: string
  /** The whole command line, exactly as it will run. */
  command: string
  cwd: string
  realCwd: string
  timeoutMs?: number
}

export interface FileEditPreview {
  kind: 'file-edit'
  summary: string
  /** Every file the call touches, each with its operation and diff. */
  files: ToolFileChange[]
}

export interface FileReadPreview {
  kind: 'file-read'
  summary: string
  path: string
  realPath: string
  requested?: string
}

export interface SearchPreview {
  kind: 'search'
  summary: string
  query: string
  path: string
  realPath: string
}

export interface McpPreview {
  kind: 'mcp'
  summary: string
  server: string
  tool: string
  args: unknown
}

export interface GenericPreview {
  kind: 'generic'
  summary: string
  args: unknown
}

export type PermissionPreview =
  | CommandPreview
  | FileEditPreview
  | FileReadPreview
  | SearchPreview
  | McpPreview
  | GenericPreview

export type PermissionPreviewKind = PermissionPreview['kind']
