/**
 * The store's changes on the event stream (issue 21): a project or task edited by one client reaches
 * every client of `/api/v1/events` under the store's change type, with the record as the API shows
 * it; a session's own stream keeps to its runs' events.
 */
import { describe, expect, it } from 'vitest'
import { allEvents, createSession, postMessage, sessionEvents, startTestServer } from './helpers.js'
import type { SseEvent } from './sse-client.js'

describe('store changes on the event stream', () => {
  it('streams project, task and dependency changes; none on a session stream', async () => {
    const t = await startTestServer({ script: [{ text: 'hello' }] })
    const all = await allEvents(t)
    const project = (await (
      await t.api('/api/v1/projects', { method: 'POST', json: { name: 'shop' } })
    ).json()) as {
      id: number
    }
    const add = async (title: string) =>
      (await (
        await t.api(`/api/v1/projects/${project.id}/tasks`, { method: 'POST', json: { title } })
      ).json()) as { id: number }
    const schema = await add('schema')
    const api = await add('api')
    expect(
      (
        await t.api(`/api/v1/tasks/${api.id}/dependencies`, {
          method: 'POST',
          json: { depends_on: schema.id },
        })
      ).status,
    ).toBeLessThan(300)
    const edited = await t.api(`/api/v1/tasks/${schema.id}`, {
      method: 'PATCH',
      json: { title: 'schema v2' },
    })
    const shown = await edited.json()
    const seen = await all.collect((event) => event.event === 'task.updated')
    expect(seen.map((event) => event.event)).toEqual([
      'project.created',
      'task.created',
      'task.created',
      'dependency.added',
      'task.updated',
    ])
    expect(seen.at(-1)?.data).toMatchObject({ project_id: project.id, task_id: schema.id, task: shown })
    expect(seen.at(-1)?.data.change_id).toEqual(expect.any(Number))
    expect(seen[3]?.data).toMatchObject({ task_id: api.id, depends_on: schema.id })

    // A session's run on both streams: the same run events, and no store change on either.
    const session = await createSession(t)
    const own = await sessionEvents(t, session.id)
    await postMessage(t, session.id, { content: 'hi' })
    const finished = (event: SseEvent) => event.event === 'run.finished'
    const run = await own.collect(finished)
    const runOnAll = await all.collect(finished)
    own.close()
    all.close()
    expect(runOnAll.map((event) => event.id)).toEqual(run.map((event) => event.id))
    expect(run.every((event) => event.data.change_id === undefined)).toBe(true)
  })
})
