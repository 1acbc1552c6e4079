export { CLUSTER_USER, type PostgresCluster, type StartOptions, startPostgresCluster } from './cluster.js'
export { createTestDatabase, queryDatabase, withDatabase } from './databases.js'
export { type HeldSessionRow, holdSessionRow } from './row-lock.js'
