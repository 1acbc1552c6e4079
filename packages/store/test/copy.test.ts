/** `copySqliteToPostgres` (penguin db copy): everything moves, ids kept, in one transaction. */
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import {
  copySqliteToPostgres,
  migrateSqlite,
  openPostgresStore,
  openStore,
  StoreError,
} from '../src/index.js'
import { emptyPostgres, tempDir } from './helpers.js'

const text = (value: string) => [{ type: 'text' as const, text: value }]

/** A SQLite installation using every table, with references pointing forward (a later parent). */
function installation(path: string): { token: string } {
  const store = openStore({ path })
  try {
    const project = store.createProject({ name: 'web', workspace: '/w', budgetUsd: 5 })
    const a = store.createTask({ projectId: project.id, title: 'a', acceptanceCriteria: ['ok'] })
    const b = store.createTask({ projectId: project.id, title: 'b', dependsOn: [a.id] })
    store.updateTask(a.id, { parentId: b.id })
    store.transitionTask(a.id, 'in_progress')
    const run = store.startRun({ taskId: a.id, model: 'm' })
    store.finishRun(run.id, { status: 'completed', inputTokens: 10, cacheReadTokens: 4, costUsd: 0.5 })
    const session = store.createSession({ workspace: '/w', projectId: project.id, title: 's' })
    store.appendMessages(session.id, [
      { role: 'user', parts: text('hello') },
      { role: 'assistant', parts: [{ type: 'reasoning', text: 'hm', encrypted: 'opaque==' }, ...text('hi')] },
    ])
    const checkpoint = store.createCheckpoint({ sessionId: session.id, kind: 'turn', commit: 'abc' })
    store.forkSession(session.id, checkpoint.id)
    store.saveMemory({
      scope: 'project:1',
      content: 'the tests run with vitest',
      tags: ['testing'],
      sessionId: session.id,
    })
    const { token } = store.createToken('ci')
    return { token }
  } finally {
    store.close()
  }
}

describe('copying a SQLite installation to PostgreSQL', () => {
  it('moves every row with its id, and the copy reads back the same through the store', async () => {
    const path = join(tempDir(), 'penguin.db')
    const { token } = installation(path)
    const url = await emptyPostgres()
    const result = await copySqliteToPostgres(path, url)
    expect(result.tables).toMatchObject({
      projects: 1,
      tasks: 2,
      task_dependencies: 1,
      runs: 1,
      sessions: 2,
      messages: 4,
    })
    expect(result.tables.events).toBeGreaterThan(5)
    const lite = openStore({ path, readonly: true })
    const post = await openPostgresStore(url)
    try {
      const projectId = lite.listProjects()[0]?.id as number
      expect(await post.listProjects()).toEqual(lite.listProjects())
      expect(await post.getGraph(projectId)).toEqual(lite.getGraph(projectId))
      expect(await post.listRuns()).toEqual(lite.listRuns())
      expect(await post.listEvents()).toEqual(lite.listEvents())
      expect(await post.listSessions()).toEqual(lite.listSessions())
      for (const session of lite.listSessions()) {
        expect(await post.listMessages(session.id)).toEqual(lite.listMessages(session.id))
        expect(await post.listCheckpoints(session.id)).toEqual(lite.listCheckpoints(session.id))
      }
      expect(await post.listMemories(['project:1'])).toEqual(lite.listMemories(['project:1']))
      expect((await post.searchMemories('vitest', { scopes: ['project:1'] }))[0]?.content).toBe(
        'the tests run with vitest',
      )
      expect(await post.listTokens()).toEqual(lite.listTokens())
      expect((await post.verifyToken(token))?.name).toBe('ci')
      expect(await post.usageSummary()).toEqual(lite.usageSummary())
      // New rows continue after the copied ids.
      const next = await post.createTask({ projectId, title: 'c' })
      expect(next.id).toBe(Math.max(...lite.listTasks(projectId).map((t) => t.id)) + 1)
    } finally {
      lite.close()
      await post.close()
    }
  })

  it('refuses a target that already holds data, and leaves both sides as they were', async () => {
    const path = join(tempDir(), 'penguin.db')
    installation(path)
    const url = await emptyPostgres()
    const post = await openPostgresStore(url)
    await post.createProject({ name: 'already here' })
    await post.close()
    const error = await copySqliteToPostgres(path, url).catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(StoreError)
    expect((error as StoreError).code).toBe('conflict')
    expect((error as Error).message).toMatch(/already holds data \(1 projects/)
    const again = await openPostgresStore(url)
    expect((await again.listProjects()).map((p) => p.name)).toEqual(['already here'])
    await again.close()
  })

  it('migrates a SQLite file on request and says how many changes that was', () => {
    const path = join(tempDir(), 'penguin.db')
    const first = migrateSqlite(path)
    expect(first.applied).toBeGreaterThan(5)
    expect(migrateSqlite(path)).toEqual({ applied: 0, path })
  })
})
