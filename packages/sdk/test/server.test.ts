// The SDK against the real server (@penguin-ai/server on a real port) and the mock model.
import { existsSync } from 'node:fs'
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createGate, type MockServer, startMockServer } from '@penguin-ai/mock-llm'
import { type RunningServer, serve } from '@penguin-ai/server'
import { inProcessServerOptions, tempDir } from '@penguin-ai/testkit'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { PenguinApiError, PenguinClient, type ServerEvent, type SessionEvent } from '../src/index.js'

let mock: MockServer
let server: RunningServer
let client: PenguinClient
let root: string

beforeAll(async () => {
  mock = await startMockServer({ script: [] })
  root = tempDir('penguin-sdk-root-')
  server = await serve(inProcessServerOptions(mock, root))
  client = new PenguinClient({ baseUrl: server.url })
})

afterAll(async () => {
  await server?.close()
  await mock?.close()
})

async function workspace(name: string, files: Record<string, string> = {}): Promise<string> {
  const dir = join(root, name)
  await mkdir(dir, { recursive: true })
  for (const [path, content] of Object.entries(files)) await writeFile(join(dir, path), content)
  return dir
}

describe('the SDK against a real server', () => {
  test('health, then a full run: create session → run → events → messages', async () => {
    await expect(client.health()).resolves.toEqual({ status: 'ok' })
    await expect(client.metrics()).resolves.toMatch(/^\w+ \d/m)
    const dir = await workspace('full', { 'a.txt': 'one\n' })
    mock.push(
      { text: 'Let me look.', toolCalls: [{ name: 'read_file', arguments: { path: 'a.txt' } }] },
      { toolCalls: [{ name: 'write_file', arguments: { path: 'b.txt', content: 'two\n' } }] },
      { text: 'Done: b.txt says two.' },
    )
    const session = await client.sessions.create({ workspace: dir, auto_approve: true })
    expect(session).toMatchObject({
      workspace: dir,
      model: 'openai/gpt-4o',
      auto_approve: true,
      active_run_id: null,
    })

    const events: SessionEvent[] = []
    let runId = ''
    const result = await client.sessions.run(session.id, 'copy a to b', {
      onEvent: (event) => events.push(event),
      onAccepted: (id) => {
        runId = id
      },
    })
    expect(result.status).toBe('completed')
    expect(result.text).toBe('Done: b.txt says two.')
    expect(result.iterations).toBe(3)
    expect(await readFile(join(dir, 'b.txt'), 'utf8')).toBe('two\n')

    const types = events.map((e) => e.type)
    expect(types[0]).toBe('run.started')
    expect(types.at(-1)).toBe('run.finished')
    expect(types).toEqual(
      expect.arrayContaining(['turn.started', 'text.delta', 'tool.started', 'tool.finished', 'usage']),
    )
    expect(events.every((e) => e.session_id === session.id && e.runId === runId && e.run_id === runId)).toBe(
      true,
    )
    const text = events.flatMap((e) => (e.type === 'text.delta' ? [e.delta] : [])).join('')
    expect(text).toBe('Let me look.Done: b.txt says two.')

    const { items } = await client.sessions.messages(session.id)
    expect(items.map((m) => m.role)).toEqual(['user', 'assistant', 'tool', 'assistant', 'tool', 'assistant'])
    expect(items[0]!.parts).toEqual([{ type: 'text', text: 'copy a to b' }])
    expect(items[2]!.parts[0]).toMatchObject({ type: 'tool_result', name: 'read_file', is_error: false })

    const run = await client.runs.get(runId)
    expect(run).toMatchObject({
      id: runId,
      session_id: session.id,
      status: 'completed',
      text: 'Done: b.txt says two.',
    })
    expect(run.usage.total_tokens).toBeGreaterThan(0)
    const fresh = await client.sessions.get(session.id)
    expect(fresh.message_count).toBe(6)
    expect(fresh.active_run_id).toBeNull()

    // Everything again from the server's replay buffer: Last-Event-ID 0 resumes from the start.
    const replay: ServerEvent[] = []
    const controller = new AbortController()
    for await (const event of client.events({
      sessionId: session.id,
      lastEventId: 0,
      signal: controller.signal,
    })) {
      replay.push(event)
      if (event.event === 'run.finished') controller.abort()
    }
    expect(replay.map((e) => e.data.type)).toEqual(types)
    expect(replay.every((e, i) => i === 0 || e.id > replay[i - 1]!.id)).toBe(true)
    expect(replay.every((e) => e.event === e.data.type)).toBe(true)
  })

  test('steer and followUp reach the run in progress; with no run they start one, which run() can follow', async () => {
    const dir = await workspace('steer', { 'a.txt': 'one\n' })
    const held = createGate()
    mock.push(
      { toolCalls: [{ name: 'read_file', arguments: { path: 'a.txt' } }], holdUntil: held.promise },
      { text: 'Steered.' },
      { text: 'Followed up.' },
      { text: 'A new run.' },
    )
    const session = await client.sessions.create({ workspace: dir })
    const before = mock.requests.length
    const delivered: string[] = []
    let runId = ''
    const running = client.sessions.run(session.id, 'read a', {
      onAccepted: (id) => {
        runId = id
      },
      onEvent: (event) => {
        if (event.type === 'message.delivered') delivered.push(`${event.delivery}: ${event.text}`)
      },
    })
    await mock.waitForRequests(before + 1)
    await expect(client.sessions.steer(session.id, 'and b')).resolves.toEqual({
      run_id: runId,
      delivery: 'steer',
    })
    await expect(client.sessions.followUp(session.id, 'then bye')).resolves.toEqual({
      run_id: runId,
      delivery: 'follow_up',
    })
    held.open()
    await expect(running).resolves.toMatchObject({ status: 'completed', text: 'Followed up.' })
    expect(delivered).toEqual(['steer: and b', 'follow_up: then bye'])

    // No run in progress: the message starts one, and run() follows it without sending anything.
    const started = await client.sessions.steer(session.id, 'anything new?')
    expect(started.delivery).toBe('prompt')
    await expect(client.sessions.run(session.id, '', { follow: started.run_id })).resolves.toMatchObject({
      status: 'completed',
      text: 'A new run.',
    })
  })

  test('a permission asked over SSE and answered over HTTP', async () => {
    const dir = await workspace('permission')
    mock.push(
      { toolCalls: [{ name: 'write_file', arguments: { path: 'c.txt', content: 'three\n' } }] },
      { text: 'Written.' },
    )
    const session = await client.sessions.create({ workspace: dir })
    const asked: string[] = []
    const result = await client.sessions.run(session.id, 'write c', {
      onEvent: (event) => {
        if (event.type !== 'permission.asked') return
        asked.push(event.tool)
        void (async () => {
          const pending = await client.permissions.list({ session_id: session.id })
          expect(pending.items.map((p) => p.id)).toEqual([event.id])
          expect(pending.items[0]).toMatchObject({
            tool: 'write_file',
            access: 'write',
            session_id: session.id,
          })
          await client.permissions.reply(event.id, { reply: 'once' })
        })()
      },
    })
    expect(asked).toEqual(['write_file'])
    expect(result.status).toBe('completed')
    expect(existsSync(join(dir, 'c.txt'))).toBe(true)
    await expect(client.permissions.reply('nope', { reply: 'once' })).rejects.toMatchObject({ status: 404 })
  })

  test('aborting run() cancels it on the server; the result is aborted', async () => {
    const dir = await workspace('cancel')
    // The answer starts, then stalls until the run is cancelled (the model call is cut).
    mock.push({ text: 'slow '.repeat(40), holdUntil: new Promise(() => {}), holdAfterChunks: 2 })
    const session = await client.sessions.create({ workspace: dir })
    const controller = new AbortController()
    const result = await client.sessions.run(session.id, 'take your time', {
      signal: controller.signal,
      onEvent: (event) => {
        if (event.type === 'text.delta') controller.abort()
      },
    })
    expect(result.status).toBe('aborted')
  })

  test('server errors arrive as PenguinApiError with status and code', async () => {
    const outside = await mkdtemp(join(tmpdir(), 'penguin-outside-'))
    const forbidden = await client.sessions.create({ workspace: outside }).catch((e: unknown) => e)
    expect(forbidden).toBeInstanceOf(PenguinApiError)
    expect(forbidden).toMatchObject({ status: 403, code: 'forbidden' })
    await expect(client.sessions.get('ses_doesnotexist')).rejects.toMatchObject({
      status: 404,
      code: 'not_found',
    })
    await expect(client.sessions.create({ workspace: '' })).rejects.toMatchObject({
      status: 400,
      code: 'invalid_request',
      details: { issues: [expect.objectContaining({ path: 'workspace' })] },
    })
    await expect(client.runs.cancel('run_unknown')).rejects.toMatchObject({ status: 404 })
  })
})

describe('resources against the real server', () => {
  test('a project run streams project events on /events; tasks, graph, memory, models, usage', async () => {
    const dir = await workspace('project')
    const project = await client.projects.create({ name: 'sdk-demo', workspace: dir })
    const first = await client.tasks.create(project.id, { title: 'Say hello', priority: 2 })
    const second = await client.projects.addTask(project.id, { title: 'Say bye', depends_on: [first.id] })
    expect(second.depends_on).toEqual([first.id])
    expect((await client.projects.tasks(project.id, { ready: true })).items.map((t) => t.id)).toEqual([
      first.id,
    ])
    const graph = await client.projects.graph(project.id)
    expect(graph.edges).toHaveLength(1)
    expect(await client.projects.graph(project.id, 'mermaid')).toMatch(/graph|flowchart/)
    await expect(client.tasks.addDependency(first.id, second.id)).rejects.toMatchObject({ status: 409 })

    mock.push({ text: 'Hello!' }, { text: 'Bye!' })
    const controller = new AbortController()
    const stream = client.events({ signal: controller.signal })
    await stream.connected()
    const { project_run_id } = await client.projects.run(project.id, { auto_approve: true })
    const seen: string[] = []
    for await (const event of stream) {
      if ((event.data as { project_run_id?: string }).project_run_id !== project_run_id) continue
      seen.push(event.event)
      expect(event.data.type).toBe(event.event)
      if (event.event === 'project.finished') controller.abort()
    }
    expect(seen[0]).toBe('project.started')
    expect(seen.filter((type) => type === 'task.finished')).toHaveLength(2)
    expect(seen).toContain('run.finished')
    const tasks = await client.tasks.list(project.id)
    expect(tasks.items.map((t) => t.status)).toEqual(['done', 'done'])

    const memory = await client.memory.create({
      scope: `project:${project.id}`,
      content: 'uses pnpm',
      tags: ['tooling'],
    })
    const scope = `project:${project.id}`
    expect((await client.memory.search('pnpm', { scope })).items.map((m) => m.id)).toContain(memory.id)
    expect((await client.memory.list({ scope: [scope, 'workspace:/nowhere'] })).items).toHaveLength(1)
    await client.memory.delete(memory.id)
    const models = await client.models.list()
    expect(models.default).toBe('openai/gpt-4o')
    expect(models.items.length).toBeGreaterThan(0)
    const usage = await client.usage.get()
    expect(usage.total.runs).toBeGreaterThan(0)
    await client.projects.delete(project.id)
    await expect(client.projects.get(project.id)).rejects.toMatchObject({ status: 404 })
  })
})
