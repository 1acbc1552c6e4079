import { z } from 'zod'

export const McpToolSchema = z
  .object({
    name: z.string().describe('The name the model calls: mcp__<server>__<tool>'),
    tool: z.string().describe("The tool's name on its server"),
    description: z.string().optional(),
  })
  .meta({ id: 'McpTool' })

export const McpServerStatusSchema = z
  .object({
    name: z.string(),
    state: z.enum(['disabled', 'starting', 'connected', 'failed', 'closed']),
    transport: z.enum(['stdio', 'http', 'sse']).optional(),
    error: z.string().optional().describe('Why it failed or ended'),
    source: z.string().describe('The config file that names it'),
    origin: z.enum(['user', 'workspace']),
    server_info: z.object({ name: z.string(), version: z.string() }).optional(),
    tools: z.array(McpToolSchema).describe('The tools the model gets (after include / exclude)'),
  })
  .meta({ id: 'McpServerStatus' })

export const SessionMcpSchema = z
  .object({
    servers: z.array(McpServerStatusSchema),
    live: z.boolean().describe('True while a run of the session has them started'),
  })
  .meta({ id: 'SessionMcp' })

export const SessionMcpQuery = z.object({
  refresh: z
    .enum(['true', 'false'])
    .optional()
    .describe('Start the servers now to see them as they are (else: as the last run left them)'),
})
export type McpServerStatusJson = z.infer<typeof McpServerStatusSchema>
