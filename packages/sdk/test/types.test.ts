import type * as engine from '@penguin-ai/engine'
import type * as api from '@penguin-ai/protocol/api'
import type * as tools from '@penguin-ai/tools'
import { describe, expectTypeOf, test } from 'vitest'
import type { z } from 'zod'
import type * as sdk from '../src/index.js'

// Type-level only (checked by `tsc`, i.e. `pnpm typecheck`). The engine's event types and the SDK's
// are both derived from @penguin-ai/protocol's schemas (the SDK's printed into src/generated.ts, so
// browsers need not load zod or the engine); these keep the printer honest.
describe('event types match @penguin-ai/engine', () => {
  test('EngineEvent', () => {
    expectTypeOf<sdk.EngineEvent>().toEqualTypeOf<engine.EngineEvent>()
    expectTypeOf<sdk.EngineEventType>().toEqualTypeOf<engine.EngineEventType>()
  })

  test('RunResult, PermissionRequest, PermissionReply, RunStatus', () => {
    expectTypeOf<sdk.RunResult>().toEqualTypeOf<engine.RunResult>()
    expectTypeOf<sdk.PermissionRequest>().toEqualTypeOf<engine.PermissionRequest>()
    expectTypeOf<sdk.PermissionReply>().toEqualTypeOf<engine.PermissionReply>()
    expectTypeOf<sdk.RunOutcomeStatus>().toEqualTypeOf<engine.RunStatus>()
    expectTypeOf<sdk.ContextCompaction>().toEqualTypeOf<engine.ContextCompaction>()
    expectTypeOf<sdk.NoticeLevel>().toEqualTypeOf<engine.NoticeLevel>()
  })

  test('the engine reports usage as @penguin-ai/llm counts it (`Usage`)', () => {
    expectTypeOf<sdk.TokenUsage>().toEqualTypeOf<ReturnType<typeof engine.emptyUsage>>()
  })

  test('a streamed session event is usable wherever an engine event is', () => {
    expectTypeOf<sdk.SessionEvent>().toExtend<engine.EngineEvent>()
  })

  test('what the streams carry', () => {
    expectTypeOf<sdk.SessionEvent>().toEqualTypeOf<z.output<typeof api.SessionEventSchema>>()
    expectTypeOf<sdk.ProjectEvent>().toEqualTypeOf<z.output<typeof api.ProjectEventSchema>>()
    expectTypeOf<sdk.ProjectNotice>().toEqualTypeOf<z.output<typeof api.ProjectNoticeSchema>>()
    expectTypeOf<sdk.ChangeEvent>().toEqualTypeOf<z.output<typeof api.ChangeEventSchema>>()
    expectTypeOf<sdk.ResyncEvent>().toEqualTypeOf<z.output<typeof api.ResyncEventSchema>>()
    expectTypeOf<sdk.EventData>().toEqualTypeOf<z.output<typeof api.EventDataSchema>>()
  })
})

// The tool details and permission previews: the same check against the types derived from their zod
// schemas (@penguin-ai/protocol, re-exported by @penguin-ai/tools).
describe('tool details and previews match @penguin-ai/tools', () => {
  test('ToolDetails and each kind', () => {
    expectTypeOf<sdk.ToolDetails>().toEqualTypeOf<tools.ToolDetails>()
    expectTypeOf<sdk.ToolFileChange>().toEqualTypeOf<tools.ToolFileChange>()
    expectTypeOf<sdk.CommandDetails>().toEqualTypeOf<tools.CommandDetails>()
    expectTypeOf<sdk.McpContent>().toEqualTypeOf<tools.McpContent>()
    expectTypeOf<sdk.DenialReason>().toEqualTypeOf<tools.DenialReason>()
    expectTypeOf<sdk.Todo>().toEqualTypeOf<tools.Todo>()
  })

  test('PermissionPreview', () => {
    expectTypeOf<sdk.PermissionPreview>().toEqualTypeOf<tools.PermissionPreview>()
  })
})

// The records and bodies printed into src/generated.ts: exactly what zod infers from the server's
// schemas (z.output for what it sends, z.input for what it accepts), so the printer cannot drift.
describe('records and bodies match @penguin-ai/protocol', () => {
  test('each generated type', () => {
    expectTypeOf<sdk.UsageRecord>().toEqualTypeOf<z.output<typeof api.UsageSchema>>()
    expectTypeOf<sdk.Session>().toEqualTypeOf<z.output<typeof api.SessionSchema>>()
    expectTypeOf<sdk.ImagePart>().toEqualTypeOf<z.output<typeof api.ImagePartSchema>>()
    expectTypeOf<sdk.Part>().toEqualTypeOf<z.output<typeof api.PartSchema>>()
    expectTypeOf<sdk.Message>().toEqualTypeOf<z.output<typeof api.MessageSchema>>()
    expectTypeOf<sdk.Run>().toEqualTypeOf<z.output<typeof api.RunSchema>>()
    expectTypeOf<sdk.Permission>().toEqualTypeOf<z.output<typeof api.PermissionSchema>>()
    expectTypeOf<sdk.PermissionAnswered>().toEqualTypeOf<z.output<typeof api.PermissionAnsweredSchema>>()
    expectTypeOf<sdk.Checkpoint>().toEqualTypeOf<z.output<typeof api.CheckpointSchema>>()
    expectTypeOf<sdk.FileChange>().toEqualTypeOf<z.output<typeof api.FileChangeSchema>>()
    expectTypeOf<sdk.CheckpointDiff>().toEqualTypeOf<z.output<typeof api.CheckpointDiffSchema>>()
    expectTypeOf<sdk.CheckpointRestore>().toEqualTypeOf<z.output<typeof api.RestoreResultSchema>>()
    expectTypeOf<sdk.CompactResult>().toEqualTypeOf<z.output<typeof api.CompactResultSchema>>()
    expectTypeOf<sdk.Project>().toEqualTypeOf<z.output<typeof api.ProjectSchema>>()
    expectTypeOf<sdk.TaskStatus>().toEqualTypeOf<z.output<typeof api.TaskStatusSchema>>()
    expectTypeOf<sdk.Task>().toEqualTypeOf<z.output<typeof api.TaskSchema>>()
    expectTypeOf<sdk.TaskGraph>().toEqualTypeOf<z.output<typeof api.GraphSchema>>()
    expectTypeOf<sdk.PlannedTask>().toEqualTypeOf<z.output<typeof api.PlannedTaskSchema>>()
    expectTypeOf<sdk.PlanResult>().toEqualTypeOf<z.output<typeof api.PlanResultSchema>>()
    expectTypeOf<sdk.Memory>().toEqualTypeOf<z.output<typeof api.MemorySchema>>()
    expectTypeOf<sdk.ModelInfo>().toEqualTypeOf<z.output<typeof api.ModelSchema>>()
    expectTypeOf<sdk.ModelList>().toEqualTypeOf<z.output<typeof api.ModelListSchema>>()
    expectTypeOf<sdk.AgentInfo>().toEqualTypeOf<z.output<typeof api.AgentSchema>>()
    expectTypeOf<sdk.AgentList>().toEqualTypeOf<z.output<typeof api.AgentListSchema>>()
    expectTypeOf<sdk.UsageReport>().toEqualTypeOf<z.output<typeof api.UsageSummarySchema>>()
    expectTypeOf<sdk.McpServerStatus>().toEqualTypeOf<z.output<typeof api.McpServerStatusSchema>>()
    expectTypeOf<sdk.SessionMcp>().toEqualTypeOf<z.output<typeof api.SessionMcpSchema>>()
    expectTypeOf<sdk.RunAccepted>().toEqualTypeOf<z.output<typeof api.RunAcceptedSchema>>()
    expectTypeOf<sdk.ProjectRunAccepted>().toEqualTypeOf<z.output<typeof api.ProjectRunAcceptedSchema>>()
    expectTypeOf<sdk.CreateSessionBody>().toEqualTypeOf<z.input<typeof api.CreateSessionBody>>()
    expectTypeOf<sdk.ForkSessionBody>().toEqualTypeOf<z.input<typeof api.ForkBody>>()
    expectTypeOf<sdk.RestoreCheckpointBody>().toEqualTypeOf<z.input<typeof api.RestoreBody>>()
    expectTypeOf<sdk.PermissionReplyBody>().toEqualTypeOf<z.input<typeof api.PermissionReplyBody>>()
    expectTypeOf<sdk.CreateProjectBody>().toEqualTypeOf<z.input<typeof api.CreateProjectBody>>()
    expectTypeOf<sdk.UpdateProjectBody>().toEqualTypeOf<z.input<typeof api.PatchProjectBody>>()
    expectTypeOf<sdk.CreateTaskBody>().toEqualTypeOf<z.input<typeof api.CreateTaskBody>>()
    expectTypeOf<sdk.UpdateTaskBody>().toEqualTypeOf<z.input<typeof api.PatchTaskBody>>()
    expectTypeOf<sdk.TransitionTaskBody>().toEqualTypeOf<z.input<typeof api.TransitionBody>>()
    expectTypeOf<sdk.PlanProjectBody>().toEqualTypeOf<z.input<typeof api.PlanBody>>()
    expectTypeOf<sdk.RunProjectBody>().toEqualTypeOf<z.input<typeof api.RunProjectBody>>()
    expectTypeOf<sdk.CreateMemoryBody>().toEqualTypeOf<z.input<typeof api.CreateMemoryBody>>()
  })
})
