export { CLUSTER_USER, type PostgresCluster, type StartOptions, startPostgresCluster } from './cluster.js'
export { createTestDatabase, withDatabase } from './databases.js'
