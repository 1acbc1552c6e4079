/**
 * Starts a private PostgreSQL cluster for the store's tests (tooling/test-postgres) and hands its
 * maintenance URL to them (`inject('postgresUrl')`); each test file makes and drops its databases.
 */
import { type PostgresCluster, startPostgresCluster } from '@penguin-ai/test-postgres'
import type { TestProject } from 'vitest/node'

declare module 'vitest' {
  export interface ProvidedContext {
    postgresUrl: string
  }
}

let cluster: PostgresCluster | undefined

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  cluster = await startPostgresCluster()
  project.provide('postgresUrl', cluster.url('postgres'))
  return async () => {
    await cluster?.stop()
  }
}
