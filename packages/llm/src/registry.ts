/**
 * Adapters by wire API. `ResolvedModel.api` picks one, so a native Anthropic or Responses adapter,
 * or the CLI's scripted demo adapter, plugs in here without the engine knowing.
 */
import { anthropicMessagesAdapter } from './adapters/anthropic-messages.js'
import { openAIChatAdapter } from './adapters/openai-chat.js'
import { openAIResponsesAdapter } from './adapters/openai-responses.js'
import type { Adapter, ResolvedModel } from './types.js'

// The built-in adapter modules are cheap: each loads its SDK only when it first streams.
const adapters = new Map<string, Adapter>(
  [openAIChatAdapter, openAIResponsesAdapter, anthropicMessagesAdapter].map((adapter) => [
    adapter.api,
    adapter,
  ]),
)

/** Adds an adapter, replacing any registered for the same api (tests use this to stub one). */
export function registerAdapter(adapter: Adapter): void {
  adapters.set(adapter.api, adapter)
}

export function unregisterAdapter(api: string): void {
  adapters.delete(api)
}

export function getAdapter(api: string): Adapter | undefined {
  return adapters.get(api)
}

/**
 * Starts loading what a request to this model needs (its adapter's SDK, the HTTP client). Resolves
 * when done; never rejects. Calling it is optional: a request loads the same on its own.
 */
export function preloadModel(model: ResolvedModel): Promise<void> {
  return getAdapter(model.api)?.preload?.() ?? Promise.resolve()
}
