import { stat } from 'node:fs/promises'
import { resolve } from 'node:path'
import { CliError, EXIT, usageError } from '../cli-error.js'
import { parseCommand, print } from '../flags.js'
import { requireSqliteDriver } from '../store/driver.js'
import { databaseLocation } from '../store/location.js'
import { printHelp, subcommandFallback } from './help-text.js'
import { DB_COMMAND } from './spec/store.js'

/** `penguin db migrate|copy`: schema changes, and moving a SQLite installation to PostgreSQL. */
export async function dbCommand(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv
  switch (sub) {
    case 'migrate':
      return migrate(rest)
    case 'copy':
      return copy(rest)
    default:
      return subcommandFallback('db', sub)
  }
}

/**
 * `--database URL` (or the flag named `flagName`, e.g. `--to`), else PENGUIN_DATABASE_URL; checked
 * to be a PostgreSQL URL. The error names what the user actually gave.
 */
export function databaseUrl(
  flag: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
  flagName = '--database',
): string | undefined {
  const raw = flag ?? (env.PENGUIN_DATABASE_URL?.trim() || undefined)
  if (raw === undefined) return undefined
  const from = flag !== undefined ? flagName : 'PENGUIN_DATABASE_URL'
  if (!/^postgres(ql)?:\/\//i.test(raw.trim()))
    throw usageError(
      `${from} must be a PostgreSQL URL (postgres://user:password@host:5432/name), got "${raw}".`,
    )
  return raw.trim()
}

async function migrate(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommand(argv, DB_COMMAND)
  if (values.help) return help()
  if (positionals.length > 0)
    throw usageError(`Unexpected argument "${positionals[0]}": penguin db migrate [--database URL]`)
  const url = databaseUrl(values.database)
  if (url !== undefined && values.db !== undefined)
    throw usageError('Give --database (PostgreSQL) or --db (SQLite), not both.')
  const done = await withStoreErrors(async () => {
    if (url !== undefined) {
      const { migratePostgres } = await import('@penguin-ai/store')
      const { applied, url: shown } = await migratePostgres(url)
      return { database: shown, backend: 'postgres', applied }
    }
    requireSqliteDriver()
    const path = await databaseLocation(values.db)
    const { migrateSqlite } = await import('@penguin-ai/store')
    const { applied } = migrateSqlite(path)
    return { database: path, backend: 'sqlite', applied }
  })
  if (values.json) print(JSON.stringify(done, null, 2))
  else
    print(
      done.applied === 0
        ? `${done.database} is up to date.`
        : `Applied ${done.applied} schema change${done.applied === 1 ? '' : 's'} to ${done.database}.`,
    )
  return EXIT.ok
}

async function copy(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommand(argv, DB_COMMAND)
  if (values.help) return help()
  if (positionals.length > 0)
    throw usageError(
      `Unexpected argument "${positionals[0]}": penguin db copy --from sqlite:PATH --to postgres://…`,
    )
  const to = databaseUrl(values.to, process.env, '--to')
  if (to === undefined)
    throw usageError(
      'Missing --to: penguin db copy --from sqlite:PATH --to postgres://user:password@host/name',
    )
  if (values.from !== undefined && values.db !== undefined) throw usageError('Give --from or --db, not both.')
  requireSqliteDriver()
  const from = values.from === undefined ? await databaseLocation(values.db) : sqlitePath(values.from)
  const exists = await stat(from).then(
    (info) => info.isFile(),
    () => false,
  )
  if (!exists) throw usageError(`--from: there is no SQLite database at ${from}.`)
  const result = await withStoreErrors(async () => {
    const { copySqliteToPostgres } = await import('@penguin-ai/store')
    return copySqliteToPostgres(from, to)
  })
  const total = Object.values(result.tables).reduce((sum, count) => sum + count, 0)
  if (values.json) print(JSON.stringify({ from, to: result.to, rows: total, tables: result.tables }, null, 2))
  else {
    const lines = Object.entries(result.tables).map(([name, count]) => `  ${name.padEnd(18)} ${count}`)
    print(`Copied ${total} rows from ${from} to ${result.to} (counts verified):\n${lines.join('\n')}`)
  }
  return EXIT.ok
}

/** `sqlite:PATH` (or a bare path) → an absolute path; any other scheme is refused. */
function sqlitePath(raw: string): string {
  const value = raw.trim()
  if (/^postgres(ql)?:\/\//i.test(value))
    throw usageError(
      "--from must be a SQLite file (sqlite:PATH): copying between PostgreSQL databases is pg_dump's job.",
    )
  const path = value.replace(/^sqlite:(\/\/)?/i, '')
  if (path === '') throw usageError('--from sqlite:PATH needs the path of the SQLite file.')
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(path)) throw usageError(`--from must be sqlite:PATH, got "${raw}".`)
  return resolve(path)
}

/**
 * Store errors as the user reads them: a database that cannot be reached or failed is exit 1; one
 * this command refuses (damaged, newer, not empty, bad input) is exit 2. One line either way.
 */
async function withStoreErrors<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn()
  } catch (error) {
    if (error instanceof CliError) throw error
    const { StoreError, UnusableDatabaseError } = await import('@penguin-ai/store')
    if (error instanceof UnusableDatabaseError) throw usageError(error.message)
    if (error instanceof StoreError)
      throw new CliError(error.message, error.code === 'database' ? EXIT.failed : EXIT.usage)
    throw error
  }
}

function help(): number {
  return printHelp(['db'])
}
