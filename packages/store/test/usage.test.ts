import { afterEach, describe, expect, it, vi } from 'vitest'
import { type Store, ValidationError } from '../src/index.js'
import { tempStore } from './helpers.js'

afterEach(() => {
  vi.useRealTimers()
})

function spend(
  store: Store,
  projectId: number | null,
  model: string,
  input: number,
  output: number,
  cost: number,
) {
  const run = store.startRun({ projectId, model })
  return store.finishRun(run.id, {
    status: 'completed',
    inputTokens: input,
    outputTokens: output,
    costUsd: cost,
  })
}

function converse(
  store: Store,
  sessionId: string,
  model: string,
  input: number,
  output: number,
  cost: number,
) {
  return store.appendMessages(sessionId, [
    { role: 'user', parts: [{ type: 'text', text: 'do it' }] },
    {
      role: 'assistant',
      parts: [{ type: 'text', text: 'done' }],
      model,
      inputTokens: input,
      outputTokens: output,
      costUsd: cost,
    },
  ])
}

describe('usageSummary', () => {
  it('is all zeros on an empty store', () => {
    const store = tempStore()
    expect(store.usageSummary()).toEqual({
      total: {
        inputTokens: 0,
        outputTokens: 0,
        cacheReadTokens: 0,
        cacheWriteTokens: 0,
        costUsd: 0,
        runs: 0,
      },
      byModel: [],
      byProject: [],
    })
  })

  it('sums project runs and session messages, by model and by project, counting nothing twice', () => {
    const store = tempStore()
    const shop = store.createProject({ name: 'shop' })
    const blog = store.createProject({ name: 'blog' })
    spend(store, shop.id, 'openai/gpt-4o', 1000, 100, 0.5)
    spend(store, blog.id, 'anthropic/claude-sonnet-4-5', 200, 20, 0.1)
    // A task run is also a session: counted once, from its run.
    const task = store.createTask({ projectId: shop.id, title: 'pagination' })
    const run = store.startRun({ projectId: shop.id, taskId: task.id, model: 'openai/gpt-4o' })
    store.finishRun(run.id, { status: 'completed', inputTokens: 300, outputTokens: 30, costUsd: 0.2 })
    const taskSession = store.createSession({
      workspace: '/w',
      model: 'openai/gpt-4o',
      projectId: shop.id,
      title: `task ${task.id}: pagination`,
    })
    converse(store, taskSession.id, 'openai/gpt-4o', 300, 30, 0.2)
    // A plain session, and a session attached to a project by hand.
    const chat = store.createSession({ workspace: '/w', model: 'openai/gpt-4o' })
    converse(store, chat.id, 'openai/gpt-4o', 50, 5, 0.01)
    const attached = store.createSession({ workspace: '/w', model: 'openai/gpt-4o', projectId: blog.id })
    converse(store, attached.id, 'openai/gpt-4o', 10, 1, 0.002)
    // A fork's copied messages were spent by the original.
    store.forkSession(chat.id)

    const summary = store.usageSummary()
    expect(summary.total).toMatchObject({ inputTokens: 1560, outputTokens: 156, runs: 5 })
    expect(summary.total.costUsd).toBeCloseTo(0.812)
    expect(summary.byModel.map((row) => [row.model, row.inputTokens, row.runs])).toEqual([
      ['openai/gpt-4o', 1360, 4],
      ['anthropic/claude-sonnet-4-5', 200, 1],
    ])
    expect(summary.byProject.map((row) => [row.projectId, row.name, row.inputTokens, row.runs])).toEqual([
      [shop.id, 'shop', 1300, 2],
      [blog.id, 'blog', 210, 2],
    ])
    expect(summary.byProject[0]?.costUsd).toBeCloseTo(0.7)
  })

  it('keeps prompt-cache reads and writes apart, in runs, messages, sessions and forks', () => {
    const store = tempStore()
    const run = store.startRun({ model: 'anthropic/claude-sonnet-4-5' })
    const finished = store.finishRun(run.id, {
      status: 'completed',
      inputTokens: 1000,
      outputTokens: 10,
      cacheReadTokens: 900,
      cacheWriteTokens: 80,
      costUsd: 0.01,
    })
    expect(finished).toMatchObject({ cacheReadTokens: 900, cacheWriteTokens: 80 })
    const session = store.createSession({ workspace: '/w', model: 'anthropic/claude-sonnet-4-5' })
    const turn = (read: number, write: number) => ({
      role: 'assistant' as const,
      parts: [{ type: 'text' as const, text: 'ok' }],
      model: 'anthropic/claude-sonnet-4-5',
      inputTokens: read + write + 5,
      outputTokens: 1,
      cacheReadTokens: read,
      cacheWriteTokens: write,
    })
    store.appendMessages(session.id, [{ role: 'user', parts: [{ type: 'text', text: 'go' }] }, turn(0, 500)])
    const [stored] = store.appendMessages(session.id, [turn(500, 40)])
    expect(stored).toMatchObject({ cacheReadTokens: 500, cacheWriteTokens: 40 })
    expect(store.getSession(session.id)).toMatchObject({
      inputTokens: 1050,
      cacheReadTokens: 500,
      cacheWriteTokens: 540,
    })
    const fork = store.forkSession(session.id)
    expect(store.listMessages(fork.id).map((m) => m.cacheReadTokens)).toEqual([0, 0, 500])
    const { total, byModel } = store.usageSummary()
    expect(total).toMatchObject({ inputTokens: 2050, cacheReadTokens: 1400, cacheWriteTokens: 620 })
    expect(byModel[0]).toMatchObject({ model: 'anthropic/claude-sonnet-4-5', cacheReadTokens: 1400 })
    expect(() => store.appendMessages(session.id, [{ ...turn(0, 0), cacheReadTokens: -1 }])).toThrow(
      ValidationError,
    )
  })

  it('counts only what was spent since a time, and rejects a time it cannot read', async () => {
    const store = tempStore()
    // A fake clock puts the cut-off strictly between the two runs.
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(Date.parse('2026-03-01T10:00:00Z'))
    spend(store, null, 'openai/gpt-4o', 100, 10, 0.1)
    const since = new Date(Date.parse('2026-03-01T10:00:05Z')).toISOString()
    vi.setSystemTime(Date.parse('2026-03-01T10:00:10Z'))
    spend(store, null, 'openai/gpt-4o-mini', 7, 1, 0.001)
    expect(store.usageSummary({ since }).total).toMatchObject({ inputTokens: 7, outputTokens: 1, runs: 1 })
    expect(store.usageSummary({ since }).byModel.map((row) => row.model)).toEqual(['openai/gpt-4o-mini'])
    expect(store.usageSummary({}).total.runs).toBe(2)
    expect(() => store.usageSummary({ since: 'yesterday' })).toThrow(ValidationError)
  })

  it('is available on the async store', async () => {
    const store = tempStore()
    spend(store, null, 'openai/gpt-4o', 1, 2, 0)
    await expect(store.async.usageSummary()).resolves.toMatchObject({ total: { runs: 1, outputTokens: 2 } })
  })
})
