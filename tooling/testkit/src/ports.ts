import { createServer } from 'node:net'

/**
 * A loopback port free right now (bound, noted, closed): for a child server that must be told its
 * port up front. Another process could take it before the child binds it; tests that can let the
 * server pick (`port: 0`) and read it back should.
 */
export async function freePort(): Promise<number> {
  const probe = createServer()
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve))
  const address = probe.address()
  await new Promise<void>((resolve) => probe.close(() => resolve()))
  if (typeof address !== 'object' || address === null) throw new Error('no port')
  return address.port
}
