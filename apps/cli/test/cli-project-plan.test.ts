import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type MockServer, type MockTurn, startMockServer } from '@penguin-ai/mock-llm'
import { afterEach, describe, expect, test } from 'vitest'
import { runPenguin } from './cli-helpers.js'

let mock: MockServer | undefined
afterEach(async () => {
  await mock?.close()
  mock = undefined
})

const plan = (tasks: unknown[]): MockTurn => ({ toolCalls: [{ name: 'submit_plan', arguments: { tasks } }] })
const TASKS = [
  { key: 'model', title: 'Data model', description: 'User table' },
  { key: 'routes', title: 'Routes', description: '/users with pagination', depends_on: ['model'] },
]

async function setup(script: MockTurn[]) {
  mock = await startMockServer({ script })
  const dir = await mkdtemp(join(tmpdir(), 'penguin-plan-cli-'))
  const db = join(dir, 'penguin.db')
  const env = { PENGUIN_DB: db, OPENAI_API_KEY: 'sk-test' }
  const penguin = (args: string[], stdin?: string) =>
    runPenguin(args, { env, cwd: dir, ...(stdin === undefined ? {} : { stdin }) })
  await penguin(['project', 'create', 'users-api', '--workspace', dir])
  return { server: mock, dir, penguin, model: ['--model', 'openai/gpt-4o', '--base-url', mock.url] }
}

describe('penguin project plan', () => {
  test('plans from a spec file, correcting an invalid first plan, and stores the graph', async () => {
    const { dir, penguin, model, server } = await setup([
      plan([{ key: 'x', title: 'X', description: 'x', depends_on: ['nope'] }]),
      plan(TASKS),
    ])
    const spec = join(dir, 'spec.md')
    await writeFile(spec, 'A users API with pagination.')
    const result = await penguin(['project', 'plan', 'users-api', '--spec', spec, ...model])
    expect(result.code, result.stderr).toBe(0)
    expect(result.stderr).toMatch(/rejected/)
    expect(result.stderr).toMatch(/nope/)
    expect(server.requests).toHaveLength(2)
    const tasks = JSON.parse((await penguin(['task', 'list', 'users-api', '--json'])).stdout) as Array<{
      id: number
      title: string
      dependsOn: number[]
    }>
    expect(tasks.map((task) => task.title)).toEqual(['Data model', 'Routes'])
    expect(tasks[1]!.dependsOn).toEqual([tasks[0]!.id])
  })

  test('--dry-run with the spec on stdin prints the plan and saves nothing', async () => {
    const { penguin, model } = await setup([plan(TASKS)])
    const result = await penguin(
      ['project', 'plan', 'users-api', '--spec', '-', '--dry-run', '--json', ...model],
      'spec text',
    )
    expect(result.code, result.stderr).toBe(0)
    const printed = JSON.parse(result.stdout) as { plan: Array<{ key: string }>; dryRun: boolean }
    expect(printed.dryRun).toBe(true)
    expect(printed.plan.map((task) => task.key)).toEqual(['model', 'routes'])
    expect(JSON.parse((await penguin(['task', 'list', 'users-api', '--json'])).stdout)).toEqual([])
  })

  test('a missing spec file or model is a usage error', async () => {
    const { penguin, model } = await setup([])
    const missing = await penguin([
      'project',
      'plan',
      'users-api',
      '--spec',
      '/nonexistent/spec.md',
      ...model,
    ])
    expect(missing.code).toBe(2)
    expect(missing.stderr).toMatch(/spec/)
    const noSpec = await penguin(['project', 'plan', 'users-api', ...model])
    expect(noSpec.code).toBe(2)
  })
})
