/**
 * `POST /projects/{id}/plan` on servers sharing a PostgreSQL database (a private cluster for this
 * file): the plan is made by a worker and the route keeps its synchronous contract — the refusal a
 * worker's planner ends with is the same 422 an in-process plan gives, a plan no worker takes is a
 * 503 after the bound (and cancelled), and a client that goes away cancels the worker's plan.
 * apps/cli/test/cli-worker-plan.test.ts runs the real `penguin serve` + `penguin worker` processes.
 */
import { createGate } from '@penguin-ai/mock-llm'
import { usePostgresCluster } from '@penguin-ai/test-postgres/vitest'
import { until, within } from '@penguin-ai/testkit'
import pg from 'pg'
import { describe, expect, it } from 'vitest'
import { startTestServer, type TestServer, type TestServerOptions } from './helpers.js'

const postgres = usePostgresCluster()

const database = (): Promise<string> => postgres.database('plans')

/** A server on the database: `workers: 1` plans (A), none of its own (B). */
function server(url: string, options: TestServerOptions): Promise<TestServer> {
  return startTestServer({ dbPath: undefined, databaseUrl: url, sandbox: { mode: 'off' }, ...options })
}

/** The plan jobs' leases, as the queue recorded them. */
async function planLeases(url: string): Promise<{ status: string; finished: boolean }[]> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    const { rows } = await client.query(
      `SELECT status, finished_at IS NOT NULL AS finished FROM run_leases WHERE kind = 'plan' ORDER BY enqueued_at`,
    )
    return rows as { status: string; finished: boolean }[]
  } finally {
    await client.end()
  }
}

/** A project in `workspace` (default: the server's own). */
async function newProject(t: TestServer, workspace = t.workspace): Promise<number> {
  const created = await t.api('/api/v1/projects', {
    method: 'POST',
    json: { name: 'shop', workspace },
  })
  return ((await created.json()) as { id: number }).id
}

describe('plans through the queue', () => {
  it("answers with the worker planner's refusal exactly as an in-process plan does (422, its problems)", async () => {
    const cyclic = {
      tasks: [
        { key: 'a', title: 'A', description: 'a', depends_on: ['b'] },
        { key: 'b', title: 'B', description: 'b', depends_on: ['a'] },
      ],
    }
    const turn = { toolCalls: [{ name: 'submit_plan', arguments: cyclic }] }
    const url = await database()
    const a = await server(url, { workers: 1, script: [turn, turn, turn] })
    const b = await server(url, { root: a.root })
    const project = await newProject(b, a.workspace)
    const rejected = await b.api(`/api/v1/projects/${project}/plan`, { method: 'POST', json: { spec: 'x' } })
    expect(rejected.status).toBe(422)
    const body = (await rejected.json()) as { error: { code: string; details: Record<string, unknown> } }
    expect(body.error.code).toBe('unprocessable')
    expect(body.error.details).toMatchObject({ reason: 'plan_rejected', attempts: 3 })
    expect(String(body.error.details.problems)).toMatch(/cycle/)
    // The worker (A's) asked the model, B did not; nothing was stored.
    expect(a.mock.requests.filter((request) => request.body)).toHaveLength(3)
    expect(b.mock.requests).toHaveLength(0)
    expect(
      ((await (await b.api(`/api/v1/projects/${project}/tasks`)).json()) as { items: [] }).items,
    ).toEqual([])
    expect(await planLeases(url)).toEqual([{ status: 'failed', finished: true }])
  }, 120_000)

  it('a plan no worker takes is a 503 once the bound has passed, and it is cancelled', async () => {
    const url = await database()
    const alone = await server(url, { planTimeoutSeconds: 1 })
    const project = await newProject(alone)
    const refused = await alone.api(`/api/v1/projects/${project}/plan`, {
      method: 'POST',
      json: { spec: 'x' },
    })
    expect(refused.status).toBe(503)
    expect(await refused.json()).toMatchObject({
      error: { code: 'unavailable', details: { reason: 'timeout' } },
    })
    expect(await planLeases(url)).toEqual([{ status: 'aborted', finished: true }])
  }, 120_000)

  it("a client that goes away cancels the worker's plan", async () => {
    const held = createGate()
    const url = await database()
    const a = await server(url, { workers: 1, script: [{ text: 'never sent', holdUntil: held.promise }] })
    const project = await newProject(a)
    const client = new AbortController()
    const asked = a
      .api(`/api/v1/projects/${project}/plan`, { method: 'POST', json: { spec: 'x' }, signal: client.signal })
      .catch((error: unknown) => error)
    await within(a.mock.waitForRequests(1), 'the worker to ask the model for the plan')
    client.abort()
    expect(await asked).toBeInstanceOf(Error)
    // The worker stops planning: its lease ends aborted, although the model never answered.
    await until(async () => (await planLeases(url)).some((lease) => lease.finished), {
      what: 'the abandoned plan to end',
      intervalMs: 100,
    })
    expect(await planLeases(url)).toEqual([{ status: 'aborted', finished: true }])
    held.open()
  }, 120_000)
})
