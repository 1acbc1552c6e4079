import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { harness } from './resources-helpers.js'

describe('projects', () => {
  it('creates, lists, reads, edits and deletes projects', async () => {
    const h = await harness()
    const created = await h.request('POST', '/projects', {
      name: 'shop',
      description: 'an online shop',
      workspace: h.workspace,
      budget_usd: 5,
      budget_tokens: 100_000,
    })
    expect(created.status).toBe(201)
    expect(created.body).toMatchObject({
      name: 'shop',
      description: 'an online shop',
      status: 'active',
      budget_usd: 5,
      budget_tokens: 100_000,
      budget_seconds: null,
      tokens_used: 0,
      cost_usd: 0,
      task_counts: {},
      running: false,
      active_project_run_id: null,
    })
    expect(created.body.workspace).toMatch(/repo$/)
    expect(created.body.created_at).toMatch(/^\d{4}-\d\d-\d\dT/)
    const id = created.body.id as number

    // A relative workspace is taken from the root; none at all is allowed (null).
    const other = await h.request('POST', '/projects', { name: 'blog', workspace: 'repo' })
    expect(other.body.workspace).toBe(created.body.workspace)
    expect((await h.request('POST', '/projects', { name: 'bare' })).body.workspace).toBeNull()

    const list = await h.request('GET', '/projects')
    expect(list.status).toBe(200)
    expect(list.body.items.map((p: { name: string }) => p.name)).toEqual(['shop', 'blog', 'bare'])

    await h.request('POST', `/projects/${id}/tasks`, { title: 'one' })
    const got = await h.request('GET', `/projects/${id}`)
    expect(got.body).toMatchObject({ id, name: 'shop', task_counts: { pending: 1 } })

    const patched = await h.request('PATCH', `/projects/${id}`, {
      status: 'paused',
      budget_usd: null,
      description: 'renamed',
      name: 'shop2',
    })
    expect(patched.status).toBe(200)
    expect(patched.body).toMatchObject({
      status: 'paused',
      budget_usd: null,
      description: 'renamed',
      name: 'shop2',
    })

    expect((await h.request('DELETE', `/projects/${id}`)).status).toBe(204)
    expect((await h.request('GET', `/projects/${id}`)).status).toBe(404)
    expect(h.store.getProject(id)).toBeUndefined()
    expect(h.unexpected).toEqual([])
  })

  it('answers every failure with the documented status and error body', async () => {
    const h = await harness()
    const first = await h.request('POST', '/projects', { name: 'shop', workspace: h.workspace })

    const invalid = await h.request('POST', '/projects', { name: '', budget_usd: -1, extra: true })
    expect(invalid.status).toBe(400)
    expect(invalid.body.error.code).toBe('invalid_request')
    const paths = invalid.body.error.details.issues.map((issue: { path: string }) => issue.path)
    expect(paths).toEqual(expect.arrayContaining(['name', 'budget_usd']))
    expect((await h.request('POST', '/projects', { name: '42' })).body.error.details.issues[0].path).toBe(
      'name',
    )
    expect((await h.request('POST', '/projects', '{not json')).status).toBe(400)

    const taken = await h.request('POST', '/projects', { name: 'shop' })
    expect(taken.status).toBe(409)
    expect(taken.body.error.code).toBe('conflict')

    const outside = await h.request('POST', '/projects', { name: 'x', workspace: join(h.root, '..') })
    expect(outside.status).toBe(403)
    expect(outside.body.error.code).toBe('forbidden')
    const missing = await h.request('POST', '/projects', { name: 'x', workspace: 'nope' })
    expect(missing.status).toBe(400)
    expect(missing.body.error.details.issues[0].path).toBe('workspace')

    const unknown = await h.request('GET', '/projects/999')
    expect(unknown.status).toBe(404)
    expect(unknown.body.error).toMatchObject({ code: 'not_found', message: 'project 999 not found' })
    expect((await h.request('GET', '/projects/abc')).status).toBe(400)
    expect((await h.request('PATCH', '/projects/999', { status: 'paused' })).status).toBe(404)
    const badStatus = await h.request('PATCH', `/projects/${first.body.id}`, { status: 'sleeping' })
    expect(badStatus.status).toBe(400)
    expect(badStatus.body.error.details.issues[0].path).toBe('status')
    expect((await h.request('DELETE', '/projects/999')).status).toBe(404)
    expect((await h.request('GET', '/nothing/here')).status).toBe(404)
    expect(h.unexpected).toEqual([])
  })

  it('draws the task graph as JSON, Mermaid and DOT', async () => {
    const h = await harness()
    const project = (await h.request('POST', '/projects', { name: 'g' })).body
    const a = (await h.request('POST', `/projects/${project.id}/tasks`, { title: 'schema' })).body
    const b = (await h.request('POST', `/projects/${project.id}/tasks`, { title: 'api', depends_on: [a.id] }))
      .body
    const c = (await h.request('POST', `/projects/${project.id}/tasks`, { title: 'sub', parent_id: b.id }))
      .body

    const json = await h.request('GET', `/projects/${project.id}/graph`)
    expect(json.status).toBe(200)
    expect(json.body.nodes).toEqual([
      { id: a.id, title: 'schema', status: 'pending', parent_id: null, depends_on: [] },
      { id: b.id, title: 'api', status: 'pending', parent_id: null, depends_on: [a.id] },
      { id: c.id, title: 'sub', status: 'pending', parent_id: b.id, depends_on: [] },
    ])
    expect(json.body.edges).toEqual([
      { from: a.id, to: b.id, kind: 'depends_on' },
      { from: c.id, to: b.id, kind: 'parent' },
    ])

    const mermaid = await h.request('GET', `/projects/${project.id}/graph?format=mermaid`)
    expect(mermaid.headers.get('content-type')).toMatch(/^text\/plain/)
    expect(mermaid.text).toContain('flowchart TD')
    expect(mermaid.text).toContain(`t${a.id} --> t${b.id}`)
    const dot = await h.request('GET', `/projects/${project.id}/graph?format=dot`)
    expect(dot.text).toMatch(/^digraph project \{/)
    expect(dot.text).toContain(`t${a.id} -> t${b.id};`)

    const bad = await h.request('GET', `/projects/${project.id}/graph?format=svg`)
    expect(bad.status).toBe(400)
    expect(bad.body.error.details.issues[0].path).toBe('format')
    expect((await h.request('GET', '/projects/999/graph')).status).toBe(404)
  })
})
