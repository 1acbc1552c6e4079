/** Opens the run queue; `pg` and `pg-boss` load only here, when a database URL is given. */
import type { QueueConnection } from './pg.js'

export async function openRunQueue(
  url: string,
  options: { maxConnections?: number; onError?: (error: unknown) => void } = {},
): Promise<QueueConnection> {
  const { connectQueue } = await import('./pg.js')
  return connectQueue(url, options)
}
