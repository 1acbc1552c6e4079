/**
 * The async store on both backends: every operation, its errors, its events and transactions, run
 * against SQLite (`store.async`) and PostgreSQL (`openPostgresStore`, a private cluster started by
 * test/postgres-setup.ts) with the same expectations.
 */
import { describe, expect, it } from 'vitest'
import {
  type AsyncStore,
  ConflictError,
  CycleError,
  DependencyNotDoneError,
  InvalidTransitionError,
  NotFoundError,
  PlanError,
  type RecordedChange,
  ValidationError,
} from '../src/index.js'
import { BACKENDS, openBackend } from './helpers.js'

async function withProject(backend: (typeof BACKENDS)[number]) {
  const db = await openBackend(backend)
  const projectId = (await db.createProject({ name: 'web', workspace: '/w' })).id
  const emitted: RecordedChange[] = []
  db.subscribe((event) => emitted.push(event))
  return { db, projectId, emitted }
}

const text = (value: string) => [{ type: 'text' as const, text: value }]

describe.each(BACKENDS)('the %s store', (backend) => {
  it('keeps projects: create, find, update, usage, delete', async () => {
    const { db, projectId, emitted } = await withProject(backend)
    await expect(db.createProject({ name: 'web' })).rejects.toBeInstanceOf(ConflictError)
    await expect(db.createProject({ name: '42' })).rejects.toBeInstanceOf(ValidationError)
    expect((await db.requireProject('web')).id).toBe(projectId)
    expect((await db.requireProject(String(projectId))).name).toBe('web')
    await expect(db.requireProject(9999)).rejects.toBeInstanceOf(NotFoundError)
    expect(await db.getProject(2 ** 40)).toBeUndefined()
    const updated = await db.updateProject(projectId, {
      description: 'the site',
      budgetUsd: 2.5,
      status: 'paused',
    })
    expect(updated).toMatchObject({ description: 'the site', budgetUsd: 2.5, status: 'paused' })
    const spent = await db.addProjectUsage(projectId, { tokens: 3_000_000_000, costUsd: 0.25, seconds: 1.5 })
    expect(spent).toMatchObject({ tokensUsed: 3_000_000_000, costUsd: 0.25, secondsUsed: 1.5 })
    expect(typeof spent.createdAt).toBe('string')
    expect(await db.listProjects()).toEqual([spent])
    await db.deleteProject(projectId)
    expect(await db.findProjectByName('web')).toBeUndefined()
    expect(emitted.map((e) => e.type)).toEqual(['project.updated', 'project.updated', 'project.deleted'])
  })

  it('keeps task graphs: dependencies, readiness, transitions, plans', async () => {
    const { db, projectId, emitted } = await withProject(backend)
    const a = await db.createTask({ projectId, title: 'a', acceptanceCriteria: ['works'], priority: 1 })
    const b = await db.createTask({ projectId, title: 'b', dependsOn: [a.id] })
    const c = await db.createTask({ projectId, title: 'c', parentId: a.id })
    expect(b.dependsOn).toEqual([a.id])
    expect(a.acceptanceCriteria).toEqual(['works'])
    expect((await db.readyTasks(projectId)).map((t) => t.id)).toEqual([a.id, c.id])
    expect((await db.nextReadyTask(projectId))?.id).toBe(a.id)
    expect((await db.listTasks(projectId, { ready: true, parentId: null })).map((t) => t.id)).toEqual([a.id])
    await expect(db.addDependency(a.id, b.id)).rejects.toBeInstanceOf(CycleError)
    await expect(db.addDependency(a.id, a.id)).rejects.toBeInstanceOf(ValidationError)
    await expect(db.transitionTask(b.id, 'in_progress')).rejects.toBeInstanceOf(DependencyNotDoneError)
    await expect(db.transitionTask(a.id, 'done')).rejects.toBeInstanceOf(InvalidTransitionError)
    await expect(db.updateTask(a.id, { parentId: c.id })).rejects.toBeInstanceOf(ValidationError)
    const started = await db.transitionTask(a.id, 'in_progress')
    expect(started.startedAt).not.toBeNull()
    expect((await db.resetStaleTasks(projectId)).map((t) => t.status)).toEqual(['pending'])
    await db.transitionTask(a.id, 'in_progress')
    const done = await db.transitionTask(a.id, 'done', { summary: 'did it' })
    expect(done).toMatchObject({ status: 'done', resultSummary: 'did it' })
    expect(done.finishedAt).not.toBeNull()
    expect((await db.readyTasks(projectId)).map((t) => t.id)).toEqual([b.id, c.id])
    expect((await db.getDependencies(b.id)).map((t) => t.id)).toEqual([a.id])
    expect((await db.getDependents(a.id)).map((t) => t.id)).toEqual([b.id])
    expect((await db.addTaskUsage(b.id, { tokens: 10, costUsd: 0.5 })).tokensUsed).toBe(10)
    expect(await db.getGraph(projectId)).toEqual({
      tasks: await db.listTasks(projectId),
      edges: [{ from: a.id, to: b.id }],
    })
    await db.removeDependency(b.id, a.id)
    expect((await db.requireTask(b.id)).dependsOn).toEqual([])
    await db.deleteTask(a.id)
    expect((await db.requireTask(c.id)).parentId).toBeNull()
    await expect(
      db.createPlan(projectId, [{ key: 'x', title: 'X', depends_on: ['nope'] }]),
    ).rejects.toBeInstanceOf(PlanError)
    const plan = await db.createPlan(projectId, [
      { key: 'child', title: 'Child', parent: 'parent', depends_on: ['first'] },
      { key: 'parent', title: 'Parent' },
      { key: 'first', title: 'First', acceptance_criteria: ['ok'] },
    ])
    expect(plan.map((t) => t.title)).toEqual(['Child', 'Parent', 'First'])
    expect(plan[0]?.parentId).toBe(plan[1]?.id)
    expect(plan[0]?.dependsOn).toEqual([plan[2]?.id])
    expect(await db.validatePlan([{ key: 'k', title: '' }])).not.toEqual([])
    const types = emitted.map((e) => e.type)
    expect(types.slice(0, 3)).toEqual(['task.created', 'task.created', 'task.created'])
    expect(types).toContain('dependency.removed')
    expect(types.at(-1)).toBe('task.created')
  })

  it('records runs, the change log and usage', async () => {
    const { db, projectId } = await withProject(backend)
    const task = await db.createTask({ projectId, title: 't' })
    const run = await db.startRun({ taskId: task.id, model: 'openai/gpt-x' })
    expect(run).toMatchObject({ projectId, taskId: task.id, status: 'running', cacheReadTokens: 0 })
    const finished = await db.finishRun(run.id, {
      status: 'completed',
      inputTokens: 100,
      outputTokens: 20,
      cacheReadTokens: 40,
      cacheWriteTokens: 5,
      costUsd: 0.01,
      turns: 2,
      finalText: 'ok',
    })
    expect(finished).toMatchObject({ status: 'completed', inputTokens: 100, cacheReadTokens: 40, turns: 2 })
    await expect(db.finishRun(run.id, { status: 'failed' })).rejects.toBeInstanceOf(ValidationError)
    expect(await db.getRun(run.id)).toEqual(finished)
    expect(await db.listRuns({ projectId })).toEqual([finished])
    const session = await db.createSession({ workspace: '/w', model: 'anthropic/claude' })
    await db.appendMessages(session.id, [
      { role: 'user', parts: text('hi') },
      { role: 'assistant', parts: text('hello'), inputTokens: 7, outputTokens: 3, costUsd: 0.002 },
    ])
    const usage = await db.usageSummary()
    expect(usage.total).toEqual({
      inputTokens: 107,
      outputTokens: 23,
      cacheReadTokens: 40,
      cacheWriteTokens: 5,
      costUsd: 0.012,
      runs: 2,
    })
    expect(usage.byModel.map((m) => [m.model, m.runs])).toEqual([
      ['openai/gpt-x', 1],
      ['anthropic/claude', 1],
    ])
    expect(usage.byProject).toEqual([
      expect.objectContaining({ projectId, name: 'web', inputTokens: 100, runs: 1 }),
    ])
    expect((await db.usageSummary({ since: '2999-01-01T00:00:00Z' })).total.runs).toBe(0)
    await expect(db.usageSummary({ since: 'yesterday' })).rejects.toBeInstanceOf(ValidationError)
    const log = await db.listEvents({ projectId })
    expect(log.map((e) => e.type)).toEqual(['project.created', 'task.created', 'run.started', 'run.finished'])
    expect(await db.listEvents({ projectId, afterId: log[2]?.id, limit: 1 })).toEqual([log[3]])
    expect(log[1]?.data).toMatchObject({ task: { title: 't' } })
  })

  it('keeps sessions: messages, checkpoints, restore, fork, delete', async () => {
    const { db, projectId, emitted } = await withProject(backend)
    const session = await db.createSession({ workspace: '/w/app', projectId, title: 'fix it', model: 'm' })
    expect(session).toMatchObject({ messageCount: 0, inputTokens: 0, cacheWriteTokens: 0, parentId: null })
    const stored = await db.appendMessages(session.id, [
      { role: 'user', parts: text('u1') },
      {
        role: 'assistant',
        parts: [
          { type: 'reasoning', text: 'think', signature: 'sig' },
          { type: 'tool_call', id: 'c1', name: 'read_file', arguments: '{"path":"a"}' },
        ],
        inputTokens: 5,
        cacheReadTokens: 2,
      },
      {
        role: 'tool',
        parts: [
          {
            type: 'tool_result',
            toolCallId: 'c1',
            name: 'read_file',
            content: 'A',
            isError: false,
            details: { kind: 'x' },
          },
        ],
      },
    ])
    expect(stored.map((m) => m.role)).toEqual(['user', 'assistant', 'tool'])
    expect(stored[1]?.parts[0]).toEqual({ type: 'reasoning', text: 'think', signature: 'sig' })
    await expect(db.appendMessages(session.id, [{ role: 'user', parts: [] }])).rejects.toBeInstanceOf(
      ValidationError,
    )
    expect((await db.requireSession(session.id.slice(4, 12))).id).toBe(session.id)
    await expect(db.requireSession('ses_')).rejects.toBeInstanceOf(NotFoundError)
    const first = await db.createCheckpoint({
      sessionId: session.id,
      kind: 'turn',
      commit: 'c1',
      label: 'one',
    })
    expect(first).toMatchObject({ messageCount: 3, messages: [[stored[0]?.id, stored[2]?.id]] })
    await db.appendMessages(session.id, [{ role: 'user', parts: text('u2') }])
    expect((await db.getSession(session.id))?.messageCount).toBe(4)
    const restored = await db.restoreConversation(first.id)
    expect(restored.messageCount).toBe(3)
    expect((await db.listMessages(session.id)).map((m) => m.id)).toEqual(stored.map((m) => m.id))
    expect((await db.restoreConversation(first.id, { keep: 1 })).messageCount).toBe(1)
    await db.restoreConversation(first.id)
    const fork = await db.forkSession(session.id, first.id)
    expect(fork).toMatchObject({
      parentId: session.id,
      forkedFromCheckpointId: first.id,
      title: 'fix it (fork)',
    })
    expect((await db.listMessages(fork.id)).map((m) => m.parts)).toEqual(stored.map((m) => m.parts))
    const second = await db.createCheckpoint({ sessionId: session.id, kind: 'manual', commit: 'c2' })
    expect((await db.listCheckpoints(session.id)).map((c) => c.id)).toEqual([second.id, first.id])
    expect(await db.liveCheckpointCommits()).toEqual(['c1', 'c2'])
    expect((await db.pruneCheckpoints(session.id, { maxCount: 1 })).map((c) => c.id)).toEqual([first.id])
    expect((await db.listSessions()).map((s) => s.id)).toEqual([fork.id, session.id])
    expect((await db.listSessions({ under: '/w' })).length).toBe(2)
    expect(await db.listSessions({ under: '/w/ap' })).toEqual([])
    expect((await db.listSessions({ projectId, limit: 1 })).map((s) => s.id)).toEqual([fork.id])
    expect((await db.latestSession('/w/app'))?.id).toBe(fork.id)
    expect((await db.updateSession(session.id, { title: 'renamed' })).title).toBe('renamed')
    expect(await db.deleteSession(session.id)).toEqual({ commits: ['c2'] })
    await expect(db.requireCheckpoint(second.id)).rejects.toBeInstanceOf(NotFoundError)
    expect((await db.requireSession(fork.id)).parentId).toBeNull()
    expect(emitted.map((e) => e.type)).toContain('session.restored')
    expect(emitted.at(-1)?.type).toBe('session.deleted')
  })

  it('finds memories by their words, best first, within scopes', async () => {
    const db = await openBackend(backend)
    const session = await db.createSession({ workspace: '/w' })
    await db.saveMemory({ scope: 'project:1', content: 'The tests run with vitest', tags: ['testing'] })
    const deploy = await db.saveMemory({
      scope: 'project:1',
      content: 'Deploys go through the staging cluster',
    })
    await db.saveMemory({ scope: 'project:2', content: 'vitest is also used here', sessionId: session.id })
    const hits = await db.searchMemories('how do I run the tests?', { scopes: ['project:1'] })
    expect(hits.map((hit) => hit.content)).toEqual(['The tests run with vitest'])
    expect(hits[0]?.snippet).toContain('«')
    expect(typeof hits[0]?.rank).toBe('number')
    const both = await db.searchMemories('vitest', { scopes: ['project:1', 'project:2'] })
    expect(both).toHaveLength(2)
    await expect(db.searchMemories('?!', { scopes: ['project:1'] })).rejects.toBeInstanceOf(ValidationError)
    await expect(db.saveMemory({ scope: 'x', content: 'y', sessionId: 'ses_none' })).rejects.toBeInstanceOf(
      NotFoundError,
    )
    expect((await db.listMemories(['project:1'])).map((m) => m.id)[0]).toBe(deploy.id)
    expect(await db.listMemories(['project:1'], 1)).toHaveLength(1)
    await db.deleteMemory(deploy.id)
    await expect(db.deleteMemory(deploy.id)).rejects.toBeInstanceOf(NotFoundError)
  })

  it('keeps API tokens as hashes: create, verify, provision, revoke', async () => {
    const db = await openBackend(backend)
    const { token, record } = await db.createToken('ci')
    expect(token).toMatch(/^pgn_[0-9A-Za-z]{32}$/)
    await expect(db.createToken('ci')).rejects.toBeInstanceOf(ConflictError)
    const verified = await db.verifyToken(token)
    expect(verified).toMatchObject({ id: record.id, name: 'ci', revokedAt: null })
    expect(verified?.lastUsedAt).not.toBeNull()
    expect(await db.verifyToken('pgn_wrong')).toBeUndefined()
    const provisioned = await db.provisionToken('PENGUIN_SERVE_TOKEN', 'a-long-enough-secret')
    expect(await db.provisionToken('PENGUIN_SERVE_TOKEN', 'a-long-enough-secret')).toEqual(provisioned)
    await expect(db.provisionToken('short', 'tiny')).rejects.toBeInstanceOf(ValidationError)
    expect((await db.verifyToken('a-long-enough-secret'))?.name).toBe('PENGUIN_SERVE_TOKEN')
    const rotated = await db.provisionToken('PENGUIN_SERVE_TOKEN', 'another-long-secret')
    expect(await db.verifyToken('a-long-enough-secret')).toBeUndefined()
    expect(rotated.id).toBe(provisioned.id)
    expect((await db.revokeToken('ci')).revokedAt).not.toBeNull()
    expect(await db.verifyToken(token)).toBeUndefined()
    expect((await db.listTokens()).map((t) => t.name)).toEqual(['ci', 'PENGUIN_SERVE_TOKEN'])
    await expect(db.revokeToken('nobody')).rejects.toBeInstanceOf(NotFoundError)
  })

  it('commits a transaction and emits its events after the commit; rolls back a failed one', async () => {
    const { db, projectId, emitted } = await withProject(backend)
    const id = await db.transaction(async (tx) => {
      const a = await tx.createTask({ projectId, title: 'a' })
      await new Promise((resolve) => setImmediate(resolve))
      await tx.transitionTask(a.id, 'in_progress')
      expect(emitted).toEqual([])
      await expect(
        tx.transaction(async (inner) => {
          await inner.createTask({ projectId, title: 'dropped' })
          throw new Error('inner')
        }),
      ).rejects.toThrow('inner')
      // A failed operation inside the transaction leaves the transaction usable.
      await expect(tx.createProject({ name: 'web' })).rejects.toBeInstanceOf(ConflictError)
      await tx.transaction(async (inner) => {
        await inner.createTask({ projectId, title: 'nested' })
      })
      return a.id
    })
    expect((await db.requireTask(id)).status).toBe('in_progress')
    expect((await db.listTasks(projectId)).map((t) => t.title)).toEqual(['a', 'nested'])
    expect(emitted.map((e) => e.type)).toEqual(['task.created', 'task.status_changed', 'task.created'])
    let escaped: AsyncStore | undefined
    await expect(
      db.transaction(async (tx) => {
        escaped = tx
        await tx.createTask({ projectId, title: 'lost' })
        throw new Error('boom')
      }),
    ).rejects.toThrow('boom')
    expect((await db.listTasks(projectId)).map((t) => t.title)).toEqual(['a', 'nested'])
    expect(emitted).toHaveLength(3)
    await expect(escaped?.listTasks(projectId)).rejects.toThrow(/already finished/)
  })

  it('closes: operations afterwards fail with a store error', async () => {
    const db = await openBackend(backend)
    await db.close()
    await expect(db.listProjects()).rejects.toMatchObject({ code: 'database' })
  })
})
