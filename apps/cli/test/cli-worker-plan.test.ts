/**
 * A project's plan on a server whose runs execute on workers, through the real CLI on a private
 * PostgreSQL cluster: the plan is made by a worker and answered by the server that was asked; a
 * killed worker's plan is made again and stored once (packages/server/test/queued-plan.test.ts
 * checks the same in process).
 */
import { createGate } from '@penguin-ai/mock-llm'
import { within } from '@penguin-ai/testkit'
import { describe, expect, it } from 'vitest'
import { startQueueingServer, startWorker, useWorkerTests } from './worker-helpers.js'

const { setUp } = useWorkerTests()

describe('planning on a worker', () => {
  it("a plan is made by a worker and answered by the server that was asked; a killed worker's plan is made again, stored once", async () => {
    const plan = {
      tasks: [
        { key: 'schema', title: 'Add the users table', description: 'Create it.' },
        { key: 'api', title: 'Serve GET /users', description: 'Serve them.', depends_on: ['schema'] },
      ],
    }
    const submit = { toolCalls: [{ name: 'submit_plan', arguments: plan }] }
    const held = createGate()
    const { mock, url, repo } = await setUp('worker_plan', {
      script: [{ ...submit, holdUntil: held.promise }, submit, submit],
    })
    // The server's own model endpoint is dead: only a worker can have asked the model.
    const { server, api, post } = await startQueueingServer(url, repo, 'http://127.0.0.1:9')
    const project = (await (await post('/projects', { name: 'users', workspace: repo })).json()) as {
      id: number
    }
    const asked = post(`/projects/${project.id}/plan`, { spec: 'a users API' })
    const first = await startWorker(url, repo, mock.url)
    await within(mock.waitForRequests(1), 'the first worker to ask the model for the plan')
    first.child.kill('SIGKILL')
    await first.exited
    // Its lease expires; the second worker plans again and the asked server stores the plan once.
    const second = await startWorker(url, repo, mock.url, ['--heartbeat', '2'])
    const planned = await asked
    held.open()
    expect(planned.status, second.output()).toBe(200)
    const body = (await planned.json()) as { dry_run: boolean; plan: unknown[]; tasks: { title: string }[] }
    expect(body).toMatchObject({ dry_run: false, plan: [{ key: 'schema' }, { key: 'api' }] })
    const tasks = (await (await api(`/projects/${project.id}/tasks`)).json()) as {
      items: { title: string }[]
    }
    expect(tasks.items.map((task) => task.title)).toEqual(['Add the users table', 'Serve GET /users'])
    expect(body.tasks.map((task) => task.title)).toEqual(tasks.items.map((task) => task.title))

    // A dry run is planned the same way and stores nothing.
    const preview = await post(`/projects/${project.id}/plan`, { spec: 'a users API', dry_run: true })
    expect(preview.status).toBe(200)
    expect(await preview.json()).toMatchObject({
      dry_run: true,
      tasks: [],
      plan: [{ key: 'schema' }, { key: 'api' }],
    })
    expect(((await (await api(`/projects/${project.id}/tasks`)).json()) as { items: [] }).items).toHaveLength(
      2,
    )
    expect(mock.requests.filter((r) => r.body)).toHaveLength(3)

    second.child.kill('SIGTERM')
    server.child.kill('SIGTERM')
    expect((await second.exited).code, second.output()).toBe(0)
    expect((await server.exited).code, server.output()).toBe(0)
  }, 240_000)
})
