export { anthropicMessagesAdapter } from './adapters/anthropic-messages.js'
export { ANTHROPIC_API } from './adapters/anthropic-wire.js'
export { withoutPassword } from './adapters/error-text.js'
export { openAIChatAdapter } from './adapters/openai-chat.js'
export { openAIResponsesAdapter } from './adapters/openai-responses.js'
export { RESPONSES_API } from './adapters/responses-wire.js'
export { computeCost, costWithoutCache, lookupModel, normaliseModelName } from './catalogue.js'
export { CATALOGUE, type CatalogueEntry, UNKNOWN_MODEL_INFO } from './catalogue-data.js'
export {
  assistantMessage,
  hasToolCalls,
  imagesOf,
  mapText,
  reasoningOf,
  textBlock,
  textOf,
  toolCallsOf,
  toolResultMessage,
  userMessage,
} from './content.js'
export * from './errors.js'
export { EventStream } from './event-stream.js'
export { type ImageInfo, sniffImage } from './image.js'
export {
  CUSTOM_PROVIDER,
  getProvider,
  listProviders,
  PROVIDERS,
  type ProviderConfig,
  WIRE_APIS,
  type WireName,
  wireApi,
} from './providers.js'
export {
  chatTakesEffort,
  MIN_THINKING_BUDGET,
  openAIEffort,
  REASONING_EFFORTS,
  THINKING_BUDGETS,
  thinkingBudget,
  wantsReasoning,
} from './reasoning.js'
export { getAdapter, preloadModel, registerAdapter, unregisterAdapter } from './registry.js'
export { inferProvider, type ResolveOptions, resolveModel } from './resolve.js'
export { backoffDelay, DEFAULT_RETRY_POLICY, DEFAULT_TIMEOUT_MS, decideRetry, sleep } from './retry.js'
export { type ChatResult, type ChatStream, streamChat } from './stream.js'
export {
  createTokenCounter,
  loadTokenCounter,
  MAX_FACTOR,
  MIN_FACTOR,
  type TokenCounter,
  type TokenCounterOptions,
} from './tokens/counter.js'
export { encodingForModel, type TokenEncodingName } from './tokens/encoding.js'
export { CHARS_PER_TOKEN } from './tokens/estimate.js'
export { MAX_IMAGE_TOKENS } from './tokens/image.js'
export * from './types.js'
export { addUsage, emptyUsage, makeUsage } from './usage.js'
