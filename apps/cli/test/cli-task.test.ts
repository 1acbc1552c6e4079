import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'
import { runPenguin } from './cli-helpers.js'

/** Each test gets its own database, passed the way a user would: PENGUIN_DB or --db. */
async function freshDb(): Promise<string> {
  return join(await mkdtemp(join(tmpdir(), 'penguin-db-')), 'penguin.db')
}

async function penguin(db: string, ...args: string[]) {
  return runPenguin(args, { env: { PENGUIN_DB: db } })
}

function json<T = Record<string, unknown>>(stdout: string): T {
  return JSON.parse(stdout) as T
}

describe('penguin project and task commands', () => {
  test('create, add tasks with dependencies, walk them through their states', async () => {
    const db = await freshDb()
    const workspace = await mkdtemp(join(tmpdir(), 'penguin-ws-'))
    const created = await penguin(
      db,
      'project',
      'create',
      'shop',
      '--description',
      'a shop',
      '--workspace',
      workspace,
      '--budget-tokens',
      '5000',
      '--json',
    )
    expect(created.stderr).toBe('')
    expect(created.code).toBe(0)
    const project = json<{ id: number; name: string; workspace: string; budgetTokens: number }>(
      created.stdout,
    )
    expect(project).toMatchObject({ name: 'shop', workspace, budgetTokens: 5000 })

    const a = json<{ id: number }>(
      (await penguin(db, 'task', 'add', 'shop', 'Schema', '--priority', '2', '--json')).stdout,
    )
    const b = json<{ id: number; dependsOn: number[] }>(
      (
        await penguin(
          db,
          'task',
          'add',
          String(project.id),
          'API',
          '--depends-on',
          String(a.id),
          '--verify',
          'true',
          '--json',
        )
      ).stdout,
    )
    expect(b.dependsOn).toEqual([a.id])

    const ready = json<Array<{ id: number }>>(
      (await penguin(db, 'task', 'list', 'shop', '--ready', '--json')).stdout,
    )
    expect(ready.map((task) => task.id)).toEqual([a.id])

    const blocked = await penguin(db, 'task', 'start', String(b.id))
    expect(blocked.code).toBe(2)
    expect(blocked.stderr).toMatch(new RegExp(`task ${a.id}`))
    expect(blocked.stderr).not.toMatch(/\n\s+at /)

    expect((await penguin(db, 'task', 'start', String(a.id))).code).toBe(0)
    const done = await penguin(db, 'task', 'done', String(a.id), '--summary', 'tables created')
    expect(done.code).toBe(0)
    expect(done.stdout).toMatch(/in_progress → done/)
    expect((await penguin(db, 'task', 'start', String(b.id))).code).toBe(0)

    const invalid = await penguin(db, 'task', 'reopen', String(b.id), '--json')
    expect(invalid.code).toBe(0)
    const again = await penguin(db, 'task', 'cancel', String(a.id))
    expect(again.code).toBe(2)
    expect(again.stderr).toMatch(/cannot go from done to cancelled/)

    const shown = json<{ id: number; dependencies: Array<{ id: number }>; status: string }>(
      (await penguin(db, 'task', 'show', String(b.id), '--json')).stdout,
    )
    expect(shown.dependencies.map((dep) => dep.id)).toEqual([a.id])

    const list = json<Array<{ name: string; taskCounts: Record<string, number> }>>(
      (await penguin(db, 'project', 'list', '--json')).stdout,
    )
    expect(list).toHaveLength(1)
    expect(list[0]!.taskCounts).toMatchObject({ done: 1, pending: 1 })

    const human = await penguin(db, 'task', 'list', 'shop')
    expect(human.stdout).toMatch(/Schema/)
    expect(human.stdout).toMatch(/API/)
  })

  test('cycles, unknown ids and bad numbers exit 2 and change nothing', async () => {
    const db = await freshDb()
    await penguin(db, 'project', 'create', 'p')
    const a = json<{ id: number }>((await penguin(db, 'task', 'add', 'p', 'A', '--json')).stdout)
    const b = json<{ id: number }>(
      (await penguin(db, 'task', 'add', 'p', 'B', '--depends-on', String(a.id), '--json')).stdout,
    )
    const c = json<{ id: number }>((await penguin(db, 'task', 'add', 'p', 'C', '--json')).stdout)

    const cycle = await penguin(db, 'task', 'deps', String(a.id), '--add', `${c.id},${b.id}`)
    expect(cycle.code).toBe(2)
    expect(cycle.stderr).toMatch(/cycle/)
    // The first edge of the failed command was not kept.
    const deps = json<{ dependsOn: number[] }>(
      (await penguin(db, 'task', 'deps', String(a.id), '--json')).stdout,
    )
    expect(deps.dependsOn).toEqual([])

    for (const args of [
      ['task', 'show', '999'],
      ['task', 'show', 'abc'],
      ['task', 'add', 'nope', 'X'],
      ['task', 'add', 'p', 'X', '--priority', 'high'],
      ['task', 'add', 'p', 'X', '--depends-on', '999'],
      ['project', 'create', 'q', '--budget-usd', '-3'],
      ['project', 'show', 'missing'],
      ['task', 'list', 'p', '--status', 'weird'],
      ['task', 'graph', 'p', '--format', 'png'],
    ]) {
      const result = await penguin(db, ...args)
      expect(result.code, args.join(' ')).toBe(2)
      expect(result.stderr, args.join(' ')).toMatch(/^penguin: /)
      expect(result.stderr).not.toMatch(/\n\s+at /)
    }
    const tasks = json<unknown[]>((await penguin(db, 'task', 'list', 'p', '--json')).stdout)
    expect(tasks).toHaveLength(3)
    const dup = await penguin(db, 'project', 'create', 'p')
    expect(dup.code).toBe(2)
    expect(dup.stderr).toMatch(/"p"/)
  })

  test('graph renders mermaid, dot and json; delete removes the project', async () => {
    const db = await freshDb()
    await penguin(db, 'project', 'create', 'g')
    const a = json<{ id: number }>((await penguin(db, 'task', 'add', 'g', 'First', '--json')).stdout)
    const b = json<{ id: number }>(
      (await penguin(db, 'task', 'add', 'g', 'Second', '--depends-on', String(a.id), '--json')).stdout,
    )
    const mermaid = await penguin(db, 'task', 'graph', 'g')
    expect(mermaid.stdout).toMatch(/^flowchart TD/)
    expect(mermaid.stdout).toContain(`t${a.id} --> t${b.id}`)
    const dot = await penguin(db, 'task', 'graph', 'g', '--format', 'dot')
    expect(dot.stdout).toContain(`t${a.id} -> t${b.id};`)
    const graph = json<{ edges: Array<{ from: number; to: number }> }>(
      (await penguin(db, 'task', 'graph', 'g', '--format', 'json')).stdout,
    )
    expect(graph.edges).toEqual([{ from: a.id, to: b.id, kind: 'depends_on' }])

    const deleted = await penguin(db, 'project', 'delete', 'g')
    expect(deleted.code).toBe(0)
    expect(json<unknown[]>((await penguin(db, 'project', 'list', '--json')).stdout)).toEqual([])
    expect((await penguin(db, 'task', 'show', String(a.id))).code).toBe(2)
  })

  test('--db overrides PENGUIN_DB', async () => {
    const envDb = await freshDb()
    const flagDb = await freshDb()
    await runPenguin(['project', 'create', 'via-flag', '--db', flagDb], { env: { PENGUIN_DB: envDb } })
    const fromFlag = json<unknown[]>((await penguin(flagDb, 'project', 'list', '--json')).stdout)
    const fromEnv = json<unknown[]>((await penguin(envDb, 'project', 'list', '--json')).stdout)
    expect(fromFlag).toHaveLength(1)
    expect(fromEnv).toHaveLength(0)
  })
})
