/**
 * One attempt on an SDK's stream, the part every adapter shares: the attempt's timeout/abort
 * signal, the wire's events fed through its assembler, and telling "we cancelled it" apart from
 * whatever the SDK saw (an abort surfaces as both). What differs per wire is passed in.
 */

import { AbortedError, type LlmError } from '../errors.js'
import type { ChatRequest, ResolvedModel, StreamEvent } from '../types.js'
import { AttemptSignal } from './attempt-signal.js'
import { type ErrorContext, errorContext, timeoutError } from './sdk-errors.js'

export interface SdkAttempt<Sdk, Event> {
  /** Loaded on first use: the SDKs are large and CLI startup must not pay for them. */
  load(): Promise<Sdk>
  /** Sends the request and returns the wire's event stream. */
  open(sdk: Sdk, signal: AbortSignal): Promise<AsyncIterable<Event>>
  /** A fresh assembler for this attempt's events. */
  assembler(): { push(event: Event): StreamEvent[]; finish(): StreamEvent[] }
  /** The SDK's (or any other) error as an LlmError; `sdk` is undefined when loading it failed. */
  toError(error: unknown, ctx: ErrorContext, sdk: Sdk | undefined): LlmError
}

export async function* streamSdkAttempt<Sdk, Event>(
  model: ResolvedModel,
  request: ChatRequest,
  options: { timeoutMs: number },
  wire: SdkAttempt<Sdk, Event>,
): AsyncGenerator<StreamEvent> {
  const ctx = errorContext(model, options.timeoutMs)
  const attempt = new AttemptSignal(options.timeoutMs, request.signal)
  let sdk: Sdk | undefined
  const failure = (error: unknown): LlmError => {
    if (attempt.reason === 'aborted') return new AbortedError(undefined, { cause: error })
    if (attempt.reason === 'timeout') return timeoutError(ctx, error)
    return wire.toError(error, ctx, sdk)
  }
  try {
    sdk = await wire.load()
    const stream = await wire.open(sdk, attempt.signal)
    const assembler = wire.assembler()
    for await (const event of stream) {
      attempt.touch()
      yield* assembler.push(event)
    }
    // The SDKs end iteration quietly when their signal aborts, so an early end may be ours.
    if (attempt.reason) throw failure(undefined)
    yield* assembler.finish()
  } catch (error) {
    throw failure(error)
  } finally {
    attempt.dispose()
  }
}
