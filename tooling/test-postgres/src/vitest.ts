/**
 * `usePostgresCluster()`: a private cluster for one test file, started before its tests and
 * stopped after them, with every database the file made dropped first. Its own subpath
 * (`@penguin-ai/test-postgres/vitest`) so that the package's root stays usable outside vitest.
 */
import { afterAll, beforeAll } from 'vitest'
import { type PostgresCluster, startPostgresCluster } from './cluster.js'
import { createTestDatabase } from './databases.js'

export interface FileCluster {
  /** The running cluster (inside tests and hooks). */
  readonly cluster: PostgresCluster
  /** A new, empty database on it (named after `prefix`), dropped after the file; its URL. */
  database(prefix?: string): Promise<string>
}

export function usePostgresCluster(): FileCluster {
  let cluster: PostgresCluster | undefined
  const drops: (() => Promise<void>)[] = []
  beforeAll(async () => {
    cluster = await startPostgresCluster()
  }, 120_000)
  afterAll(async () => {
    for (const drop of drops.splice(0)) await drop()
    await cluster?.stop()
  }, 60_000)
  return {
    get cluster() {
      if (!cluster) throw new Error('the cluster starts in beforeAll: use it inside tests and hooks')
      return cluster
    },
    async database(prefix) {
      const created = await createTestDatabase(this.cluster.url('postgres'), prefix)
      drops.push(created.drop)
      return created.url
    },
  }
}
