import { OpenAPIHono } from '@hono/zod-openapi'
import { CATALOGUE, type CatalogueEntry, inferProvider } from '@penguin-ai/llm'
import { listModels, type ModelJson } from '@penguin-ai/protocol/api'
import type { ServerDeps } from '../deps.js'
import { serve } from '../http/route.js'

/**
 * The provider a catalogue entry is served by under its plain name. Entries carry a provider only
 * where one prices an open model differently; open-weight models default to Groq (whose prices the
 * catalogue uses for them).
 */
export function catalogueProvider(entry: Pick<CatalogueEntry, 'name' | 'provider'>): string {
  if (entry.provider) return entry.provider
  const name = entry.name.toLowerCase()
  if (name.startsWith('gpt-oss')) return 'groq'
  const inferred = inferProvider(name)
  if (inferred) return inferred
  if (name.startsWith('deepseek-')) return 'deepseek'
  if (/^(mistral|codestral|devstral)/.test(name)) return 'mistral'
  if (name.startsWith('grok-')) return 'xai'
  return 'groq'
}

export function catalogueModels(): ModelJson[] {
  return CATALOGUE.map((entry) => {
    const provider = catalogueProvider(entry)
    return {
      id: `${provider}/${entry.name}`,
      provider,
      context_window: entry.contextWindow,
      max_output_tokens: entry.maxOutputTokens,
      input_price: entry.inputPrice,
      output_price: entry.outputPrice,
      cached_input_price: entry.cachedInputPrice ?? null,
      cache_write_price: entry.cacheWritePrice ?? null,
      images: entry.images === true,
      reasoning: entry.reasoning === true,
    }
  })
}

/** `GET /models`: the built-in catalogue (limits and list prices) and the server's default model. */
export function modelRoutes(deps: ServerDeps): OpenAPIHono {
  const app = new OpenAPIHono()
  serve(app, listModels, () => ({ items: catalogueModels(), default: deps.config.defaultModel ?? null }))
  return app
}
