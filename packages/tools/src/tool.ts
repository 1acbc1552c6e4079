import type { ImageMediaType } from '@penguin-ai/protocol'
import type { Sandbox, SandboxRefusal } from '@penguin-ai/sandbox'
import { z } from 'zod'
import { type CapOptions, capOutput } from './cap-output.js'
import { normalizePreview } from './details/normalize.js'
import type { PermissionPreview, ToolDetails } from './details/schema.js'
import { oneLine } from './details/text.js'
import type { FileAccess } from './file-access.js'
import { MAX_ARGUMENT_DEPTH, nestedTooDeeply, nestsDeeperThan, parseArgumentText } from './json-depth.js'
import type { Workspace } from './workspace.js'

/** What a tool call needs to touch the world: where it may work and when to stop. */
export interface ToolContext {
  workspace: Workspace
  signal: AbortSignal
  /** The id the model gave this call. */
  callId: string
  /**
   * Whether the permission rules deny this tool a path (workspace-relative, as `Workspace.relative`
   * shows it). Tools that walk the workspace (grep, list_files) skip such paths, so a search cannot
   * read or list what the rules forbid. The engine supplies it; absent means nothing is denied.
   */
  denied?: (path: string) => boolean
  /** The environment commands run with, already without credentials; default `childEnvironment()`. */
  env?: NodeJS.ProcessEnv
  /**
   * Live output of a long call (a command's stdout and stderr as they come), for UIs to show while
   * it runs. Never read by the model: the result carries what it reads.
   */
  onOutput?: (text: string) => void
  /**
   * The OS sandbox that sandboxed tools (`run_command`) run their commands in. Absent: none — the
   * sandbox is off, or the user allowed this call to run outside it.
   */
  sandbox?: Sandbox
  /**
   * Where file tools read and write file text (see `FileAccess`); absent: the local disk. The engine
   * passes `EngineOptions.files` (an editor's buffers, for `penguin acp`).
   */
  files?: FileAccess
}

/** What a preview may use besides the workspace: the same file port the call will use. */
export interface PreviewContext {
  files?: FileAccess | undefined
}

/**
 * What a tool returns. `output` is what the model reads (capped); `details` is structured data
 * for UIs (a diff, an exit code, a one-line summary) that never costs the model tokens. The engine
 * checks `details` against `ToolDetailsSchema` and supplies `generic` ones when a tool gives none.
 */
export interface ToolResult {
  output: string
  isError?: boolean
  details?: ToolDetails
  /**
   * Images for the model (base64), e.g. a screenshot an MCP tool returned. They reach models that
   * take images; for others the model reads a note that they were left out.
   */
  images?: ToolImage[]
  /**
   * What the sandbox refused the call (a write outside the writable places, the network, a hidden
   * path), as the output shows it. The engine can then offer the user to re-run the call outside.
   */
  sandboxRefusal?: SandboxRefusal
}

/** An image a tool returns, as base64. */
export interface ToolImage {
  mediaType: ImageMediaType
  data: string
}

/** A preview of a call, or why the call cannot run (the model reads `error`; nobody is asked). */
export type PreviewOutcome = { ok: true; preview: PermissionPreview } | { ok: false; error: string }

/** How a call is judged by the permission policy: its kind and the subject it touches. */
export interface PermissionSubject {
  /** `read` tools run without asking by default; `write` and `execute` ask. */
  access: 'read' | 'write' | 'execute'
  /** What the call touches, matched against rule patterns: a path, or a command line. */
  subject: string
  /**
   * For calls touching several files (apply_patch): each path, judged one by one so an allowed path
   * cannot carry a denied one along. `subject` then only describes the call.
   */
  paths?: string[]
}

export interface ToolDefinition<Params extends z.ZodType = z.ZodType> {
  name: string
  description: string
  parameters: Params
  /** Read-only calls may run in parallel with each other. */
  readOnly?: boolean
  /**
   * Runs its work in `ctx.sandbox` when there is one. The sandbox is then the boundary rather than an
   * approval: by default such a call runs without asking, and a refusal can be re-run outside it.
   */
  sandboxed?: boolean
  /**
   * Describes a call for the permission policy. Defaults to `{access: readOnly ? 'read' : 'write', subject: ''}`.
   * `workspace`, when given, lets path subjects be shown workspace-relative.
   */
  permission?: (args: z.infer<Params>, workspace?: Workspace) => PermissionSubject
  /**
   * One line naming what a call is about (a path, a command, a pattern), shown while it runs and in
   * the summary of a failed call. Defaults to the permission subject, else the tool's name.
   */
  title?: (args: z.infer<Params>) => string
  /**
   * Exactly what the call will do, for the person asked to allow it: the whole command, every file
   * with its operation, resolved real path and diff. Throw a `ToolError` when the call cannot run
   * (outside the workspace, an edit that does not match): the model gets it and nobody is asked.
   * Defaults to a `generic` preview of the arguments.
   */
  preview?: (
    args: z.infer<Params>,
    workspace: Workspace,
    context: PreviewContext,
  ) => Promise<PermissionPreview> | PermissionPreview
  /** Cap for `output` (head and tail kept). Defaults to `DEFAULT_CAP`; tools that page themselves may raise it. */
  maxOutput?: CapOptions
  execute(args: z.infer<Params>, ctx: ToolContext): Promise<ToolResult | string>
}

/** A tool with its parameter schema erased, as the engine holds it. */
export interface Tool {
  name: string
  description: string
  readOnly: boolean
  /** See `ToolDefinition.sandboxed`. */
  sandboxed?: boolean
  /** JSON Schema for the provider. */
  jsonSchema: Record<string, unknown>
  /** Parses raw JSON arguments; on failure returns a message the model can act on. */
  parse(rawArguments: string): { ok: true; args: unknown } | { ok: false; error: string }
  /** Never throws: arguments that do not fit the schema describe as an empty subject. */
  permission(args: unknown, workspace?: Workspace): PermissionSubject
  /** One line naming what the call is about. Never throws. */
  title(args: unknown): string
  /** What the call will do, for a permission prompt; a `ToolError` becomes `{ ok: false }`. Never rejects. */
  preview(args: unknown, workspace: Workspace, context?: PreviewContext): Promise<PreviewOutcome>
  /**
   * Runs the call. Never throws: invalid arguments and tool failures become `isError` results, and
   * `output` is capped for the model.
   */
  run(args: unknown, ctx: ToolContext): Promise<ToolResult>
}

/**
 * Tools' JSON schemas by their zod parameters: a tool made per session (memory_save, task) from
 * module-level parameters converts them once per process, not once per session.
 */
const jsonSchemas = new WeakMap<z.ZodType, Record<string, unknown>>()

export function defineTool<Params extends z.ZodType>(definition: ToolDefinition<Params>): Tool {
  // Computed lazily and once: the schema is needed only when a request is built.
  let schema: Record<string, unknown> | undefined = jsonSchemas.get(definition.parameters)
  const readOnly = definition.readOnly ?? false
  const titleOf = (args: unknown): string => {
    const parsed = definition.parameters.safeParse(args)
    if (!parsed.success) return definition.name
    const text = definition.title?.(parsed.data) ?? definition.permission?.(parsed.data).subject ?? ''
    return oneLine(text) || definition.name
  }
  return {
    name: definition.name,
    description: definition.description,
    readOnly,
    sandboxed: definition.sandboxed ?? false,
    get jsonSchema() {
      if (!schema) {
        const { $schema: _ignored, ...rest } = z.toJSONSchema(definition.parameters) as Record<
          string,
          unknown
        >
        schema = rest
        jsonSchemas.set(definition.parameters, rest)
      }
      return schema
    },
    parse(rawArguments) {
      const text = parseArgumentText(definition.name, rawArguments)
      return text.ok ? validate(text.json) : text
    },
    permission(args, workspace) {
      const fallback: PermissionSubject = { access: readOnly ? 'read' : 'write', subject: '' }
      if (!definition.permission) return fallback
      const parsed = definition.parameters.safeParse(args)
      return parsed.success ? definition.permission(parsed.data, workspace) : fallback
    },
    title: titleOf,
    async preview(args, workspace, context = {}) {
      const title = titleOf(args)
      const generic: PermissionPreview = { kind: 'generic', summary: title, args }
      const parsed = definition.parameters.safeParse(args)
      if (!parsed.success || !definition.preview) return { ok: true, preview: generic }
      try {
        const preview = await definition.preview(parsed.data, workspace, context)
        return { ok: true, preview: normalizePreview(preview, args, title) }
      } catch (error) {
        if (error instanceof ToolError) return { ok: false, error: error.message }
        // A preview that fails for another reason must not block the ask: show the arguments.
        return { ok: true, preview: generic }
      }
    },
    async run(args, ctx) {
      // Validated again so a caller that skipped `parse` still cannot hand `execute` malformed input.
      const parsed = validate(args)
      if (!parsed.ok) return { output: parsed.error, isError: true }
      let result: ToolResult
      try {
        const value = await definition.execute(parsed.args as z.infer<Params>, ctx)
        result = typeof value === 'string' ? { output: value } : value
      } catch (error) {
        if (ctx.signal.aborted) return { output: `${definition.name} was aborted.`, isError: true }
        const message =
          error instanceof ToolError ? error.message : `${definition.name} failed: ${errorMessage(error)}`
        result = { output: message, isError: true }
      }
      return { ...result, output: capOutput(result.output, definition.maxOutput) }
    },
  }

  function validate(json: unknown): { ok: true; args: unknown } | { ok: false; error: string } {
    if (nestsDeeperThan(json, MAX_ARGUMENT_DEPTH))
      return { ok: false, error: nestedTooDeeply(definition.name, 'too many levels') }
    const parsed = definition.parameters.safeParse(json)
    if (parsed.success) return { ok: true, args: parsed.data }
    const problems = parsed.error.issues
      .map((issue) => `- ${issue.path.length ? issue.path.join('.') : '(arguments)'}: ${issue.message}`)
      .join('\n')
    return {
      ok: false,
      error: `Invalid arguments for ${definition.name}:\n${problems}\nFix the arguments and call the tool again.`,
    }
  }
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}

/** A failure a tool reports to the model in plain words (no "failed:" prefix, no stack). */
export class ToolError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'ToolError'
  }
}
