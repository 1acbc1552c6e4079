import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { resolveModel } from '@penguin-ai/llm'
import { type MockServer, type MockTurn, startMockServer } from '@penguin-ai/mock-llm'
import { openStore, type Store } from '@penguin-ai/store'
import { afterEach, describe, expect, test } from 'vitest'
import { PlanRejectedError, planProject, SUBMIT_PLAN } from '../src/index.js'

let mock: MockServer | undefined
let store: Store | undefined
afterEach(async () => {
  await mock?.close()
  store?.close()
  mock = undefined
  store = undefined
})

async function setup(script: MockTurn[]) {
  mock = await startMockServer({ script })
  store = openStore({ path: join(await mkdtemp(join(tmpdir(), 'penguin-plan-')), 'penguin.db') })
  const project = store.createProject({ name: 'shop', description: 'an online shop' })
  const model = resolveModel('openai/gpt-4o', { baseUrl: mock.url, env: { OPENAI_API_KEY: 'sk-test' } })
  return { server: mock, store, project, model }
}

const plan = (tasks: unknown[]): MockTurn => ({
  toolCalls: [{ id: 'call_plan', name: SUBMIT_PLAN, arguments: { tasks } }],
})

const GOOD = [
  {
    key: 'schema',
    title: 'Create the schema',
    description: 'Tables for products',
    verify_command: 'test -f schema.sql',
  },
  {
    key: 'api',
    title: 'Product API',
    description: 'GET /products',
    depends_on: ['schema'],
    acceptance_criteria: ['lists products'],
  },
  { key: 'api-tests', title: 'API tests', description: 'tests', parent: 'api', priority: 3 },
]

describe('planProject against the mock model over HTTP', () => {
  test('an invalid first plan is answered with its exact problems and the corrected plan is stored', async () => {
    const { server, store, project, model } = await setup([
      plan([
        { key: 'a', title: 'A', description: 'first', depends_on: ['b'] },
        { key: 'b', title: 'B', description: 'second', depends_on: ['a', 'ghost'] },
      ]),
      plan(GOOD),
    ])
    const rejections: string[][] = []
    const result = await planProject({
      store,
      project,
      spec: 'Build a shop with a product API.',
      model,
      onRejected: (rejection) => rejections.push(rejection.problems),
    })
    expect(result.attempts).toBe(2)
    expect(rejections).toHaveLength(1)
    expect(rejections[0]!.join('\n')).toMatch(/ghost/)
    expect(rejections[0]!.join('\n')).toMatch(/cycle/)

    // The first request carried the spec and offered exactly one tool.
    const first = server.requests[0]!.body!
    expect(first.tools?.map((tool) => tool.function.name)).toEqual([SUBMIT_PLAN])
    expect(JSON.stringify(first.messages)).toContain('Build a shop with a product API.')
    // The second carried the problems back as the tool's result.
    const second = server.requests[1]!.body!.messages
    const toolResult = second.find((message) => message.role === 'tool')
    expect(toolResult?.tool_call_id).toBe('call_plan')
    expect(String(toolResult?.content)).toContain('ghost')

    const tasks = store.listTasks(project.id)
    expect(tasks.map((task) => task.title)).toEqual(['Create the schema', 'Product API', 'API tests'])
    const [schema, api, apiTests] = tasks
    expect(api!.dependsOn).toEqual([schema!.id])
    expect(apiTests!.parentId).toBe(api!.id)
    expect(apiTests!.priority).toBe(3)
    expect(schema!.verifyCommand).toBe('test -f schema.sql')
    expect(api!.acceptanceCriteria).toEqual(['lists products'])
    expect(result.usage.totalTokens).toBeGreaterThan(0)
  })

  test('gives up after three invalid plans and stores nothing', async () => {
    const bad = plan([{ key: 'a', title: 'A', description: 'x', depends_on: ['a'] }])
    const { store, project, model, server } = await setup([bad, bad, bad, plan(GOOD)])
    await expect(planProject({ store, project, spec: 'x', model })).rejects.toBeInstanceOf(PlanRejectedError)
    expect(server.requests).toHaveLength(3)
    expect(store.listTasks(project.id)).toEqual([])
  })

  test('a reply without the tool is asked again; a dry run stores nothing', async () => {
    const { store, project, model, server } = await setup([{ text: 'Here is my plan: …' }, plan(GOOD)])
    const result = await planProject({ project, spec: 'x', model, dryRun: true })
    expect(result.plan.map((task) => task.key)).toEqual(['schema', 'api', 'api-tests'])
    expect(result.tasks).toEqual([])
    expect(store.listTasks(project.id)).toEqual([])
    expect(JSON.stringify(server.requests[1]!.body!.messages)).toMatch(/must call the submit_plan tool/)
  })
})
