/** Turns a litellm-style model string plus flags and environment into a `ResolvedModel`. */
import { lookupModel } from './catalogue.js'
import { ModelConfigError } from './errors.js'
import {
  CUSTOM_PROVIDER,
  getProvider,
  keyEnvVars,
  listProviders,
  type ProviderConfig,
  WIRE_APIS,
  wireApi,
} from './providers.js'
import type { ModelInfo, ResolvedModel } from './types.js'

export interface ResolveOptions {
  /** Overrides the provider's URL; for a bare model name it means "any OpenAI-compatible endpoint". */
  baseUrl?: string
  apiKey?: string
  /** Defaults to `process.env`. */
  env?: Record<string, string | undefined>
  /**
   * Replaces the catalogue's context window (tokens): for endpoints whose window the catalogue
   * cannot know (a local Ollama model, a fine-tune) and for tests that want a tiny one.
   */
  contextWindow?: number
  /** Replaces the catalogue's maximum output tokens. */
  maxOutputTokens?: number
  /**
   * The wire to speak (`--api`): `chat`, `responses` or `anthropic` (or a registered adapter api).
   * Default: the provider's native wire — Anthropic Messages for `anthropic/*`, Responses for
   * `openai/*` on OpenAI's own endpoint — and Chat Completions for everything else.
   */
  api?: string
}

/** Env vars a `custom` (--base-url) endpoint's optional key is read from, in order, by wire. */
const CUSTOM_KEY_ENV = ['PENGUIN_API_KEY', 'OPENAI_API_KEY'] as const
const CUSTOM_ANTHROPIC_KEY_ENV = ['PENGUIN_API_KEY', 'ANTHROPIC_API_KEY'] as const

const KNOWN_WIRES = Object.keys(WIRE_APIS).join(', ')

/** The adapter api asked for, checked; undefined when the caller left it to the provider. */
function requestedApi(api: string | undefined): string | undefined {
  const value = api?.trim()
  if (!value) return undefined
  const resolved = wireApi(value)
  if (resolved === value && !Object.values(WIRE_APIS).includes(resolved as never))
    throw new ModelConfigError('invalid_model', `Unknown API "${value}": use one of ${KNOWN_WIRES}.`)
  return resolved
}

/** Which provider a bare, well-known model name belongs to. */
export function inferProvider(model: string): string | undefined {
  const name = model.toLowerCase()
  if (/^(gpt-|chatgpt-|o1|o3|o4)/.test(name)) return 'openai'
  if (name.startsWith('claude-')) return 'anthropic'
  if (name.startsWith('gemini-')) return 'gemini'
  return undefined
}

function knownProviders(): string {
  return listProviders()
    .map((p) => p.name)
    .join(', ')
}

function normaliseBaseUrl(raw: string): string {
  const url = raw.trim().replace(/\/+$/, '')
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    throw new ModelConfigError(
      'invalid_model',
      `Invalid base URL "${raw}": expected e.g. http://localhost:8000/v1.`,
    )
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new ModelConfigError(
      'invalid_model',
      `Invalid base URL "${raw}": only http and https are supported.`,
    )
  }
  return url
}

/** OLLAMA_HOST is what the Ollama CLI reads (`host`, `host:port` or a URL); the API lives under /v1. */
export function ollamaBaseUrl(host: string | undefined, fallback: string): string {
  const value = host?.trim()
  if (!value) return fallback
  const withScheme = /^https?:\/\//.test(value) ? value : `http://${value}`
  const url = new URL(withScheme)
  if (!url.port && !/^https?:\/\/[^/]+:\d+/.test(withScheme)) url.port = '11434'
  const base = `${url.protocol}//${url.host}${url.pathname.replace(/\/+$/, '')}`
  return base.endsWith('/v1') ? base : `${base}/v1`
}

function firstKey(env: Record<string, string | undefined>, names: readonly string[]): string | undefined {
  for (const name of names) {
    const value = env[name]?.trim()
    if (value) return value
  }
  return undefined
}

function positiveInteger(value: number | undefined, what: string): number | undefined {
  if (value === undefined) return undefined
  if (!Number.isInteger(value) || value <= 0) {
    throw new ModelConfigError(
      'invalid_model',
      `${what} must be a positive whole number of tokens (got ${value}).`,
    )
  }
  return value
}

/** The catalogue's facts with the caller's limits laid over them. */
function modelInfo(provider: string, model: string, options: ResolveOptions): ModelInfo {
  const info = lookupModel(provider, model)
  const contextWindow = positiveInteger(options.contextWindow, 'The context window')
  const maxOutputTokens = positiveInteger(options.maxOutputTokens, 'The maximum output')
  return {
    ...info,
    ...(contextWindow === undefined ? {} : { contextWindow }),
    ...(maxOutputTokens === undefined ? {} : { maxOutputTokens }),
  }
}

function resolveKnown(
  id: string,
  config: ProviderConfig,
  model: string,
  options: ResolveOptions,
  env: Record<string, string | undefined>,
): ResolvedModel {
  const envVars = keyEnvVars(config)
  const apiKey = options.apiKey?.trim() || firstKey(env, envVars)
  if (config.requiresKey && !apiKey) {
    const names = envVars.join(' or ')
    throw new ModelConfigError(
      'missing_api_key',
      `No API key for ${config.name}: set ${names}. For example: export ${config.apiKeyEnv ?? names}=…`,
    )
  }
  const asked = requestedApi(options.api)
  let baseUrl = (asked && config.baseUrls?.[asked]) || config.baseUrl
  const fromEnv = config.baseUrlEnv ? env[config.baseUrlEnv]?.trim() : undefined
  if (options.baseUrl) baseUrl = normaliseBaseUrl(options.baseUrl)
  // The env var names the provider's own endpoint, not a wire's separate one (Anthropic's /v1 for chat).
  else if (fromEnv && !(asked && asked !== config.api && config.baseUrls?.[asked]))
    baseUrl = normaliseBaseUrl(fromEnv)
  else if (config.name === 'ollama') baseUrl = ollamaBaseUrl(env.OLLAMA_HOST, config.baseUrl)
  // A provider's native wire belongs to its own endpoint; elsewhere (a proxy, Azure) only Chat
  // Completions can be assumed. Anthropic's SDK meaning of a base URL is kept for its wire.
  const own = baseUrl === config.baseUrl || config.api === WIRE_APIS.anthropic
  const api = asked ?? (own ? config.api : WIRE_APIS.chat)
  return {
    id,
    provider: config.name,
    model,
    api,
    baseUrl,
    ...(config.apiKeyEnv ? { apiKeyEnv: config.apiKeyEnv } : {}),
    ...(apiKey ? { apiKey } : {}),
    ...(config.headers ? { headers: { ...config.headers } } : {}),
    info: modelInfo(config.name, model, options),
  }
}

function resolveCustom(
  id: string,
  model: string,
  baseUrl: string,
  options: ResolveOptions,
  env: Record<string, string | undefined>,
) {
  const api = requestedApi(options.api) ?? WIRE_APIS.chat
  const keyEnv = api === WIRE_APIS.anthropic ? CUSTOM_ANTHROPIC_KEY_ENV : CUSTOM_KEY_ENV
  const apiKey = options.apiKey?.trim() || firstKey(env, keyEnv)
  const resolved: ResolvedModel = {
    id,
    provider: CUSTOM_PROVIDER,
    model,
    api,
    baseUrl: normaliseBaseUrl(baseUrl),
    apiKeyEnv: keyEnv[0],
    ...(apiKey ? { apiKey } : {}),
    info: modelInfo(CUSTOM_PROVIDER, model, options),
  }
  return resolved
}

/**
 * Resolves `provider/model` (the model part may contain further slashes), a bare well-known model
 * name, or — with `baseUrl` — any name served by an OpenAI-compatible endpoint.
 * Throws `ModelConfigError` with a message that says exactly what to set.
 */
export function resolveModel(id: string, options: ResolveOptions = {}): ResolvedModel {
  const env = options.env ?? process.env
  const trimmed = id.trim()
  if (!trimmed) {
    throw new ModelConfigError(
      'invalid_model',
      'No model given: pass --model provider/model, e.g. openai/gpt-4o.',
    )
  }
  const slash = trimmed.indexOf('/')
  const prefix = slash === -1 ? undefined : trimmed.slice(0, slash).toLowerCase()
  const rest = slash === -1 ? trimmed : trimmed.slice(slash + 1)

  if (prefix !== undefined && (getProvider(prefix) || prefix === CUSTOM_PROVIDER) && !rest.trim()) {
    throw new ModelConfigError(
      'invalid_model',
      `No model name after "${prefix}/" in "${trimmed}": e.g. ${prefix}/<model>.`,
    )
  }
  const config = prefix === undefined ? undefined : getProvider(prefix)
  if (config) return resolveKnown(trimmed, config, rest, options, env)

  if (prefix === CUSTOM_PROVIDER) {
    if (!options.baseUrl) {
      throw new ModelConfigError('invalid_model', `"${trimmed}" needs an endpoint: pass --base-url URL.`)
    }
    return resolveCustom(trimmed, rest, options.baseUrl, options, env)
  }
  // An unknown prefix may just be part of the model name on a custom server (`meta-llama/Llama-3-8B`).
  if (options.baseUrl) return resolveCustom(trimmed, trimmed, options.baseUrl, options, env)

  if (prefix !== undefined) {
    throw new ModelConfigError(
      'unknown_provider',
      `Unknown provider "${prefix}" in "${trimmed}". Known providers: ${knownProviders()}. Use --base-url URL for any other OpenAI-compatible endpoint.`,
    )
  }
  const inferred = inferProvider(trimmed)
  const inferredConfig = inferred ? getProvider(inferred) : undefined
  if (inferredConfig) return resolveKnown(trimmed, inferredConfig, trimmed, options, env)
  throw new ModelConfigError(
    'unknown_provider',
    `Cannot tell which provider serves "${trimmed}": write it as provider/model (e.g. openai/gpt-4o). Known providers: ${knownProviders()}. Use --base-url URL for any other OpenAI-compatible endpoint.`,
  )
}
