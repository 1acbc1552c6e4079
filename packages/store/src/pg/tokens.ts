/** API tokens on Postgres: as tokens.ts (hashes only, constant-time comparison, coarse last-used). */
import { timingSafeEqual } from 'node:crypto'
import { asc, eq } from 'drizzle-orm'
import { ConflictError, NotFoundError, ValidationError } from '../errors.js'
import { toToken } from '../row-values.js'
import { apiTokens } from '../schema-pg.js'
import type { ApiToken, CreatedToken } from '../token-types.js'
import { hashToken, MIN_PROVISIONED_TOKEN, newTokenSecret, PREFIX_SHOWN } from '../tokens.js'
import { requireText } from '../validation.js'
import { type PgCtx, write } from './context.js'

const LAST_USED_RESOLUTION_MS = 60_000

type TokenRow = typeof apiTokens.$inferSelect

export function createToken(ctx: PgCtx, name: string): Promise<CreatedToken> {
  const clean = requireText(name, 'name', 'token')
  const token = newTokenSecret()
  return write(ctx, async (tx) => {
    const [taken] = await tx.db.select({ id: apiTokens.id }).from(apiTokens).where(eq(apiTokens.name, clean))
    if (taken)
      throw new ConflictError(`a token named "${clean}" already exists; pick another name or revoke it`)
    const [row] = await tx.db
      .insert(apiTokens)
      .values({
        name: clean,
        hash: hashToken(token),
        prefix: token.slice(0, PREFIX_SHOWN),
        createdAt: new Date(),
      })
      .returning()
    if (!row) throw new Error(`token "${clean}" was not saved`)
    return { token, record: toToken(row) }
  })
}

export function provisionToken(ctx: PgCtx, name: string, plaintext: string): Promise<ApiToken> {
  const clean = requireText(name, 'name', 'token')
  if (typeof plaintext !== 'string' || plaintext.length < MIN_PROVISIONED_TOKEN || /\s/.test(plaintext))
    throw new ValidationError(
      `a provisioned token must be at least ${MIN_PROVISIONED_TOKEN} characters with no spaces`,
    )
  const hash = hashToken(plaintext)
  return write(ctx, async (tx) => {
    const [row] = await tx.db.select().from(apiTokens).where(eq(apiTokens.name, clean))
    if (row && row.revokedAt === null && sameHash(row.hash, hash)) return toToken(row)
    const values = {
      hash,
      prefix: plaintext.slice(0, PREFIX_SHOWN),
      createdAt: new Date(),
      lastUsedAt: null,
      revokedAt: null,
    }
    const [saved] = row
      ? await tx.db.update(apiTokens).set(values).where(eq(apiTokens.id, row.id)).returning()
      : await tx.db
          .insert(apiTokens)
          .values({ name: clean, ...values })
          .returning()
    if (!saved) throw new Error(`token "${clean}" was not saved`)
    return toToken(saved)
  })
}

export async function listTokens(ctx: PgCtx): Promise<ApiToken[]> {
  return (await ctx.db.select().from(apiTokens).orderBy(asc(apiTokens.id))).map(toToken)
}

async function findToken(ctx: PgCtx, ref: number | string): Promise<TokenRow | undefined> {
  if (typeof ref === 'number') return (await ctx.db.select().from(apiTokens).where(eq(apiTokens.id, ref)))[0]
  const [byName] = await ctx.db.select().from(apiTokens).where(eq(apiTokens.name, ref))
  if (byName || !/^\d+$/.test(ref)) return byName
  return (
    await ctx.db
      .select()
      .from(apiTokens)
      .where(eq(apiTokens.id, Number(ref)))
  )[0]
}

export function revokeToken(ctx: PgCtx, ref: number | string): Promise<ApiToken> {
  return write(ctx, async (tx) => {
    const row = await findToken(tx, ref)
    if (!row) throw new NotFoundError('token', ref)
    if (row.revokedAt) return toToken(row)
    const [updated] = await tx.db
      .update(apiTokens)
      .set({ revokedAt: new Date() })
      .where(eq(apiTokens.id, row.id))
      .returning()
    return toToken(updated ?? row)
  })
}

export async function verifyToken(ctx: PgCtx, plaintext: string): Promise<ApiToken | undefined> {
  if (typeof plaintext !== 'string' || plaintext === '') return undefined
  const hash = hashToken(plaintext)
  const [row] = await ctx.db.select().from(apiTokens).where(eq(apiTokens.hash, hash))
  if (!row || row.revokedAt !== null || !sameHash(row.hash, hash)) return undefined
  const now = Date.now()
  const token = toToken(row)
  if (row.lastUsedAt !== null && now - row.lastUsedAt.getTime() < LAST_USED_RESOLUTION_MS) return token
  // A plain UPDATE (no read-check-write): concurrent requests touching it at once are harmless.
  await ctx.db
    .update(apiTokens)
    .set({ lastUsedAt: new Date(now) })
    .where(eq(apiTokens.id, row.id))
  return { ...token, lastUsedAt: new Date(now).toISOString() }
}

function sameHash(a: string, b: string): boolean {
  const left = Buffer.from(a, 'hex')
  const right = Buffer.from(b, 'hex')
  return left.length === right.length && timingSafeEqual(left, right)
}
