/** API tokens: random secrets stored as SHA-256 hashes, looked up by hash, revocable. */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'
import { asc, eq } from 'drizzle-orm'
import { type Ctx, cachedRead, prepared, write } from './context.js'
import { ConflictError, NotFoundError, ValidationError } from './errors.js'
import { toToken } from './row-values.js'
import { apiTokens } from './schema.js'
import type { ApiToken, CreatedToken } from './token-types.js'
import { requireText } from './validation.js'

type TokenRow = typeof apiTokens.$inferSelect

export const TOKEN_PREFIX = 'pgn_'
const TOKEN_CHARS = 32
/** How much of a token its record shows. */
export const PREFIX_SHOWN = TOKEN_PREFIX.length + 4
const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'
/** `last_used_at` is refreshed at most this often, so verifying is not a write on every request. */
const LAST_USED_RESOLUTION_MS = 60_000

export function hashToken(plaintext: string): string {
  return createHash('sha256').update(plaintext, 'utf8').digest('hex')
}

/** 32 uniformly random base62 characters (rejection sampling: no modulo bias). */
function randomBase62(length: number): string {
  let out = ''
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
      if (byte >= 248) continue // 248 = 62 * 4: keeps every character equally likely
      out += BASE62[byte % 62]
      if (out.length === length) break
    }
  }
  return out
}

/** A new token's plaintext: the prefix and 32 random base62 characters. */
export function newTokenSecret(): string {
  return `${TOKEN_PREFIX}${randomBase62(TOKEN_CHARS)}`
}

export function createToken(ctx: Ctx, name: string): CreatedToken {
  const clean = requireText(name, 'name', 'token')
  const token = newTokenSecret()
  return write(ctx, () => {
    const taken = ctx.db.select({ id: apiTokens.id }).from(apiTokens).where(eq(apiTokens.name, clean)).get()
    if (taken)
      throw new ConflictError(`a token named "${clean}" already exists; pick another name or revoke it`)
    const row = ctx.db
      .insert(apiTokens)
      .values({
        name: clean,
        hash: hashToken(token),
        prefix: token.slice(0, PREFIX_SHOWN),
        createdAt: new Date(),
      })
      .returning()
      .get()
    return { token, record: toToken(row) }
  })
}

/** A provisioned secret must be hard to guess: as long as a metrics token at least. */
export const MIN_PROVISIONED_TOKEN = 16

export function provisionToken(ctx: Ctx, name: string, plaintext: string): ApiToken {
  const clean = requireText(name, 'name', 'token')
  if (typeof plaintext !== 'string' || plaintext.length < MIN_PROVISIONED_TOKEN || /\s/.test(plaintext))
    throw new ValidationError(
      `a provisioned token must be at least ${MIN_PROVISIONED_TOKEN} characters with no spaces`,
    )
  const hash = hashToken(plaintext)
  return write(ctx, () => {
    const row = ctx.db.select().from(apiTokens).where(eq(apiTokens.name, clean)).get()
    if (row && row.revokedAt === null && sameHash(row.hash, hash)) return toToken(row)
    const values = {
      hash,
      prefix: plaintext.slice(0, PREFIX_SHOWN),
      createdAt: new Date(),
      lastUsedAt: null,
      revokedAt: null,
    }
    const saved = row
      ? ctx.db.update(apiTokens).set(values).where(eq(apiTokens.id, row.id)).returning().get()
      : ctx.db
          .insert(apiTokens)
          .values({ name: clean, ...values })
          .returning()
          .get()
    if (!saved) throw new Error(`token "${clean}" was not saved`)
    return toToken(saved)
  })
}

export function listTokens(ctx: Ctx): ApiToken[] {
  return ctx.db.select().from(apiTokens).orderBy(asc(apiTokens.id)).all().map(toToken)
}

function findToken(ctx: Ctx, ref: number | string): TokenRow | undefined {
  if (typeof ref === 'number') return ctx.db.select().from(apiTokens).where(eq(apiTokens.id, ref)).get()
  const byName = ctx.db.select().from(apiTokens).where(eq(apiTokens.name, ref)).get()
  if (byName || !/^\d+$/.test(ref)) return byName
  return ctx.db
    .select()
    .from(apiTokens)
    .where(eq(apiTokens.id, Number(ref)))
    .get()
}

export function revokeToken(ctx: Ctx, ref: number | string): ApiToken {
  return write(ctx, () => {
    const row = findToken(ctx, ref)
    if (!row) throw new NotFoundError('token', ref)
    if (row.revokedAt) return toToken(row)
    const updated = ctx.db
      .update(apiTokens)
      .set({ revokedAt: new Date() })
      .where(eq(apiTokens.id, row.id))
      .returning()
      .get()
    return toToken(updated ?? row)
  })
}

/** A row of `api_tokens` as SQLite returns it (timestamps as integer ms). */
interface TokenValues {
  id: number
  name: string
  hash: string
  prefix: string
  created_at: number
  last_used_at: number | null
  revoked_at: number | null
}

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString())

/**
 * Every authenticated request verifies its token, so this is a hot read: one prepared statement of
 * better-sqlite3's own, no ORM mapping (which made Date objects only to turn them into strings).
 */
export function verifyToken(ctx: Ctx, plaintext: string): ApiToken | undefined {
  if (typeof plaintext !== 'string' || plaintext === '') return undefined
  const hash = hashToken(plaintext)
  const byHash = prepared(ctx, 'tokens.byHash', () =>
    ctx.sqlite.prepare<[string], TokenValues>(
      'SELECT id, name, hash, prefix, created_at, last_used_at, revoked_at FROM api_tokens WHERE hash = ?',
    ),
  )
  // Found tokens are kept until the database changes (a revocation is a change, so it counts at
  // once); unknown ones are looked up every time, so guessing cannot fill memory.
  const row = cachedRead(
    ctx,
    `tokens.byHash:${hash}`,
    () => byHash.get(hash),
    (found) => found !== undefined,
  )
  // The lookup is by hash (never by the secret itself); the final comparison is constant-time.
  if (!row || row.revoked_at !== null || !sameHash(row.hash, hash)) return undefined
  const now = Date.now()
  const token: ApiToken = {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    createdAt: new Date(row.created_at).toISOString(),
    lastUsedAt: iso(row.last_used_at),
    revokedAt: null,
  }
  if (row.last_used_at !== null && now - row.last_used_at < LAST_USED_RESOLUTION_MS) return token
  const touch = prepared(ctx, 'tokens.touch', () =>
    ctx.sqlite.prepare<[number, number]>('UPDATE api_tokens SET last_used_at = ? WHERE id = ?'),
  )
  write(ctx, () => touch.run(now, row.id))
  return { ...token, lastUsedAt: new Date(now).toISOString() }
}

function sameHash(a: string, b: string): boolean {
  const left = Buffer.from(a, 'hex')
  const right = Buffer.from(b, 'hex')
  return left.length === right.length && timingSafeEqual(left, right)
}
