import { join } from 'node:path'
import Database from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import { ConflictError, hashToken, NotFoundError, openStore, ValidationError } from '../src/index.js'
import { registerCleanup, tempDir, tempStore } from './helpers.js'

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

  it('a token verified a moment ago stops verifying the moment it is revoked, here or by another process', () => {
    const path = join(tempDir(), 'tokens.db')
    const server = openStore({ path })
    registerCleanup(() => server.close())
    const a = server.createToken('a')
    const b = server.createToken('b')
    expect(server.verifyToken(a.token)?.name).toBe('a')
    expect(server.verifyToken(a.token)?.name).toBe('a')
    server.revokeToken('a')
    expect(server.verifyToken(a.token)).toBeUndefined()
    // `penguin token revoke` runs as its own process while the server is up.
    expect(server.verifyToken(b.token)?.name).toBe('b')
    const cli = openStore({ path })
    registerCleanup(() => cli.close())
    cli.revokeToken('b')
    expect(server.verifyToken(b.token)).toBeUndefined()
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

  it('provisions an operator-given secret: created, kept, rotated, un-revoked; the old value stops working', () => {
    const store = tempStore()
    const first = 'k8s-secret-value-0001'
    const created = store.provisionToken('deployment', first)
    expect(created).toMatchObject({ name: 'deployment', prefix: first.slice(0, 8), revokedAt: null })
    expect(store.verifyToken(first)?.id).toBe(created.id)
    // The same secret again (every restart): the same token, untouched.
    expect(store.provisionToken('deployment', first)).toEqual(store.verifyToken(first))
    // A rotated secret replaces the old one under the same name.
    const second = 'k8s-secret-value-0002'
    const rotated = store.provisionToken('deployment', second)
    expect(rotated.id).toBe(created.id)
    expect(store.verifyToken(first)).toBeUndefined()
    expect(store.verifyToken(second)?.id).toBe(created.id)
    // Revoked by hand, provisioning again brings it back (the operator's secret is the truth).
    store.revokeToken('deployment')
    expect(store.verifyToken(second)).toBeUndefined()
    expect(store.provisionToken('deployment', second).revokedAt).toBeNull()
    expect(store.verifyToken(second)?.id).toBe(created.id)
    expect(store.listTokens()).toHaveLength(1)
  })

  it('refuses a provisioned secret that is short or has spaces', () => {
    const store = tempStore()
    expect(() => store.provisionToken('deployment', 'short')).toThrow(ValidationError)
    expect(() => store.provisionToken('deployment', 'has a space in it, long enough')).toThrow(
      ValidationError,
    )
    expect(store.listTokens()).toEqual([])
  })
})
