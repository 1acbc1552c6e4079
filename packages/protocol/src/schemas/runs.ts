import { z } from 'zod'
import { PermissionPreviewSchema } from '../details.js'
import { IsoTime, UsageSchema } from './common.js'

export const RunSchema = z
  .object({
    id: z.string().meta({ description: 'the engine run id' }),
    session_id: z.string(),
    status: z.enum(['running', 'completed', 'failed', 'aborted', 'max_iterations', 'budget_exceeded']),
    started_at: IsoTime,
    finished_at: IsoTime.nullable(),
    text: z.string(),
    usage: UsageSchema,
    cost_usd: z.number(),
    error: z.object({ kind: z.string(), message: z.string() }).nullable(),
  })
  .meta({ id: 'Run' })
export type RunJson = z.infer<typeof RunSchema>

export const PermissionSchema = z
  .object({
    id: z.string(),
    session_id: z.string(),
    run_id: z.string(),
    call_id: z.string(),
    tool: z.string(),
    access: z.enum(['read', 'write', 'execute']),
    subject: z.string(),
    args: z.unknown(),
    preview: PermissionPreviewSchema.meta({
      description:
        'exactly what the call will do: the whole command, every file with its operation, real paths, diffs',
    }),
    reason: z
      .string()
      .optional()
      .meta({ description: 'why only an explicit answer allows it (a write inside .git/ or .penguin/)' }),
    agent: z
      .string()
      .optional()
      .meta({ description: "set when a sub-agent asks through this session's run: the agent's name" }),
    subagent_session_id: z
      .string()
      .optional()
      .meta({ description: "the asking sub-agent's own session (a child of session_id)" }),
    asked_at: IsoTime,
  })
  .meta({ id: 'Permission' })
export type PermissionJson = z.infer<typeof PermissionSchema>

export const PermissionReplyEnum = z.enum(['once', 'always', 'reject'])
export const PermissionReplyBody = z
  .object({ reply: PermissionReplyEnum, message: z.string().optional() })
  .meta({ id: 'PermissionReply' })
export const PermissionAnsweredSchema = z.object({ id: z.string(), reply: PermissionReplyEnum })
export const PermissionsQuery = z.object({ session_id: z.string().min(1).optional() })
