import { afterEach, describe, expect, it, vi } from 'vitest'
import { ValidationError } from '../src/index.js'
import { BACKENDS, type BackendStore, openBackend } from './helpers.js'

afterEach(() => {
  vi.useRealTimers()
})

async function spend(
  store: BackendStore,
  projectId: number | null,
  model: string,
  input: number,
  output: number,
  cost: number,
) {
  const run = await store.startRun({ projectId, model })
  return await store.finishRun(run.id, {
    status: 'completed',
    inputTokens: input,
    outputTokens: output,
    costUsd: cost,
  })
}

async function converse(
  store: BackendStore,
  sessionId: string,
  model: string,
  input: number,
  output: number,
  cost: number,
) {
  return await store.appendMessages(sessionId, [
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

describe.each(BACKENDS)('usageSummary (%s)', (backend) => {
  it('is all zeros on an empty store', async () => {
    const store = await openBackend(backend)
    expect(await store.usageSummary()).toEqual({
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

  it('sums project runs and session messages, by model and by project, counting nothing twice', async () => {
    const store = await openBackend(backend)
    const shop = await store.createProject({ name: 'shop' })
    const blog = await store.createProject({ name: 'blog' })
    await spend(store, shop.id, 'openai/gpt-4o', 1000, 100, 0.5)
    await spend(store, blog.id, 'anthropic/claude-sonnet-4-5', 200, 20, 0.1)
    // A task run is also a session: counted once, from its run.
    const task = await store.createTask({ projectId: shop.id, title: 'pagination' })
    const run = await store.startRun({ projectId: shop.id, taskId: task.id, model: 'openai/gpt-4o' })
    await store.finishRun(run.id, { status: 'completed', inputTokens: 300, outputTokens: 30, costUsd: 0.2 })
    const taskSession = await store.createSession({
      workspace: '/w',
      model: 'openai/gpt-4o',
      projectId: shop.id,
      title: `task ${task.id}: pagination`,
    })
    await converse(store, taskSession.id, 'openai/gpt-4o', 300, 30, 0.2)
    // A plain session, and a session attached to a project by hand.
    const chat = await store.createSession({ workspace: '/w', model: 'openai/gpt-4o' })
    await converse(store, chat.id, 'openai/gpt-4o', 50, 5, 0.01)
    const attached = await store.createSession({
      workspace: '/w',
      model: 'openai/gpt-4o',
      projectId: blog.id,
    })
    await converse(store, attached.id, 'openai/gpt-4o', 10, 1, 0.002)
    // A fork's copied messages were spent by the original.
    await store.forkSession(chat.id)

    const summary = await store.usageSummary()
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

  it('keeps prompt-cache reads and writes apart, in runs, messages, sessions and forks', async () => {
    const store = await openBackend(backend)
    const run = await store.startRun({ model: 'anthropic/claude-sonnet-4-5' })
    const finished = await store.finishRun(run.id, {
      status: 'completed',
      inputTokens: 1000,
      outputTokens: 10,
      cacheReadTokens: 900,
      cacheWriteTokens: 80,
      costUsd: 0.01,
    })
    expect(finished).toMatchObject({ cacheReadTokens: 900, cacheWriteTokens: 80 })
    const session = await store.createSession({ workspace: '/w', model: 'anthropic/claude-sonnet-4-5' })
    const turn = (read: number, write: number) => ({
      role: 'assistant' as const,
      parts: [{ type: 'text' as const, text: 'ok' }],
      model: 'anthropic/claude-sonnet-4-5',
      inputTokens: read + write + 5,
      outputTokens: 1,
      cacheReadTokens: read,
      cacheWriteTokens: write,
    })
    await store.appendMessages(session.id, [
      { role: 'user', parts: [{ type: 'text', text: 'go' }] },
      turn(0, 500),
    ])
    const [stored] = await store.appendMessages(session.id, [turn(500, 40)])
    expect(stored).toMatchObject({ cacheReadTokens: 500, cacheWriteTokens: 40 })
    expect(await store.getSession(session.id)).toMatchObject({
      inputTokens: 1050,
      cacheReadTokens: 500,
      cacheWriteTokens: 540,
    })
    const fork = await store.forkSession(session.id)
    expect((await store.listMessages(fork.id)).map((m) => m.cacheReadTokens)).toEqual([0, 0, 500])
    const { total, byModel } = await store.usageSummary()
    expect(total).toMatchObject({ inputTokens: 2050, cacheReadTokens: 1400, cacheWriteTokens: 620 })
    expect(byModel[0]).toMatchObject({ model: 'anthropic/claude-sonnet-4-5', cacheReadTokens: 1400 })
    await expect(store.appendMessages(session.id, [{ ...turn(0, 0), cacheReadTokens: -1 }])).rejects.toThrow(
      ValidationError,
    )
  })

  it('counts only what was spent since a time, and rejects a time it cannot read', async () => {
    const store = await openBackend(backend)
    // A fake clock puts the cut-off strictly between the two runs.
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(Date.parse('2026-03-01T10:00:00Z'))
    await spend(store, null, 'openai/gpt-4o', 100, 10, 0.1)
    const since = new Date(Date.parse('2026-03-01T10:00:05Z')).toISOString()
    vi.setSystemTime(Date.parse('2026-03-01T10:00:10Z'))
    await spend(store, null, 'openai/gpt-4o-mini', 7, 1, 0.001)
    expect((await store.usageSummary({ since })).total).toMatchObject({
      inputTokens: 7,
      outputTokens: 1,
      runs: 1,
    })
    expect((await store.usageSummary({ since })).byModel.map((row) => row.model)).toEqual([
      'openai/gpt-4o-mini',
    ])
    expect((await store.usageSummary({})).total.runs).toBe(2)
    await expect(store.usageSummary({ since: 'yesterday' })).rejects.toThrow(ValidationError)
  })

  it('under a root: sessions and project runs whose workspace lies there (the server --root)', async () => {
    const store = await openBackend(backend)
    const here = await store.createProject({ name: 'here', workspace: '/srv/root/app' })
    const away = await store.createProject({ name: 'away', workspace: '/srv/root-other' })
    const nowhere = await store.createProject({ name: 'nowhere' })
    await spend(store, here.id, 'openai/gpt-4o', 1, 0, 0.1)
    await spend(store, away.id, 'openai/gpt-4o', 10, 0, 1)
    await spend(store, nowhere.id, 'openai/gpt-4o', 100, 0, 0)
    for (const [workspace, input] of [
      ['/srv/root', 1000],
      ['/srv/root/deep/er', 10_000],
      ['/srv/root-other', 100_000],
      ['/elsewhere', 1_000_000],
    ] as const) {
      const session = await store.createSession({ workspace })
      await converse(store, session.id, 'anthropic/claude-sonnet-4-5', input, 0, 0)
    }
    const rooted = await store.usageSummary({ under: '/srv/root/' })
    expect(rooted.total).toMatchObject({ inputTokens: 11_101, runs: 4 })
    expect(rooted.byProject.map((project) => project.name).sort()).toEqual(['here', 'nowhere'])
    expect(rooted.byModel.map((model) => [model.model, model.inputTokens])).toEqual([
      ['openai/gpt-4o', 101],
      ['anthropic/claude-sonnet-4-5', 11_000],
      ['unknown', 0], // the prompts: sessions created without a model
    ])
    // `/` keeps everything, as no filter does.
    expect(await store.usageSummary({ under: '/' })).toEqual(await store.usageSummary())
    expect((await store.usageSummary()).total.inputTokens).toBe(1_111_111)
  })

  it('is available on the async store', async () => {
    const store = await openBackend(backend)
    await spend(store, null, 'openai/gpt-4o', 1, 2, 0)
    await expect(store.usageSummary()).resolves.toMatchObject({ total: { runs: 1, outputTokens: 2 } })
  })
})
