import { openStore } from '@penguin-ai/store'
import { Hono } from 'hono'
import { expect, test } from 'vitest'
import { PROVISIONED_TOKEN_NAME } from '../src/index.js'
import { warmUp } from '../src/warm.js'
import { startTestServer } from './helpers.js'

test('warming up before listening writes nothing and uses no token', async () => {
  const t = await startTestServer({ token: 'provisioned-token-for-the-warm-up-test' })
  const tokens = await t.server.store.listTokens()
  const provisioned = tokens.find((token) => token.name === PROVISIONED_TOKEN_NAME)
  expect(provisioned).toMatchObject({ lastUsedAt: null, revokedAt: null })
  expect(await t.server.store.listSessions()).toEqual([])
  expect((await t.api('/api/v1/sessions')).status).toBe(200)
})

test('a warm-up that fails leaves the failure to the first request', async () => {
  const store = openStore({ path: ':memory:' })
  store.close()
  const app = new Hono()
  app.get('/healthz', () => {
    throw new Error('not ready')
  })
  await expect(warmUp(app, { store: store.async, root: '/' })).resolves.toBeUndefined()
  await expect(store.async.listSessions()).rejects.toThrow(/closed/)
})
