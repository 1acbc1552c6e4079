/**
 * The contract of an agent file: Markdown with YAML front matter in Claude Code's format (`name`,
 * `description`, `tools`, `model`) plus Penguin's `permissions`, `reasoning` and `max_iterations`.
 * The body is the agent's system prompt. Unknown keys (Claude's `color`, opencode's `mode`) are
 * accepted and ignored so files written for those tools load unchanged.
 */
import { AGENT_NAME } from '@penguin-ai/protocol'
import { PermissionRulesSchema } from '@penguin-ai/tools'
import { z } from 'zod'
import { lazySchema } from '../lazy-schema.js'

export { AGENT_NAME }

/** `tools: Read, Grep` or `tools: [read_file, grep]` or opencode's `tools: { write: false }`. */
const toolsSchema = () => z.union([z.array(z.string().min(1)), z.string(), z.record(z.string(), z.boolean())])

export const agentFrontMatterSchema = lazySchema(() =>
  z.looseObject({
    name: z.string().regex(AGENT_NAME, 'letters, digits, ".", "_" or "-", at most 64').optional(),
    description: z.string().min(1).optional(),
    tools: toolsSchema().optional(),
    disallowedTools: z.union([z.array(z.string().min(1)), z.string()]).optional(),
    model: z.string().min(1).optional(),
    permissions: PermissionRulesSchema.optional(),
    reasoning: z.enum(['off', 'minimal', 'low', 'medium', 'high']).optional(),
    max_iterations: z.number().int().positive().max(10_000).optional(),
    /** Penguin: the agent may start another instance of itself with `task` (off by default). */
    recursive: z.boolean().optional(),
  }),
)
export type AgentFrontMatter = z.infer<ReturnType<typeof agentFrontMatterSchema>>

export const agentOriginSchema = lazySchema(() => z.enum(['builtin', 'user', 'workspace']))
export type AgentOrigin = z.infer<ReturnType<typeof agentOriginSchema>>

/** An agent as Penguin uses it, whatever file format it came from. */
export const agentDefinitionSchema = lazySchema(() =>
  z.object({
    name: z.string().regex(AGENT_NAME),
    description: z.string(),
    /** Penguin tool names (or patterns like `mcp__github__*`) offered; absent = every available tool. */
    tools: z.array(z.string()).optional(),
    /** Tools never offered. */
    disallowedTools: z.array(z.string()).optional(),
    /** A Penguin model id (`provider/model`); absent = the session's model. */
    model: z.string().optional(),
    permissions: PermissionRulesSchema.optional(),
    reasoning: z.enum(['off', 'minimal', 'low', 'medium', 'high']).optional(),
    maxIterations: z.number().int().positive().optional(),
    /** May start another instance of itself with `task`. */
    recursive: z.boolean().optional(),
    /** The system prompt's agent section. */
    prompt: z.string(),
    origin: agentOriginSchema(),
    /** The file it was read from (absent for built-ins). */
    file: z.string().optional(),
  }),
)
export type AgentDefinition = z.infer<ReturnType<typeof agentDefinitionSchema>>

/** A file that could not be used: its path, the field at fault and why. */
export interface AgentFileProblem {
  file: string
  field: string
  message: string
}
