import type * as engine from '@penguin-ai/engine'
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
