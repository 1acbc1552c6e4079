/** The `task` tool: the model hands a piece of work to another agent, which runs in its own session. */
import { defineTool, type Tool, type ToolContext, type ToolResult } from '@penguin-ai/tools'
import { z } from 'zod'

export const TASK_TOOL = 'task'

export const TaskArgsSchema = z.object({
  agent: z.string().min(1).describe('The agent to run, by name (one of those listed in the description).'),
  prompt: z
    .string()
    .min(1)
    .describe(
      'The work for the agent, complete in itself: it does not see this conversation. Say what to do, what to return, and anything it must know.',
    ),
  description: z.string().optional().describe('A short (3–5 word) label for the task, shown to the user.'),
  session_id: z
    .string()
    .optional()
    .describe(
      "Continue an earlier task's session (the session_id its answer gave) instead of starting anew.",
    ),
})
export type TaskArgs = z.infer<typeof TaskArgsSchema>

/** Runs one `task` call: the engine's side (starting the child, waiting for its answer). */
export type Delegate = (args: TaskArgs, ctx: ToolContext) => Promise<ToolResult>

export function taskTool(agents: readonly { name: string; description: string }[], delegate: Delegate): Tool {
  const list = agents.map((agent) => `- ${agent.name}: ${agent.description}`).join('\n')
  return defineTool({
    name: TASK_TOOL,
    description: [
      'Hand a self-contained piece of work to another agent. It runs in a session of its own, with its',
      "own context and that agent's tools, and returns its final answer plus a session_id (pass it back",
      'as session_id to continue that session). Several task calls in one turn run at the same time: use',
      'that for independent work. The agent sees only your prompt, so make it complete.',
      '',
      'Agents:',
      list,
    ].join('\n'),
    parameters: TaskArgsSchema,
    // Starting an agent changes nothing by itself: what the agent does is asked about as it does it.
    permission: (args) => ({ access: 'read', subject: args.agent }),
    title: (args) => `${args.agent}: ${args.description ?? firstWords(args.prompt)}`,
    execute: (args, ctx) => delegate(args, ctx),
  })
}

function firstWords(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim()
  return line.length > 60 ? `${line.slice(0, 57)}…` : line
}
