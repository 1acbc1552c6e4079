/**
 * API tokens for the server. The store keeps only a token's SHA-256 and a short prefix; the
 * plaintext exists once, in what `createToken` returns.
 */

export interface ApiToken {
  id: number
  /** Unique; `revokeToken` accepts it as well as the id. */
  name: string
  /** The token's first characters (`pgn_AbCd`), to recognise it in a list. */
  prefix: string
  createdAt: string
  /** Refreshed by `verifyToken`, at most once a minute. */
  lastUsedAt: string | null
  revokedAt: string | null
}

export interface CreatedToken {
  /** The plaintext token: shown to the user once, never stored. */
  token: string
  record: ApiToken
}

/** Token operations; part of `StoreOperations`. */
export interface TokenOperations {
  /** A new random token (`pgn_` + 32 base62 characters) under a unique name (ConflictError if taken). */
  createToken(name: string): CreatedToken
  /** Every token, revoked ones included, oldest first. */
  listTokens(): ApiToken[]
  /** By id or name (NotFoundError); revoking twice keeps the first revocation time. */
  revokeToken(ref: number | string): ApiToken
  /** The live (not revoked) token with this plaintext, or undefined. Compares hashes in constant time. */
  verifyToken(plaintext: string): ApiToken | undefined
  /**
   * Makes the token named `name` be exactly `plaintext` (an operator's secret, e.g. from a
   * Kubernetes Secret): created if absent, kept if it already matches, replaced (and un-revoked)
   * if the secret changed, so the previous value stops working. At least 16 characters.
   */
  provisionToken(name: string, plaintext: string): ApiToken
}
