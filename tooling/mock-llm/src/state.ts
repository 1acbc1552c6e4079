/** What every wire's handler shares: the script, the recorded requests and the prompt cache. */
import type { PromptCache } from './prompt-cache.js'
import type { MockServerOptions, MockTurn, RecordedRequest } from './types.js'

export type NextTurn =
  | { ok: true; turn: MockTurn; index: number }
  | { ok: false; code: 'mock_script_error' | 'mock_script_exhausted'; message: string }

export interface MockState {
  options: MockServerOptions
  requests: RecordedRequest[]
  cache: PromptCache
  /** Takes the next scripted turn for a request that passed the wire's checks. */
  next(record: RecordedRequest): NextTurn
}
