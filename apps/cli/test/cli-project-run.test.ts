import { existsSync } from 'node:fs'
import { mkdtemp, readFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type MockServer, type MockTurn, type RecordedRequest, startMockServer } from '@penguin-ai/mock-llm'
import { afterEach, describe, expect, test } from 'vitest'
import { jsonLines, makeRepo, runPenguin } from './cli-helpers.js'

let mock: MockServer | undefined
afterEach(async () => {
  await mock?.close()
  mock = undefined
})

const KEY = { OPENAI_API_KEY: 'sk-test-123' }

async function setup() {
  const db = join(await mkdtemp(join(tmpdir(), 'penguin-db-')), 'penguin.db')
  const repo = await makeRepo({ 'README.md': '# tiny\n' })
  const penguin = (...args: string[]) => runPenguin(args, { env: { PENGUIN_DB: db, ...KEY }, cwd: repo })
  return { db, repo, penguin }
}

function modelArgs(server: MockServer): string[] {
  return ['--model', 'openai/gpt-4o', '--base-url', server.url]
}

function userText(request: RecordedRequest): string {
  const user = request.body?.messages.find((message) => message.role === 'user')
  return typeof user?.content === 'string' ? user.content : ''
}

/**
 * A model that does each task it is given: "Write NAME.txt" becomes a write_file of NAME.txt,
 * then a short summary once the tool result is back.
 */
function worker(request: RecordedRequest): MockTurn {
  const messages = request.body?.messages ?? []
  const file = /# Task: Write (\S+)/.exec(userText(request))?.[1] ?? 'unknown.txt'
  if (messages.at(-1)?.role === 'tool')
    return { text: `Wrote ${file}.`, usage: { prompt_tokens: 300, completion_tokens: 20 } }
  return {
    toolCalls: [{ name: 'write_file', arguments: { path: file, content: `${file}\n` } }],
    usage: { prompt_tokens: 250, completion_tokens: 30 },
  }
}

async function addTask(
  penguin: Awaited<ReturnType<typeof setup>>['penguin'],
  ...args: string[]
): Promise<number> {
  const result = await penguin('task', 'add', 'site', ...args, '--json')
  expect(result.code, result.stderr).toBe(0)
  return (JSON.parse(result.stdout) as { id: number }).id
}

describe('penguin project run end to end', () => {
  test('runs a 4-task graph in dependency order, verifying each task', async () => {
    const { repo, penguin } = await setup()
    mock = await startMockServer({ script: worker })
    expect((await penguin('project', 'create', 'site', '--workspace', repo)).code).toBe(0)
    const a = await addTask(penguin, 'Write a.txt', '--verify', 'test -f a.txt')
    const b = await addTask(
      penguin,
      'Write b.txt',
      '--depends-on',
      String(a),
      '--verify',
      'test -f a.txt && test -f b.txt',
    )
    const c = await addTask(
      penguin,
      'Write c.txt',
      '--depends-on',
      String(a),
      '--priority',
      '5',
      '--verify',
      'test -f c.txt',
    )
    const d = await addTask(
      penguin,
      'Write d.txt',
      '--depends-on',
      `${b},${c}`,
      '--verify',
      'test -f b.txt && test -f c.txt && test -f d.txt',
    )

    const result = await penguin('project', 'run', 'site', ...modelArgs(mock))
    expect(result.stderr).not.toMatch(/\n\s+at /)
    expect(result.code, result.stdout + result.stderr).toBe(0)
    for (const name of ['a', 'b', 'c', 'd']) expect(existsSync(join(repo, `${name}.txt`))).toBe(true)
    const lines = result.stdout.split('\n').filter((line) => /^\[\d+\/4\]/.test(line))
    expect(lines).toHaveLength(4)
    // c has the higher priority, so it runs before b once a is done.
    expect(lines.map((line) => /Write (\w)\.txt/.exec(line)?.[1])).toEqual(['a', 'c', 'b', 'd'])
    expect(lines[0]).toMatch(/^\[1\/4\] Write a\.txt … done, [\d.]+k? tokens, \$[\d.]+, [\d.]+ (ms|s)$/)

    const tasks = JSON.parse((await penguin('task', 'list', 'site', '--json')).stdout) as Array<{
      id: number
      status: string
      tokensUsed: number
      resultSummary: string
    }>
    expect(tasks.map((task) => task.status)).toEqual(['done', 'done', 'done', 'done'])
    expect(tasks.every((task) => task.tokensUsed > 0)).toBe(true)
    expect(tasks.find((task) => task.id === d)?.resultSummary).toBe('Wrote d.txt.')

    // The prompt of d carried the summaries of b and c.
    const dPrompt = mock.requests.map(userText).find((text) => text.includes('# Task: Write d.txt'))
    expect(dPrompt).toContain('Wrote b.txt.')
    expect(dPrompt).toContain('Wrote c.txt.')

    const shown = JSON.parse((await penguin('task', 'show', String(a), '--json')).stdout) as {
      runs: Array<{ status: string; inputTokens: number; outputTokens: number; finalText: string }>
    }
    expect(shown.runs).toHaveLength(1)
    expect(shown.runs[0]).toMatchObject({
      status: 'completed',
      inputTokens: 550,
      outputTokens: 50,
      finalText: 'Wrote a.txt.',
    })
  })

  test('a failing verify command fails the task, keeps its output and stops its dependents', async () => {
    const { repo, penguin } = await setup()
    mock = await startMockServer({ script: worker })
    await penguin('project', 'create', 'site', '--workspace', repo)
    const a = await addTask(penguin, 'Write a.txt', '--verify', 'echo checking; test -f missing.txt')
    const b = await addTask(penguin, 'Write b.txt', '--depends-on', String(a))
    const result = await penguin('project', 'run', 'site', ...modelArgs(mock), '--json')
    expect(result.code).toBe(1)
    const events = jsonLines(result.stdout)
    const finished = events.filter((event) => event.type === 'task.finished')
    expect(finished).toHaveLength(1)
    expect(events.at(-1)).toMatchObject({ type: 'project.finished', status: 'stopped' })
    const failed = JSON.parse((await penguin('task', 'show', String(a), '--json')).stdout) as {
      status: string
      failureReason: string
      resultSummary: string
    }
    expect(failed).toMatchObject({ status: 'failed', failureReason: 'verify_failed' })
    expect(failed.resultSummary).toContain('checking')
    const waiting = JSON.parse((await penguin('task', 'show', String(b), '--json')).stdout) as {
      status: string
    }
    expect(waiting.status).toBe('pending')
  })

  test('without a verify command a task goes to review, or to done with --auto-approve', async () => {
    const { repo, penguin } = await setup()
    mock = await startMockServer({ script: worker })
    await penguin('project', 'create', 'site', '--workspace', repo)
    const a = await addTask(penguin, 'Write a.txt')
    await penguin('project', 'run', 'site', ...modelArgs(mock))
    expect(JSON.parse((await penguin('task', 'show', String(a), '--json')).stdout).status).toBe('review')
    const b = await addTask(penguin, 'Write b.txt')
    const approved = await penguin('project', 'run', 'site', ...modelArgs(mock), '--auto-approve')
    expect(approved.code).toBe(0)
    expect(JSON.parse((await penguin('task', 'show', String(b), '--json')).stdout).status).toBe('done')
  })

  test('a task over its token budget is stopped and failed with budget_exceeded', async () => {
    const { repo, penguin } = await setup()
    mock = await startMockServer({ script: worker })
    await penguin('project', 'create', 'site', '--workspace', repo)
    const a = await addTask(penguin, 'Write a.txt', '--budget-tokens', '100')
    const result = await penguin('project', 'run', 'site', ...modelArgs(mock))
    expect(result.code).toBe(1)
    expect(result.stdout).toMatch(/failed \(budget_exceeded/)
    const task = JSON.parse((await penguin('task', 'show', String(a), '--json')).stdout) as {
      status: string
      failureReason: string
    }
    expect(task).toMatchObject({ status: 'failed', failureReason: 'budget_exceeded' })
    expect(mock.requests).toHaveLength(1)
  })

  test('the project stops when its budget is spent', async () => {
    const { repo, penguin } = await setup()
    mock = await startMockServer({ script: worker })
    await penguin('project', 'create', 'site', '--workspace', repo, '--budget-tokens', '700')
    await addTask(penguin, 'Write a.txt', '--verify', 'test -f a.txt')
    await addTask(penguin, 'Write b.txt', '--verify', 'test -f b.txt')
    await addTask(penguin, 'Write c.txt', '--verify', 'test -f c.txt')
    const result = await penguin('project', 'run', 'site', ...modelArgs(mock), '--json')
    expect(result.code).toBe(1)
    const last = jsonLines(result.stdout).at(-1)
    expect(last).toMatchObject({ type: 'project.finished', status: 'budget_exhausted' })
    const tasks = JSON.parse((await penguin('task', 'list', 'site', '--json')).stdout) as Array<{
      status: string
    }>
    expect(tasks.filter((task) => task.status === 'pending').length).toBeGreaterThanOrEqual(1)
    const project = JSON.parse((await penguin('project', 'show', 'site', '--json')).stdout) as {
      tokensUsed: number
    }
    expect(project.tokensUsed).toBeGreaterThanOrEqual(700)
  })

  test('a task left in progress by a killed run is reset and finished by the next run', async () => {
    const { repo, penguin, db } = await setup()
    let first = true
    mock = await startMockServer({
      script: (request, index) =>
        first && index === 0 ? { text: 'slow…', holdUntil: new Promise(() => {}) } : worker(request),
    })
    await penguin('project', 'create', 'site', '--workspace', repo)
    const a = await addTask(penguin, 'Write a.txt', '--verify', 'test -f a.txt')
    const server = mock
    const killed = await runPenguin(['project', 'run', 'site', ...modelArgs(server)], {
      env: { PENGUIN_DB: db, ...KEY },
      cwd: repo,
      // Killed while its first model request is held at the model.
      onSpawn: (child) => {
        server.waitForRequests(1).then(
          () => child.kill('SIGKILL'),
          () => {},
        )
      },
    })
    expect(killed.signal).toBe('SIGKILL')
    first = false
    expect(JSON.parse((await penguin('task', 'show', String(a), '--json')).stdout).status).toBe('in_progress')

    const rerun = await penguin('project', 'run', 'site', ...modelArgs(server))
    expect(rerun.code, rerun.stdout + rerun.stderr).toBe(0)
    expect(rerun.stdout).toMatch(/Reset 1 task/)
    expect(JSON.parse((await penguin('task', 'show', String(a), '--json')).stdout).status).toBe('done')
    expect(await readFile(join(repo, 'a.txt'), 'utf8')).toBe('a.txt\n')
  })
})
