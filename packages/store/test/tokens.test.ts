import Database from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import { ConflictError, hashToken, NotFoundError, ValidationError } from '../src/index.js'
import { tempStore } from './helpers.js'

describe('api tokens', () => {
  it('creates a pgn_ token shown once, stores only its hash and prefix', () => {
    const store = tempStore()
    const { token, record } = store.createToken('  ci  ')
    expect(token).toMatch(/^pgn_[0-9A-Za-z]{32}$/)
    expect(record).toMatchObject({
      id: 1,
      name: 'ci',
      prefix: token.slice(0, 8),
      lastUsedAt: null,
      revokedAt: null,
    })
    const raw = new Database(store.path, { readonly: true })
    const row = raw.prepare('SELECT * FROM api_tokens').get() as Record<string, unknown>
    raw.close()
    expect(row.hash).toBe(hashToken(token))
    expect(Object.values(row)).not.toContain(token)
    // Two tokens never collide.
    expect(store.createToken('other').token).not.toBe(token)
  })

  it('refuses empty and duplicate names', () => {
    const store = tempStore()
    store.createToken('ci')
    expect(() => store.createToken('ci')).toThrow(ConflictError)
    expect(() => store.createToken('  ')).toThrow(ValidationError)
  })

  it('verifies a live token and records when it was used', () => {
    const store = tempStore()
    const { token, record } = store.createToken('ci')
    const verified = store.verifyToken(token)
    expect(verified?.id).toBe(record.id)
    expect(verified?.lastUsedAt).not.toBeNull()
    expect(store.listTokens()[0]?.lastUsedAt).toBe(verified?.lastUsedAt)
    expect(store.verifyToken(`${token}x`)).toBeUndefined()
    expect(store.verifyToken('')).toBeUndefined()
    expect(store.verifyToken('pgn_nope')).toBeUndefined()
  })

  it('revokes by id or name; a revoked token no longer verifies', () => {
    const store = tempStore()
    const a = store.createToken('a')
    const b = store.createToken('b')
    const revoked = store.revokeToken('a')
    expect(revoked.revokedAt).not.toBeNull()
    expect(store.verifyToken(a.token)).toBeUndefined()
    expect(store.revokeToken(a.record.id).revokedAt).toBe(revoked.revokedAt)
    expect(store.revokeToken(String(b.record.id)).name).toBe('b')
    expect(store.verifyToken(b.token)).toBeUndefined()
    expect(() => store.revokeToken('missing')).toThrow(NotFoundError)
    expect(store.listTokens().map((t) => [t.name, t.revokedAt !== null])).toEqual([
      ['a', true],
      ['b', true],
    ])
  })

  it('offers the same operations on the async store', async () => {
    const store = tempStore()
    const { token } = await store.async.createToken('async')
    expect((await store.async.verifyToken(token))?.name).toBe('async')
    expect(await store.async.listTokens()).toHaveLength(1)
    await store.async.revokeToken('async')
    expect(await store.async.verifyToken(token)).toBeUndefined()
  })
})
