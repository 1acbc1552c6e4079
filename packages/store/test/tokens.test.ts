import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ConflictError, hashToken, NotFoundError, openStore, ValidationError } from '../src/index.js'
import { BACKENDS, openBackend, rawSql, registerCleanup, tempDir } from './helpers.js'

describe.each(BACKENDS)('api tokens (%s)', (backend) => {
  it('creates a pgn_ token shown once, stores only its hash and prefix', async () => {
    const store = await openBackend(backend)
    const { token, record } = await store.createToken('  ci  ')
    expect(token).toMatch(/^pgn_[0-9A-Za-z]{32}$/)
    expect(record).toMatchObject({
      id: 1,
      name: 'ci',
      prefix: token.slice(0, 8),
      lastUsedAt: null,
      revokedAt: null,
    })
    const [row = {}] = await rawSql(store, 'SELECT * FROM api_tokens')
    expect(row.hash).toBe(hashToken(token))
    expect(Object.values(row)).not.toContain(token)
    // Two tokens never collide.
    expect((await store.createToken('other')).token).not.toBe(token)
  })

  it('refuses empty and duplicate names', async () => {
    const store = await openBackend(backend)
    await store.createToken('ci')
    await expect(store.createToken('ci')).rejects.toThrow(ConflictError)
    await expect(store.createToken('  ')).rejects.toThrow(ValidationError)
  })

  it('verifies a live token and records when it was used', async () => {
    const store = await openBackend(backend)
    const { token, record } = await store.createToken('ci')
    const verified = await store.verifyToken(token)
    expect(verified?.id).toBe(record.id)
    expect(verified?.lastUsedAt).not.toBeNull()
    expect((await store.listTokens())[0]?.lastUsedAt).toBe(verified?.lastUsedAt)
    expect(await store.verifyToken(`${token}x`)).toBeUndefined()
    expect(await store.verifyToken('')).toBeUndefined()
    expect(await store.verifyToken('pgn_nope')).toBeUndefined()
  })

  it('a token verified a moment ago stops verifying the moment it is revoked, here or by another process', async () => {
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

  it('revokes by id or name; a revoked token no longer verifies', async () => {
    const store = await openBackend(backend)
    const a = await store.createToken('a')
    const b = await store.createToken('b')
    const revoked = await store.revokeToken('a')
    expect(revoked.revokedAt).not.toBeNull()
    expect(await store.verifyToken(a.token)).toBeUndefined()
    expect((await store.revokeToken(a.record.id)).revokedAt).toBe(revoked.revokedAt)
    expect((await store.revokeToken(String(b.record.id))).name).toBe('b')
    expect(await store.verifyToken(b.token)).toBeUndefined()
    await expect(store.revokeToken('missing')).rejects.toThrow(NotFoundError)
    expect((await store.listTokens()).map((t) => [t.name, t.revokedAt !== null])).toEqual([
      ['a', true],
      ['b', true],
    ])
  })

  it('offers the same operations on the async store', async () => {
    const store = await openBackend(backend)
    const { token } = await store.createToken('async')
    expect((await store.verifyToken(token))?.name).toBe('async')
    expect(await store.listTokens()).toHaveLength(1)
    await store.revokeToken('async')
    expect(await store.verifyToken(token)).toBeUndefined()
  })

  it('provisions an operator-given secret: created, kept, rotated, un-revoked; the old value stops working', async () => {
    const store = await openBackend(backend)
    const first = 'k8s-secret-value-0001'
    const created = await store.provisionToken('deployment', first)
    expect(created).toMatchObject({ name: 'deployment', prefix: first.slice(0, 8), revokedAt: null })
    expect((await store.verifyToken(first))?.id).toBe(created.id)
    // The same secret again (every restart): the same token, untouched.
    expect(await store.provisionToken('deployment', first)).toEqual(await store.verifyToken(first))
    // A rotated secret replaces the old one under the same name.
    const second = 'k8s-secret-value-0002'
    const rotated = await store.provisionToken('deployment', second)
    expect(rotated.id).toBe(created.id)
    expect(await store.verifyToken(first)).toBeUndefined()
    expect((await store.verifyToken(second))?.id).toBe(created.id)
    // Revoked by hand, provisioning again brings it back (the operator's secret is the truth).
    await store.revokeToken('deployment')
    expect(await store.verifyToken(second)).toBeUndefined()
    expect((await store.provisionToken('deployment', second)).revokedAt).toBeNull()
    expect((await store.verifyToken(second))?.id).toBe(created.id)
    expect(await store.listTokens()).toHaveLength(1)
  })

  it('refuses a provisioned secret that is short or has spaces', async () => {
    const store = await openBackend(backend)
    await expect(store.provisionToken('deployment', 'short')).rejects.toThrow(ValidationError)
    await expect(store.provisionToken('deployment', 'has a space in it, long enough')).rejects.toThrow(
      ValidationError,
    )
    expect(await store.listTokens()).toEqual([])
  })
})
