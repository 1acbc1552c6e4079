/** The provider table behind litellm-style `provider/model` strings. Plain data: cheap to import. */

/** The wires `--api` picks between, by their short names. */
export const WIRE_APIS = {
  chat: 'openai-chat',
  responses: 'openai-responses',
  anthropic: 'anthropic-messages',
} as const
export type WireName = keyof typeof WIRE_APIS

export interface ProviderConfig {
  /** The prefix in `provider/model`. */
  name: string
  /** Which adapter speaks to it by default; every provider here also has an OpenAI-compatible endpoint. */
  api: string
  /** The URL for the default api. */
  baseUrl: string
  /** URLs for other wires, where they differ (Anthropic's OpenAI-compatible endpoint lives under /v1). */
  baseUrls?: Readonly<Partial<Record<string, string>>>
  /**
   * An env var that overrides `baseUrl` as the provider's SDK reads it (ANTHROPIC_BASE_URL,
   * OPENAI_BASE_URL): for every wire, except one with a URL of its own in `baseUrls`.
   */
  baseUrlEnv?: string
  /** The env var the key is read from; undefined for local servers that need none. */
  apiKeyEnv?: string
  /** Further env vars accepted in order after `apiKeyEnv`. */
  apiKeyEnvAliases?: readonly string[]
  /** Whether a request without a key is pointless (cloud APIs) or fine (local servers). */
  requiresKey: boolean
  headers?: Readonly<Record<string, string>>
}

function provider(config: ProviderConfig): ProviderConfig {
  return config
}

export const PROVIDERS: Readonly<Record<string, ProviderConfig>> = {
  openai: provider({
    name: 'openai',
    // Reasoning carried across tool calls needs the Responses API; a custom base URL gets chat.
    api: WIRE_APIS.responses,
    baseUrl: 'https://api.openai.com/v1',
    // As the openai SDK reads it (including /v1); another endpoint there speaks Chat by default.
    baseUrlEnv: 'OPENAI_BASE_URL',
    apiKeyEnv: 'OPENAI_API_KEY',
    requiresKey: true,
  }),
  anthropic: provider({
    name: 'anthropic',
    // The native Messages API (prompt caching, thinking); the SDK's base URL is the host root.
    api: WIRE_APIS.anthropic,
    baseUrl: 'https://api.anthropic.com',
    // Anthropic's OpenAI-compatible endpoint, for `--api chat` (testing only, says Anthropic).
    baseUrls: { [WIRE_APIS.chat]: 'https://api.anthropic.com/v1' },
    baseUrlEnv: 'ANTHROPIC_BASE_URL',
    apiKeyEnv: 'ANTHROPIC_API_KEY',
    requiresKey: true,
  }),
  gemini: provider({
    name: 'gemini',
    api: 'openai-chat',
    baseUrl: 'https://generativelanguage.googleapis.com/v1beta/openai',
    apiKeyEnv: 'GEMINI_API_KEY',
    apiKeyEnvAliases: ['GOOGLE_API_KEY'],
    requiresKey: true,
  }),
  openrouter: provider({
    name: 'openrouter',
    api: 'openai-chat',
    baseUrl: 'https://openrouter.ai/api/v1',
    apiKeyEnv: 'OPENROUTER_API_KEY',
    requiresKey: true,
    // OpenRouter attributes traffic by these; harmless elsewhere.
    headers: { 'X-Title': 'Penguin' },
  }),
  groq: provider({
    name: 'groq',
    api: 'openai-chat',
    baseUrl: 'https://api.groq.com/openai/v1',
    apiKeyEnv: 'GROQ_API_KEY',
    requiresKey: true,
  }),
  deepseek: provider({
    name: 'deepseek',
    api: 'openai-chat',
    baseUrl: 'https://api.deepseek.com/v1',
    apiKeyEnv: 'DEEPSEEK_API_KEY',
    requiresKey: true,
  }),
  mistral: provider({
    name: 'mistral',
    api: 'openai-chat',
    baseUrl: 'https://api.mistral.ai/v1',
    apiKeyEnv: 'MISTRAL_API_KEY',
    requiresKey: true,
  }),
  xai: provider({
    name: 'xai',
    api: 'openai-chat',
    baseUrl: 'https://api.x.ai/v1',
    apiKeyEnv: 'XAI_API_KEY',
    requiresKey: true,
  }),
  together: provider({
    name: 'together',
    api: 'openai-chat',
    baseUrl: 'https://api.together.xyz/v1',
    apiKeyEnv: 'TOGETHER_API_KEY',
    requiresKey: true,
  }),
  ollama: provider({
    name: 'ollama',
    api: 'openai-chat',
    baseUrl: 'http://localhost:11434/v1',
    requiresKey: false,
  }),
  lmstudio: provider({
    name: 'lmstudio',
    api: 'openai-chat',
    baseUrl: 'http://localhost:1234/v1',
    requiresKey: false,
  }),
}

/** The pseudo-provider for `--base-url` endpoints that are not in the table. */
export const CUSTOM_PROVIDER = 'custom'

export function listProviders(): ProviderConfig[] {
  return Object.values(PROVIDERS)
}

export function getProvider(name: string): ProviderConfig | undefined {
  return Object.hasOwn(PROVIDERS, name) ? PROVIDERS[name] : undefined
}

/** Every env var a provider's key may come from, in lookup order. */
export function keyEnvVars(config: ProviderConfig): string[] {
  return config.apiKeyEnv ? [config.apiKeyEnv, ...(config.apiKeyEnvAliases ?? [])] : []
}

/** The adapter api for `--api` / config `api`: a short wire name or an adapter api as registered. */
export function wireApi(api: string): string {
  return Object.hasOwn(WIRE_APIS, api) ? WIRE_APIS[api as WireName] : api
}
