import { type FetchLike, PenguinClient } from '@penguin-ai/sdk'

export interface MakeClientOptions {
  token?: string | undefined
  /** Called whenever the server answers 401 (missing, unknown or revoked token). */
  onUnauthorized?: () => void
  /** Default: the page's own origin (the UI is served by `penguin serve`). */
  baseUrl?: string
}

/** The one way the UI talks to the server: the SDK, with 401s reported so the UI can ask for a token. */
export function makeClient(options: MakeClientOptions = {}): PenguinClient {
  const watched: FetchLike = async (input, init) => {
    const response = await globalThis.fetch(input, init)
    if (response.status === 401) options.onUnauthorized?.()
    return response
  }
  return new PenguinClient({
    baseUrl: options.baseUrl ?? window.location.origin,
    ...(options.token ? { token: options.token } : {}),
    fetch: watched,
  })
}
