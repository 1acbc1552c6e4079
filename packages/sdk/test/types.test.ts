import type * as engine from '@penguin-ai/engine'
import type * as tools from '@penguin-ai/tools'
import { describe, expectTypeOf, test } from 'vitest'
import type * as sdk from '../src/index.js'

// Type-level only (checked by `tsc`, i.e. `pnpm typecheck`): the SDK re-declares the engine's
// event shapes so browsers need not load the engine; these keep the two identical.
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
  })

  test('a streamed session event is usable wherever an engine event is', () => {
    expectTypeOf<sdk.SessionEvent>().toExtend<engine.EngineEvent>()
  })
})

// The tool details and permission previews: the same check against the types derived from their zod
// schemas in @penguin-ai/tools, so the SDK's declarations cannot drift from the contract.
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
