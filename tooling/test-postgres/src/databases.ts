/** Databases of a test cluster: each test file creates its own and drops it when done. */
import pg from 'pg'

/** `postgres://…/<db>?…` → the same URL naming another database. */
export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url)
  parsed.pathname = `/${encodeURIComponent(database)}`
  return parsed.toString()
}

async function onMaintenance<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: withDatabase(url, 'postgres') })
  await client.connect()
  try {
    return await fn(client)
  } finally {
    await client.end()
  }
}

/** Runs one statement on the database `url` names (a connection of its own) and returns its rows. */
export async function queryDatabase<T = Record<string, unknown>>(
  url: string,
  text: string,
  params: unknown[] = [],
): Promise<T[]> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    return (await client.query(text, params)).rows as T[]
  } finally {
    await client.end()
  }
}

let counter = 0

/**
 * A new, empty database on the cluster `url` points at; returns its URL and a `drop()` that
 * ends its remaining connections first (a store a test forgot to close must not keep it).
 */
export async function createTestDatabase(
  url: string,
  prefix = 'test',
): Promise<{ name: string; url: string; drop(): Promise<void> }> {
  const name = `${prefix}_${process.pid}_${Date.now().toString(36)}_${counter++}`
    .toLowerCase()
    .replace(/[^a-z0-9_]/g, '_')
  await onMaintenance(url, (client) => client.query(`CREATE DATABASE "${name}"`))
  return {
    name,
    url: withDatabase(url, name),
    drop: () =>
      onMaintenance(url, async (client) => {
        await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)
      }),
  }
}
