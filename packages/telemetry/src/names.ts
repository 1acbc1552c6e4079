/**
 * Attribute and metric names. GenAI names follow the OpenTelemetry GenAI semantic conventions
 * (still incubating, so copied here rather than imported from `…/incubating`, as its docs advise).
 */

export const GEN_AI = {
  operation: 'gen_ai.operation.name',
  /** Current name of the provider attribute; `gen_ai.system` is its older spelling, set too. */
  provider: 'gen_ai.provider.name',
  system: 'gen_ai.system',
  requestModel: 'gen_ai.request.model',
  responseFinishReasons: 'gen_ai.response.finish_reasons',
  inputTokens: 'gen_ai.usage.input_tokens',
  outputTokens: 'gen_ai.usage.output_tokens',
  /** Parts of `gen_ai.usage.input_tokens`: read from and written to the provider's prompt cache. */
  cacheReadTokens: 'gen_ai.usage.cache_read.input_tokens',
  cacheWriteTokens: 'gen_ai.usage.cache_creation.input_tokens',
  tokenType: 'gen_ai.token.type',
  agentName: 'gen_ai.agent.name',
  conversationId: 'gen_ai.conversation.id',
  toolName: 'gen_ai.tool.name',
  toolType: 'gen_ai.tool.type',
  toolCallId: 'gen_ai.tool.call.id',
  toolCallArguments: 'gen_ai.tool.call.arguments',
  toolCallResult: 'gen_ai.tool.call.result',
} as const

export const PENGUIN = {
  runId: 'penguin.run.id',
  runStatus: 'penguin.run.status',
  iterations: 'penguin.run.iterations',
  prompt: 'penguin.run.prompt',
  model: 'penguin.model',
  turn: 'penguin.turn',
  purpose: 'penguin.model_call.purpose',
  costUsd: 'penguin.cost.usd',
  toolOutcome: 'penguin.tool.outcome',
  toolDurationMs: 'penguin.tool.duration_ms',
  sessionId: 'penguin.session.id',
  workspace: 'penguin.workspace',
} as const

export const ERROR_TYPE = 'error.type'

export const METRICS = {
  runs: 'penguin.runs',
  activeRuns: 'penguin.runs.active',
  runDuration: 'penguin.run.duration',
  toolCalls: 'penguin.tool.calls',
  toolDuration: 'penguin.tool.duration',
  modelCallDuration: 'gen_ai.client.operation.duration',
  tokens: 'penguin.tokens',
  cost: 'penguin.cost.usd',
  httpDuration: 'http.server.request.duration',
  sseSubscribers: 'penguin.sse.subscribers',
} as const

/** Penguin provider ids whose well-known GenAI name differs. */
const PROVIDER_NAMES: Readonly<Record<string, string>> = {
  gemini: 'gcp.gemini',
  mistral: 'mistral_ai',
  xai: 'x_ai',
}

/** The `gen_ai.provider.name` for a Penguin provider id (`openai`, `gemini`, `ollama`, …). */
export function providerName(provider: string): string {
  return PROVIDER_NAMES[provider] ?? provider
}

/** `openai/gpt-4o` → provider `openai`, model `gpt-4o`; a bare name has provider `unknown`. */
export function splitModelId(id: string): { provider: string; model: string } {
  const slash = id.indexOf('/')
  if (slash <= 0) return { provider: 'unknown', model: id }
  return { provider: id.slice(0, slash), model: id.slice(slash + 1) }
}
