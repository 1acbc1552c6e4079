/**
 * Secrets at rest (issue 12 §6): the value of a credential-named variable of the server's
 * environment that reaches a run (a file the agent reads, the model's answer) is in the model's
 * conversation for that run, but never in the database — neither the SQLite file nor its WAL — nor
 * in what the API serves from it.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { MockTurn } from '@penguin-ai/mock-llm'
import { describe, expect, it } from 'vitest'
import {
  allEvents,
  createProject,
  createSession,
  postMessage,
  sessionEvents,
  startTestServer,
  type TestServer,
  tempDir,
} from './helpers.js'

const SECRET = 'svc-7f3a9c2e-value'

const READ_AND_REPEAT: MockTurn[] = [
  { toolCalls: [{ name: 'read_file', arguments: { path: 'service.conf' } }] },
  { toolCalls: [{ name: 'run_command', arguments: { command: 'cat service.conf' } }] },
  { text: `The service token is ${SECRET}.` },
]

async function server(): Promise<TestServer> {
  const t = await startTestServer({
    script: READ_AND_REPEAT,
    env: {
      OPENAI_API_KEY: 'sk-test',
      XDG_CONFIG_HOME: tempDir('penguin-xdg-'),
      MY_SERVICE_TOKEN: SECRET,
    },
  })
  writeFileSync(join(t.workspace, 'service.conf'), `endpoint = https://svc.example\ntoken = ${SECRET}\n`)
  return t
}

/** Every file of the database (main file, -wal, -shm), read as the server leaves them mid-life. */
function databaseBytes(t: TestServer): Map<string, Buffer> {
  const dir = t.dataDir
  const files = new Map<string, Buffer>()
  for (const name of readdirSync(dir))
    if (name.startsWith('penguin.db')) files.set(name, readFileSync(join(dir, name)))
  return files
}

function expectNoSecretInDatabase(t: TestServer): void {
  const files = databaseBytes(t)
  expect([...files.keys()]).toContain('penguin.db')
  for (const [name, bytes] of files) expect(bytes.includes(SECRET), name).toBe(false)
  // The run was stored: the marker stands where the secret was.
  expect([...files.values()].some((bytes) => bytes.includes('[REDACTED]'))).toBe(true)
}

/** The model saw the file as it is: redaction is for what is stored, not for the run. */
function expectModelSawTheFile(t: TestServer): void {
  const messages = t.mock.requests[1]?.body?.messages ?? []
  const tool = messages.find((message) => message.role === 'tool')
  expect(String(tool?.content)).toContain(SECRET)
}

describe('secrets at rest', () => {
  it('a session run stores its messages, tool results and details redacted; GET messages has no secret', async () => {
    const t = await server()
    const session = await createSession(t, { auto_approve: true })
    const sse = await sessionEvents(t, session.id)
    const posted = await postMessage(t, session.id, { content: 'what is the service token?' })
    expect(posted.status).toBe(202)
    await sse.collect((event) => event.event === 'run.finished')
    sse.close()
    expectModelSawTheFile(t)

    const response = await t.api(`/api/v1/sessions/${session.id}/messages`)
    expect(response.status).toBe(200)
    const body = await response.text()
    expect(body).not.toContain(SECRET)
    const { items } = JSON.parse(body) as {
      items: Array<{ role: string; parts: Array<Record<string, unknown>> }>
    }
    const [read, command] = items
      .flatMap((message) => message.parts)
      .filter((part) => part.type === 'tool_result')
    expect(read?.content).toContain('token = [REDACTED]')
    expect(command?.details).toMatchObject({
      kind: 'command',
      stdout: expect.stringContaining('token = [REDACTED]'),
    })
    const answer = items.filter((message) => message.role === 'assistant').at(-1)
    expect(answer?.parts).toEqual([{ type: 'text', text: 'The service token is [REDACTED].' }])
    expectNoSecretInDatabase(t)
  })

  it('a project run over HTTP stores its task conversation and summary redacted', async () => {
    const t = await server()
    const project = await createProject(t, { name: 'p', workspace: t.workspace })
    const created = await t.api(`/api/v1/projects/${project.id}/tasks`, {
      method: 'POST',
      json: { title: 'Find the service token' },
    })
    expect(created.status).toBe(201)
    const task = (await created.json()) as { id: number }
    const sse = await allEvents(t)
    const started = await t.api(`/api/v1/projects/${project.id}/run`, { method: 'POST', json: {} })
    expect(started.status).toBe(202)
    await sse.collect((event) => event.event === 'project.finished')
    sse.close()
    expectModelSawTheFile(t)

    const stored = await (await t.api(`/api/v1/tasks/${task.id}`)).json()
    expect(stored).toMatchObject({ result_summary: 'The service token is [REDACTED].' })
    const sessions = (await (await t.api('/api/v1/sessions')).json()) as { items: Array<{ id: string }> }
    expect(sessions.items.length).toBeGreaterThan(0)
    for (const session of sessions.items) {
      const messages = await (await t.api(`/api/v1/sessions/${session.id}/messages`)).text()
      expect(messages).not.toContain(SECRET)
    }
    expectNoSecretInDatabase(t)
  })
})
