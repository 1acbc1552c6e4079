/**
 * src/generated.ts is printed from @penguin-ai/protocol's schemas (test/type-printer.ts): the SDK's
 * records, request bodies, events and tool details are the server's contract, not copies of it. This test fails when the
 * schemas changed and the file did not; `UPDATE_README=1` rewrites it.
 */
import { execFileSync } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import * as api from '@penguin-ai/protocol/api'
import { expect, test } from 'vitest'
import { type Named, printTypes } from './type-printer.js'

const file = fileURLToPath(new URL('../src/generated.ts', import.meta.url))
const repo = fileURLToPath(new URL('../../../', import.meta.url))

const output = (name: string, schema: Named['schema']): Named => ({ name, schema, mode: 'output' })
const input = (name: string, schema: Named['schema']): Named => ({ name, schema, mode: 'input' })

/** SDK name ← protocol schema, in the file's order. */
const GENERATED: readonly Named[] = [
  // Tool details (on `tool.finished` and stored `tool_result` parts) and permission previews.
  output('Todo', api.TodoSchema),
  output('FileOperation', api.FileOperationSchema),
  output('ToolFileChange', api.ToolFileChangeSchema),
  output('McpContent', api.McpContentSchema),
  output('DenialReason', api.DenialReasonSchema),
  output('FileReadDetails', api.FileReadDetailsSchema),
  output('FileEditDetails', api.FileEditDetailsSchema),
  output('CommandSandbox', api.CommandSandboxSchema),
  output('CommandDetails', api.CommandDetailsSchema),
  output('SearchDetails', api.SearchDetailsSchema),
  output('TodoDetails', api.TodoDetailsSchema),
  output('McpDetails', api.McpDetailsSchema),
  output('DeniedDetails', api.DeniedDetailsSchema),
  output('GenericDetails', api.GenericDetailsSchema),
  output('ToolDetails', api.ToolDetailsSchema),
  output('CommandPreview', api.CommandPreviewSchema),
  output('FileEditPreview', api.FileEditPreviewSchema),
  output('FileReadPreview', api.FileReadPreviewSchema),
  output('SearchPreview', api.SearchPreviewSchema),
  output('McpPreview', api.McpPreviewSchema),
  output('GenericPreview', api.GenericPreviewSchema),
  output('PermissionPreview', api.PermissionPreviewSchema),
  // Engine events and what the event streams carry.
  output('TokenUsage', api.TokenUsageSchema),
  output('RunOutcomeStatus', api.RunOutcomeStatusSchema),
  output('PermissionReply', api.PermissionReplySchema),
  output('NoticeLevel', api.NoticeLevelSchema),
  output('Delivery', api.DeliverySchema),
  output('PermissionRequest', api.PermissionRequestSchema),
  output('RunResult', api.RunResultSchema),
  output('CompactionReason', api.CompactionReasonSchema),
  output('ContextCompaction', api.ContextCompactionSchema),
  output('EngineEvent', api.EngineEventSchema),
  output('SessionEvent', api.SessionEventSchema),
  output('ProjectEvent', api.ProjectEventSchema),
  output('ProjectNotice', api.ProjectNoticeSchema),
  output('ChangeEvent', api.ChangeEventSchema),
  output('ResyncEvent', api.ResyncEventSchema),
  output('EventData', api.EventDataSchema),
  // Records and request bodies.
  output('UsageRecord', api.UsageSchema),
  output('Session', api.SessionSchema),
  output('ImagePart', api.ImagePartSchema),
  output('Part', api.PartSchema),
  output('Message', api.MessageSchema),
  output('Run', api.RunSchema),
  output('Permission', api.PermissionSchema),
  output('PermissionAnswered', api.PermissionAnsweredSchema),
  output('Checkpoint', api.CheckpointSchema),
  output('FileChange', api.FileChangeSchema),
  output('CheckpointDiff', api.CheckpointDiffSchema),
  output('CheckpointRestore', api.RestoreResultSchema),
  output('CompactResult', api.CompactResultSchema),
  output('Project', api.ProjectSchema),
  output('TaskStatus', api.TaskStatusSchema),
  output('Task', api.TaskSchema),
  output('TaskGraph', api.GraphSchema),
  output('PlannedTask', api.PlannedTaskSchema),
  output('PlanResult', api.PlanResultSchema),
  output('Memory', api.MemorySchema),
  output('ModelInfo', api.ModelSchema),
  output('ModelList', api.ModelListSchema),
  output('AgentInfo', api.AgentSchema),
  output('AgentList', api.AgentListSchema),
  output('UsageReport', api.UsageSummarySchema),
  output('McpServerStatus', api.McpServerStatusSchema),
  output('SessionMcp', api.SessionMcpSchema),
  output('RunAccepted', api.RunAcceptedSchema),
  output('ProjectRunAccepted', api.ProjectRunAcceptedSchema),
  input('CreateSessionBody', api.CreateSessionBody),
  input('ForkSessionBody', api.ForkBody),
  input('RestoreCheckpointBody', api.RestoreBody),
  input('PermissionReplyBody', api.PermissionReplyBody),
  input('CreateProjectBody', api.CreateProjectBody),
  input('UpdateProjectBody', api.PatchProjectBody),
  input('CreateTaskBody', api.CreateTaskBody),
  input('UpdateTaskBody', api.PatchTaskBody),
  input('TransitionTaskBody', api.TransitionBody),
  input('PlanProjectBody', api.PlanBody),
  input('RunProjectBody', api.RunProjectBody),
  input('CreateMemoryBody', api.CreateMemoryBody),
]

const HEADER = `// GENERATED from @penguin-ai/protocol's zod schemas by test/generated-types.test.ts — do not edit.
// Records are what the server sends (z.output), bodies what it accepts (z.input); snake_case keys.
// Regenerate: UPDATE_README=1 pnpm --filter @penguin-ai/sdk exec vitest run test/generated-types.test.ts
`

test('src/generated.ts is printed from the protocol schemas (UPDATE_README=1 rewrites it)', () => {
  const expected = printTypes(HEADER, GENERATED)
  const current = readFileSync(file, 'utf8')
  // Biome's formatting aside (it also drops the leading `|` of a union that fits on one line).
  const same = (a: string) => a.replace(/\s+/g, '').replaceAll('=|', '=')
  if (process.env.UPDATE_README && same(current) !== same(expected)) {
    writeFileSync(file, expected)
    execFileSync('pnpm', ['exec', 'biome', 'format', '--write', file], { cwd: repo, stdio: 'ignore' })
    return
  }
  expect(
    same(current),
    'run UPDATE_README=1 pnpm --filter @penguin-ai/sdk exec vitest run test/generated-types.test.ts',
  ).toBe(same(expected))
})
