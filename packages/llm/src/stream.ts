/**
 * `streamChat`: one model call as a stream of events, with retries. Consumers iterate events (for
 * live output) and/or await `result()`. Iteration never throws: it ends with exactly one `done` or
 * one `error` event.
 *
 * Retries: every retry is announced with a `retry` event before the request is sent again —
 * also when the failed attempt produced no output — so UIs can say why nothing is happening
 * ("rate limited, retrying in 4 s"). Consumers discard the partial message on `retry`.
 */
import { AbortedError, isLlmError, LlmError } from './errors.js'
import { EventStream } from './event-stream.js'
import { getAdapter } from './registry.js'
import { DEFAULT_RETRY_POLICY, DEFAULT_TIMEOUT_MS, decideRetry, sleep } from './retry.js'
import type {
  Adapter,
  AssistantMessage,
  CallOptions,
  ChatRequest,
  ResolvedModel,
  StopReason,
  StreamEvent,
  Usage,
} from './types.js'

export interface ChatResult {
  message: AssistantMessage
  usage: Usage
  stopReason: StopReason
}

export interface ChatStream extends AsyncIterable<StreamEvent> {
  /** The final message; rejects with the `LlmError` the stream ended with. */
  result(): Promise<ChatResult>
}

type AttemptOutcome =
  | { ok: true; result: ChatResult }
  /** `final`: not worth retrying whatever its kind (an adapter bug rather than a provider failure). */
  | { ok: false; error: LlmError; final?: boolean }

const ABORTED = Symbol('aborted')

function whenAborted(signal: AbortSignal): { promise: Promise<typeof ABORTED>; dispose(): void } {
  let onAbort = () => {}
  const promise = new Promise<typeof ABORTED>((resolve) => {
    onAbort = () => resolve(ABORTED)
    if (signal.aborted) resolve(ABORTED)
    else signal.addEventListener('abort', onAbort, { once: true })
  })
  return { promise, dispose: () => signal.removeEventListener('abort', onAbort) }
}

/** Runs one attempt, forwarding its events until `done`; failures come back as values. */
async function runAttempt(
  adapter: Adapter,
  model: ResolvedModel,
  request: ChatRequest,
  timeoutMs: number,
  out: EventStream<StreamEvent, ChatResult>,
  signal: AbortSignal,
): Promise<AttemptOutcome> {
  const aborted = whenAborted(signal)
  let iterator: AsyncIterator<StreamEvent> | undefined
  try {
    iterator = adapter.stream(model, request, { timeoutMs })[Symbol.asyncIterator]()
    for (;;) {
      // Racing the abort makes cancellation immediate even with an adapter that is slow to notice.
      const next = await Promise.race([iterator.next(), aborted.promise])
      if (next === ABORTED) return { ok: false, error: new AbortedError() }
      if (next.done) {
        return {
          ok: false,
          error: new LlmError('server', 'the model stream ended without a result'),
          final: true,
        }
      }
      const event = next.value
      if (event.type === 'error') return { ok: false, error: event.error }
      // Adapters do not retry; a stray retry event would only confuse consumers.
      if (event.type === 'retry') continue
      out.push(event)
      if (event.type === 'done') {
        return {
          ok: true,
          result: { message: event.message, usage: event.usage, stopReason: event.stopReason },
        }
      }
    }
  } catch (error) {
    if (isLlmError(error)) return { ok: false, error }
    const message = `model adapter "${adapter.api}" failed: ${error instanceof Error ? error.message : String(error)}`
    return { ok: false, error: new LlmError('server', message, { cause: error }), final: true }
  } finally {
    aborted.dispose()
    // Lets the adapter run its cleanup (timers, sockets) instead of staying suspended at its last yield.
    void iterator?.return?.()?.catch(() => {})
  }
}

async function drive(
  model: ResolvedModel,
  request: ChatRequest,
  options: CallOptions,
  out: EventStream<StreamEvent, ChatResult>,
  cancel: AbortController,
): Promise<void> {
  const fail = (error: LlmError) => {
    out.push({ type: 'error', error })
    out.fail(error)
  }
  const adapter = getAdapter(model.api)
  if (!adapter) {
    return fail(
      new LlmError('bad_request', `no adapter registered for api "${model.api}" (model ${model.id})`),
    )
  }
  const policy = { ...DEFAULT_RETRY_POLICY, ...options.retry }
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS
  const attemptRequest: ChatRequest = { ...request, signal: cancel.signal }
  let delayedMs = 0
  for (let attempt = 1; ; attempt++) {
    if (cancel.signal.aborted) return fail(new AbortedError())
    const outcome = await runAttempt(adapter, model, attemptRequest, timeoutMs, out, cancel.signal)
    if (outcome.ok) return out.end(outcome.result)
    if (cancel.signal.aborted)
      return fail(outcome.error.kind === 'aborted' ? outcome.error : new AbortedError())
    const decision = outcome.final
      ? { retry: false as const }
      : decideRetry(outcome.error, attempt, policy, delayedMs)
    if (!decision.retry) return fail(outcome.error)
    out.push({ type: 'retry', attempt, delayMs: decision.delayMs, reason: outcome.error.message })
    delayedMs += decision.delayMs
    if (!(await sleep(decision.delayMs, cancel.signal))) return fail(new AbortedError())
  }
}

/**
 * Streams one chat call to `model` through the adapter registered for `model.api`, retrying
 * retryable failures (rate limits, 5xx, dropped connections, timeouts) per `options.retry`.
 * `options.timeoutMs` (default 120 s) bounds each attempt's silence: time to first byte and gaps
 * between chunks. Aborting `request.signal`, or leaving the iteration early, cancels the call.
 */
export function streamChat(
  model: ResolvedModel,
  request: ChatRequest,
  options: CallOptions = {},
): ChatStream {
  const cancel = new AbortController()
  const out = new EventStream<StreamEvent, ChatResult>(() => cancel.abort())
  const parent = request.signal
  const onParentAbort = () => cancel.abort()
  if (parent?.aborted) cancel.abort()
  else parent?.addEventListener('abort', onParentAbort, { once: true })
  drive(model, request, options, out, cancel)
    .catch((error: unknown) => {
      // drive() handles every failure it knows of; this only guards against a bug turning into a hang.
      const llmError = isLlmError(error) ? error : new LlmError('server', String(error), { cause: error })
      out.push({ type: 'error', error: llmError })
      out.fail(llmError)
    })
    .finally(() => parent?.removeEventListener('abort', onParentAbort))
  return out
}
