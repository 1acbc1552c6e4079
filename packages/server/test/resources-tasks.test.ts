import { describe, expect, it } from 'vitest'
import { harness } from './resources-helpers.js'

async function withProject() {
  const h = await harness()
  const project = (await h.request('POST', '/projects', { name: 'shop' })).body as { id: number }
  const add = async (body: Record<string, unknown>) => {
    const reply = await h.request('POST', `/projects/${project.id}/tasks`, body)
    if (reply.status !== 201) throw new Error(`${reply.status} ${reply.text}`)
    return reply.body as { id: number; [key: string]: unknown }
  }
  return { h, project, add }
}

describe('tasks', () => {
  it('adds, lists, reads, edits and deletes tasks', async () => {
    const { h, project, add } = await withProject()
    const schema = await add({ title: 'schema', priority: 1 })
    const created = await h.request('POST', `/projects/${project.id}/tasks`, {
      title: 'api',
      description: 'GET /users',
      depends_on: [schema.id],
      priority: 2,
      verify_command: 'npm test',
      acceptance_criteria: ['paginated'],
      budget_tokens: 5000,
      budget_usd: 0.5,
    })
    expect(created.status).toBe(201)
    expect(created.body).toMatchObject({
      project_id: project.id,
      parent_id: null,
      title: 'api',
      description: 'GET /users',
      depends_on: [schema.id],
      priority: 2,
      verify_command: 'npm test',
      acceptance_criteria: ['paginated'],
      budget_tokens: 5000,
      budget_usd: 0.5,
      status: 'pending',
      tokens_used: 0,
      result_summary: null,
      failure_reason: null,
      started_at: null,
      finished_at: null,
    })
    const api = created.body
    const sub = await add({ title: 'docs', parent_id: api.id })

    const all = await h.request('GET', `/projects/${project.id}/tasks`)
    expect(all.body.items.map((t: { id: number }) => t.id)).toEqual([schema.id, api.id, sub.id])
    const ready = await h.request('GET', `/projects/${project.id}/tasks?ready=true`)
    expect(ready.body.items.map((t: { id: number }) => t.id)).toEqual([schema.id, sub.id])

    const got = await h.request('GET', `/tasks/${api.id}`)
    expect(got.status).toBe(200)
    expect(got.body).toEqual(api)

    const patched = await h.request('PATCH', `/tasks/${api.id}`, {
      title: 'api v2',
      verify_command: null,
      priority: 5,
      result_summary: 'half way',
    })
    expect(patched.body).toMatchObject({
      title: 'api v2',
      verify_command: null,
      priority: 5,
      result_summary: 'half way',
    })

    expect((await h.request('DELETE', `/tasks/${api.id}`)).status).toBe(204)
    expect((await h.request('GET', `/tasks/${api.id}`)).status).toBe(404)
    // Its subtask moved up to its parent (none).
    expect((await h.request('GET', `/tasks/${sub.id}`)).body.parent_id).toBeNull()
    expect(h.unexpected).toEqual([])
  })

  it('moves tasks through the status table, filtering by status', async () => {
    const { h, project, add } = await withProject()
    const first = await add({ title: 'first' })
    const second = await add({ title: 'second', depends_on: [first.id] })
    const move = (id: number, body: Record<string, unknown>) =>
      h.request('POST', `/tasks/${id}/transition`, body)

    const blocked = await move(second.id, { to: 'in_progress' })
    expect(blocked.status).toBe(422)
    expect(blocked.body.error.details).toMatchObject({ reason: 'dependency_not_done', blockers: [first.id] })

    const invalid = await move(first.id, { to: 'done' })
    expect(invalid.status).toBe(409)
    expect(invalid.body.error).toMatchObject({ code: 'conflict', details: { reason: 'invalid_transition' } })
    expect(invalid.body.error.message).toMatch(/cannot go from pending to done/)

    expect((await move(first.id, { to: 'in_progress' })).body).toMatchObject({ status: 'in_progress' })
    expect(
      (await move(first.id, { to: 'failed', reason: 'verify_failed', summary: 'tests red' })).body,
    ).toMatchObject({
      status: 'failed',
      failure_reason: 'verify_failed',
      result_summary: 'tests red',
    })
    await move(first.id, { to: 'in_progress' })
    const done = await move(first.id, { to: 'done', summary: 'ok' })
    expect(done.body).toMatchObject({ status: 'done', result_summary: 'ok', failure_reason: null })
    expect(done.body.finished_at).toMatch(/T/)

    const byStatus = await h.request('GET', `/projects/${project.id}/tasks?status=done,failed`)
    expect(byStatus.body.items.map((t: { id: number }) => t.id)).toEqual([first.id])
    const ready = await h.request('GET', `/projects/${project.id}/tasks?ready=true`)
    expect(ready.body.items.map((t: { id: number }) => t.id)).toEqual([second.id])

    const badStatus = await h.request('GET', `/projects/${project.id}/tasks?status=done,later`)
    expect(badStatus.status).toBe(400)
    expect(badStatus.body.error.details.issues[0].path).toMatch(/^status/)
    expect((await h.request('GET', `/projects/${project.id}/tasks?ready=maybe`)).status).toBe(400)
    const badTo = await move(second.id, { to: 'finished' })
    expect(badTo.status).toBe(400)
    expect(badTo.body.error.details.issues[0].path).toBe('to')
    expect((await move(999, { to: 'done' })).status).toBe(404)
    expect(h.unexpected).toEqual([])
  })

  it('adds and removes dependencies, refusing cycles', async () => {
    const { h, add } = await withProject()
    const a = await add({ title: 'a' })
    const b = await add({ title: 'b', depends_on: [a.id] })
    const c = await add({ title: 'c' })

    const added = await h.request('POST', `/tasks/${c.id}/dependencies`, { depends_on: b.id })
    expect(added.status).toBe(201)
    expect(added.body.depends_on).toEqual([b.id])

    const cycle = await h.request('POST', `/tasks/${a.id}/dependencies`, { depends_on: c.id })
    expect(cycle.status).toBe(409)
    expect(cycle.body.error.details).toMatchObject({ reason: 'cycle', cycle: [a.id, c.id, b.id, a.id] })

    const removed = await h.request('DELETE', `/tasks/${c.id}/dependencies/${b.id}`)
    expect(removed.status).toBe(200)
    expect(removed.body.depends_on).toEqual([])

    expect((await h.request('POST', `/tasks/${c.id}/dependencies`, { depends_on: 999 })).status).toBe(404)
    expect((await h.request('POST', `/tasks/${c.id}/dependencies`, { depends_on: 'b' })).status).toBe(400)
    expect((await h.request('DELETE', `/tasks/${c.id}/dependencies/x`)).status).toBe(400)
    expect(h.unexpected).toEqual([])
  })

  it('answers bad input with 400 and the failing field paths, unknown ids with 404', async () => {
    const { h, project } = await withProject()
    const invalid = await h.request('POST', `/projects/${project.id}/tasks`, {
      title: '',
      depends_on: [1, -2],
      priority: 1.5,
    })
    expect(invalid.status).toBe(400)
    const paths = invalid.body.error.details.issues.map((issue: { path: string }) => issue.path)
    expect(paths).toEqual(expect.arrayContaining(['title', 'depends_on.1', 'priority']))
    const unknownKey = await h.request('PATCH', '/tasks/1', { status: 'done' })
    expect(unknownKey.status).toBe(400)
    const missingDep = await h.request('POST', `/projects/${project.id}/tasks`, {
      title: 'x',
      depends_on: [999],
    })
    expect(missingDep.status).toBe(404)
    expect((await h.request('POST', '/projects/999/tasks', { title: 'x' })).status).toBe(404)
    expect((await h.request('GET', '/projects/999/tasks')).status).toBe(404)
    expect((await h.request('PATCH', '/tasks/999', { title: 'x' })).status).toBe(404)
    expect((await h.request('DELETE', '/tasks/999')).status).toBe(404)
    expect(h.unexpected).toEqual([])
  })
})
