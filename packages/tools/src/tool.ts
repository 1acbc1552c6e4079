import { z } from 'zod'
import { type CapOptions, capOutput } from './cap-output.js'
import { jsonNestingDepth, MAX_ARGUMENT_DEPTH, nestsDeeperThan } from './json-depth.js'
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
}

/**
 * What a tool returns. `output` is what the model reads (capped); `details` is structured data
 * for UIs (a diff, an exit code) that never costs the model tokens.
 */
export interface ToolResult {
  output: string
  isError?: boolean
  details?: Record<string, unknown>
}

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
   * Describes a call for the permission policy. Defaults to `{access: readOnly ? 'read' : 'write', subject: ''}`.
   * `workspace`, when given, lets path subjects be shown workspace-relative.
   */
  permission?: (args: z.infer<Params>, workspace?: Workspace) => PermissionSubject
  /** Cap for `output` (head and tail kept). Defaults to `DEFAULT_CAP`; tools that page themselves may raise it. */
  maxOutput?: CapOptions
  execute(args: z.infer<Params>, ctx: ToolContext): Promise<ToolResult | string>
}

/** A tool with its parameter schema erased, as the engine holds it. */
export interface Tool {
  name: string
  description: string
  readOnly: boolean
  /** JSON Schema for the provider. */
  jsonSchema: Record<string, unknown>
  /** Parses raw JSON arguments; on failure returns a message the model can act on. */
  parse(rawArguments: string): { ok: true; args: unknown } | { ok: false; error: string }
  /** Never throws: arguments that do not fit the schema describe as an empty subject. */
  permission(args: unknown, workspace?: Workspace): PermissionSubject
  /**
   * Runs the call. Never throws: invalid arguments and tool failures become `isError` results, and
   * `output` is capped for the model.
   */
  run(args: unknown, ctx: ToolContext): Promise<ToolResult>
}

export function defineTool<Params extends z.ZodType>(definition: ToolDefinition<Params>): Tool {
  // Computed lazily and once: the schema is needed only when a request is built.
  let schema: Record<string, unknown> | undefined
  const readOnly = definition.readOnly ?? false
  return {
    name: definition.name,
    description: definition.description,
    readOnly,
    get jsonSchema() {
      if (!schema) {
        const { $schema: _ignored, ...rest } = z.toJSONSchema(definition.parameters) as Record<
          string,
          unknown
        >
        schema = rest
      }
      return schema
    },
    parse(rawArguments) {
      const depth = jsonNestingDepth(rawArguments)
      if (depth > MAX_ARGUMENT_DEPTH) return { ok: false, error: tooDeep(`${depth} levels`) }
      let json: unknown
      try {
        json = rawArguments.trim() === '' ? {} : JSON.parse(rawArguments)
      } catch (error) {
        return {
          ok: false,
          error: `The arguments for ${definition.name} are not valid JSON (${errorMessage(error)}). Send a JSON object matching the tool's parameters.`,
        }
      }
      return validate(json)
    },
    permission(args, workspace) {
      const fallback: PermissionSubject = { access: readOnly ? 'read' : 'write', subject: '' }
      if (!definition.permission) return fallback
      const parsed = definition.parameters.safeParse(args)
      return parsed.success ? definition.permission(parsed.data, workspace) : fallback
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
    if (nestsDeeperThan(json, MAX_ARGUMENT_DEPTH)) return { ok: false, error: tooDeep('too many levels') }
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

  function tooDeep(how: string): string {
    return `The arguments for ${definition.name} are nested ${how} deep; at most ${MAX_ARGUMENT_DEPTH} are accepted. Send a flat JSON object matching the tool's parameters.`
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
