/**
 * drizzle has no one schema for two dialects, so src/schema.ts (SQLite) and src/schema-pg.ts
 * (PostgreSQL) are written side by side; this holds them together: the same tables, columns
 * (name, nullability, default or not, primary key), unique columns, foreign keys and indexes.
 */
import { getTableConfig as pgConfig } from 'drizzle-orm/pg-core'
import { getTableConfig as sqliteConfig } from 'drizzle-orm/sqlite-core'
import { describe, expect, it } from 'vitest'
import * as sqlite from '../src/schema.js'
import * as pg from '../src/schema-pg.js'

type Config = ReturnType<typeof sqliteConfig> | ReturnType<typeof pgConfig>

function shape(config: Config) {
  const columnName = (column: { name: string }) => column.name
  return {
    name: config.name,
    columns: config.columns
      .map((column) => ({
        name: column.name,
        notNull: column.notNull,
        // An identity column is Postgres's autoincrement: both are "filled in when absent".
        hasDefault:
          column.hasDefault ||
          column.primary ||
          ('generatedIdentity' in column && !!column.generatedIdentity),
        primary: column.primary,
        unique: column.isUnique,
      }))
      .sort((a, b) => a.name.localeCompare(b.name)),
    primaryKeys: config.primaryKeys.map((key) => key.columns.map(columnName)),
    foreignKeys: config.foreignKeys
      .map((key) => {
        const reference = key.reference()
        return {
          columns: reference.columns.map(columnName),
          references: reference.foreignColumns.map(columnName),
          onDelete: key.onDelete,
        }
      })
      .sort((a, b) => a.columns.join().localeCompare(b.columns.join())),
    indexes: config.indexes
      .map((index) => ({
        name: index.config.name,
        columns: index.config.columns.map((column) => ('name' in column ? column.name : 'expression')),
        partial: index.config.where !== undefined,
      }))
      .sort((a, b) => (a.name ?? '').localeCompare(b.name ?? '')),
  }
}

const tablesOf = (module: Record<string, unknown>, config: (table: never) => Config) =>
  Object.fromEntries(
    Object.entries(module)
      .filter(
        ([, value]) =>
          typeof value === 'object' && value !== null && Symbol.for('drizzle:IsDrizzleTable') in value,
      )
      .map(([key, table]) => [key, shape(config(table as never))]),
  )

describe('the SQLite and PostgreSQL schemas', () => {
  it('describe the same tables, columns, keys and indexes', () => {
    const lite = tablesOf(sqlite, sqliteConfig as (table: never) => Config)
    const post = tablesOf(pg, pgConfig as (table: never) => Config)
    expect(Object.keys(lite).length).toBeGreaterThanOrEqual(10)
    // The one expression index (tasks_ready_idx: priority DESC) is an expression in SQLite's
    // definition and a column in Postgres's: compare its other columns.
    const normalise = (tables: Record<string, ReturnType<typeof shape>>) =>
      JSON.parse(JSON.stringify(tables).replaceAll('"priority"', '"expression"'))
    expect(normalise(post)).toEqual(normalise(lite))
  })
})
