/** The agents a workspace offers, as served by `GET /agents`. */
import { z } from 'zod'

export const AgentSchema = z
  .object({
    name: z.string().meta({ description: 'what `agent` fields and `task` calls name it by' }),
    description: z.string(),
    origin: z
      .enum(['builtin', 'user', 'workspace'])
      .meta({ description: "built in, the user's agents folder, or the (trusted) workspace's files" }),
    file: z.string().nullable().meta({
      description: "a workspace agent's file, relative to the workspace (null for the others)",
    }),
    tools: z
      .array(z.string())
      .nullable()
      .meta({ description: 'the tools it may use as its definition names them; null: all' }),
    model: z.string().nullable().meta({ description: "its own model; null: the session's" }),
  })
  .meta({ id: 'Agent' })
export type AgentJson = z.infer<typeof AgentSchema>

export const AgentListSchema = z
  .object({
    items: z.array(AgentSchema),
    default: z.string().meta({ description: 'the agent a session without one runs as' }),
    warnings: z.array(z.string()).meta({
      description: 'agent files skipped (path, field, why) or ignored (an untrusted workspace)',
    }),
  })
  .meta({ id: 'AgentList' })

export const ListAgentsQuery = z.object({
  workspace: z
    .string()
    .min(1)
    .meta({ description: 'absolute, or relative to the server root; must lie under it' }),
})
