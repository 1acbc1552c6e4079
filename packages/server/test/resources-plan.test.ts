import { describe, expect, it } from 'vitest'
import { harness } from './resources-helpers.js'

const PLAN = {
  tasks: [
    { key: 'schema', title: 'Add the users table', description: 'Create the table.', verify_command: 'true' },
    {
      key: 'api',
      title: 'Add GET /users',
      description: 'Serve the users.',
      depends_on: ['schema'],
      acceptance_criteria: ['returns 200'],
    },
  ],
}

describe('POST /projects/{id}/plan', () => {
  it('stores the plan the model submits and reports what it cost', async () => {
    const h = await harness({
      script: [
        {
          toolCalls: [{ name: 'submit_plan', arguments: PLAN }],
          usage: { prompt_tokens: 1000, completion_tokens: 200 },
        },
      ],
    })
    const project = (await h.request('POST', '/projects', { name: 'shop', workspace: h.workspace })).body
    const planned = await h.request('POST', `/projects/${project.id}/plan`, { spec: 'a users API' })
    expect(planned.status).toBe(200)
    expect(planned.body).toMatchObject({
      attempts: 1,
      dry_run: false,
      usage: { input_tokens: 1000, output_tokens: 200, total_tokens: 1200 },
    })
    expect(planned.body.cost_usd).toBeCloseTo((1000 * 2.5 + 200 * 10) / 1e6)
    expect(planned.body.plan.map((task: { key: string }) => task.key)).toEqual(['schema', 'api'])
    const [schema, api] = planned.body.tasks
    expect(schema).toMatchObject({ title: 'Add the users table', verify_command: 'true', status: 'pending' })
    expect(api).toMatchObject({ depends_on: [schema.id], acceptance_criteria: ['returns 200'] })
    expect(h.store.listTasks(project.id)).toHaveLength(2)
    // The spec reached the model.
    expect(JSON.stringify(h.mock.requests[0]?.body?.messages)).toContain('a users API')
    // Planning is spending: the project and /usage know it.
    expect((await h.request('GET', `/projects/${project.id}`)).body.tokens_used).toBe(1200)
  })

  it('previews without saving on dry_run, and uses the model asked for', async () => {
    const h = await harness({ script: [{ toolCalls: [{ name: 'submit_plan', arguments: PLAN }] }] })
    const project = (await h.request('POST', '/projects', { name: 'shop' })).body
    const planned = await h.request('POST', `/projects/${project.id}/plan`, {
      spec: 'a users API',
      dry_run: true,
      model: 'openai/gpt-4o-mini',
    })
    expect(planned.status).toBe(200)
    expect(planned.body).toMatchObject({ dry_run: true, tasks: [] })
    expect(planned.body.plan).toHaveLength(2)
    expect(h.store.listTasks(project.id)).toEqual([])
    expect(h.mock.requests[0]?.body?.model).toBe('gpt-4o-mini')
  })

  it('is a 422 with the problems when the model keeps submitting invalid plans', async () => {
    const cyclic = {
      tasks: [
        { key: 'a', title: 'A', description: 'a', depends_on: ['b'] },
        { key: 'b', title: 'B', description: 'b', depends_on: ['a'] },
      ],
    }
    const turn = { toolCalls: [{ name: 'submit_plan', arguments: cyclic }] }
    const h = await harness({ script: [turn, turn, turn] })
    const project = (await h.request('POST', '/projects', { name: 'shop' })).body
    const rejected = await h.request('POST', `/projects/${project.id}/plan`, { spec: 'x' })
    expect(rejected.status).toBe(422)
    expect(rejected.body.error.code).toBe('unprocessable')
    expect(rejected.body.error.details).toMatchObject({ reason: 'plan_rejected', attempts: 3 })
    expect(rejected.body.error.details.problems.join('\n')).toMatch(/cycle/)
    expect(h.store.listTasks(project.id)).toEqual([])
  })

  it('is a 422 for a model that cannot be used and a 502 for one that keeps failing', async () => {
    const unavailable = { fault: { status: 503, retryAfter: 0 } }
    const h = await harness({ script: Array.from({ length: 5 }, () => unavailable) })
    const project = (await h.request('POST', '/projects', { name: 'shop' })).body
    const plan = (body: unknown) => h.request('POST', `/projects/${project.id}/plan`, body)

    const noKey = await plan({ spec: 'x', model: 'anthropic/claude-sonnet-4-5' })
    expect(noKey.status).toBe(422)
    expect(noKey.body.error.message).toMatch(/ANTHROPIC_API_KEY/)
    const unknownProvider = await plan({ spec: 'x', model: 'nope/model' })
    expect(unknownProvider.status).toBe(422)
    expect(unknownProvider.body.error.code).toBe('unprocessable')

    const failing = await plan({ spec: 'x' })
    expect(failing.status).toBe(502)
    expect(failing.body.error).toMatchObject({ code: 'upstream_error', details: { reason: 'server' } })
    expect(h.mock.requests).toHaveLength(5)

    const empty = await plan({ spec: '   ' })
    expect(empty.status).toBe(400)
    expect(empty.body.error.details.issues[0].path).toBe('spec')
    expect((await h.request('POST', '/projects/999/plan', { spec: 'x' })).status).toBe(404)
    expect(h.unexpected).toEqual([])
  })

  it('is a 422 when neither the request nor the server names a model', async () => {
    const h = await harness({ defaultModel: null })
    const project = (await h.request('POST', '/projects', { name: 'shop', workspace: h.workspace })).body
    const plan = await h.request('POST', `/projects/${project.id}/plan`, { spec: 'x' })
    expect(plan.status).toBe(422)
    expect(plan.body.error.details.reason).toBe('no_model')
    const run = await h.request('POST', `/projects/${project.id}/run`, {})
    expect(run.status).toBe(422)
    expect(h.mock.requests).toHaveLength(0)
  })
})
