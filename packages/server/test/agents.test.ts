import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { setTrust } from '@penguin-ai/config'
import { describe, expect, it } from 'vitest'
import { createSession, postMessage, sessionEvents, startTestServer, type TestServer } from './helpers.js'

interface ChatBody {
  messages: Array<{ role: string; content: string | null }>
  tools?: Array<{ function: { name: string } }>
}

/** The user config folder the test server reads (its XDG_CONFIG_HOME). */
const userConfigDir = (t: TestServer) => join(dirname(t.root), 'xdg', 'penguin')

/** Runs one message to its end; the model request the run made. */
async function runMessage(t: TestServer, sessionId: string, body: Record<string, unknown>) {
  const sse = await sessionEvents(t, sessionId)
  const before = t.mock.requests.length
  const posted = await t.api(`/api/v1/sessions/${sessionId}/messages`, { method: 'POST', json: body })
  expect(posted.status).toBe(202)
  const events = await sse.collect((event) => event.event === 'run.finished')
  sse.close()
  expect(events.at(-1)?.data).toMatchObject({ status: 'completed' })
  const request = t.mock.requests.slice(before).find((r) => r.body)
  return request?.body as unknown as ChatBody
}

const agentSection = (body: ChatBody) => /<agent name="([^"]+)">/.exec(body.messages[0]?.content ?? '')?.[1]
/** The session record as the API gives it now. */
async function sessionRecord(t: TestServer, id: string): Promise<Record<string, unknown>> {
  return (await (await t.api(`/api/v1/sessions/${id}`)).json()) as Record<string, unknown>
}
const toolNames = (body: ChatBody) => (body.tools ?? []).map((tool) => tool.function.name).sort()

describe('picking an agent over HTTP', () => {
  it('GET /agents lists the built-ins and a trusted workspace’s files; an untrusted one’s are reported', async () => {
    const t = await startTestServer()
    const dir = join(t.workspace, '.claude', 'agents')
    mkdirSync(dir, { recursive: true })
    writeFileSync(
      join(dir, 'reviewer.md'),
      '---\nname: reviewer\ndescription: Reviews diffs\ntools: Read, Grep\n---\nYou review.\n',
    )
    const untrusted = (await (
      await t.api(`/api/v1/agents?workspace=${encodeURIComponent(t.workspace)}`)
    ).json()) as {
      items: Array<{ name: string }>
      default: string
      warnings: string[]
    }
    expect(untrusted.items.map((a) => a.name)).toEqual(['build', 'plan', 'explore', 'test', 'review'])
    expect(untrusted.default).toBe('build')
    expect(untrusted.warnings.join('\n')).toMatch(/ignoring agent files in \.claude\/agents\/ .*not trusted/)

    await setTrust(t.workspace, true, { env: { XDG_CONFIG_HOME: dirname(userConfigDir(t)) } })
    const trusted = (await (await t.api('/api/v1/agents?workspace=repo')).json()) as {
      items: Array<Record<string, unknown>>
      warnings: string[]
    }
    expect(trusted.warnings).toEqual([])
    expect(trusted.items.find((a) => a.name === 'reviewer')).toEqual({
      name: 'reviewer',
      description: 'Reviews diffs',
      origin: 'workspace',
      file: join('.claude', 'agents', 'reviewer.md'),
      tools: ['read_file', 'grep'],
      model: null,
    })
    expect(trusted.items.find((a) => a.name === 'plan')).toMatchObject({ origin: 'builtin', file: null })

    const outside = await t.api(`/api/v1/agents?workspace=${encodeURIComponent(dirname(t.root))}`)
    expect(outside.status).toBe(403)
    const missing = await t.api('/api/v1/agents')
    expect(missing.status).toBe(400)
  })

  it('a session created with an agent runs as it: its prompt section and only its tools reach the model', async () => {
    const t = await startTestServer({ script: [{ text: 'Here is the plan.' }, { text: 'Explored.' }] })
    const session = await createSession(t, { agent: 'plan' })
    expect(session.agent).toBe('plan')
    expect((await sessionRecord(t, session.id)).agent).toBe('plan')

    const planned = await runMessage(t, session.id, { content: 'plan the work' })
    expect(agentSection(planned)).toBe('plan')
    expect(toolNames(planned)).toEqual(['grep', 'list_files', 'memory_search', 'read_file', 'todo_write'])

    // A message may switch the agent; the switch is stored for the runs after it.
    const explored = await runMessage(t, session.id, { content: 'where is the readme?', agent: 'explore' })
    expect(agentSection(explored)).toBe('explore')
    expect(toolNames(explored)).not.toContain('todo_write')
    expect((await sessionRecord(t, session.id)).agent).toBe('explore')
  })

  it('an unknown agent is a 422 naming the agents there are, and nothing is created or changed', async () => {
    const t = await startTestServer({ script: [{ text: 'ok' }] })
    const refused = await t.api('/api/v1/sessions', {
      method: 'POST',
      json: { workspace: t.workspace, agent: 'nobody' },
    })
    expect(refused.status).toBe(422)
    const error = ((await refused.json()) as { error: { code: string; message: string; details: unknown } })
      .error
    expect(error.code).toBe('unprocessable')
    expect(error.message).toMatch(/Unknown agent "nobody"\. Available: build, plan, explore, test, review/)
    expect(error.details).toMatchObject({
      reason: 'invalid_value',
      key: 'agent',
      choices: ['build', 'plan', 'explore', 'test', 'review'],
    })
    const listed = (await (await t.api('/api/v1/sessions')).json()) as { items: unknown[] }
    expect(listed.items).toEqual([])

    const badName = await t.api('/api/v1/sessions', {
      method: 'POST',
      json: { workspace: t.workspace, agent: '../etc' },
    })
    expect(badName.status).toBe(400)

    const session = await createSession(t, { agent: 'review' })
    const switched = await postMessage(t, session.id, { content: 'go', agent: 'nobody' })
    expect(switched.status).toBe(422)
    expect(
      ((await switched.json()) as { error: { details: { choices: string[] } } }).error.details.choices,
    ).toContain('review')
    const after = await sessionRecord(t, session.id)
    expect(after).toMatchObject({ agent: 'review', message_count: 0, active_run_id: null })
    // The session is free again: a run with a good agent goes through.
    const body = await runMessage(t, session.id, { content: 'go' })
    expect(agentSection(body)).toBe('review')
  })

  it("a user's agent with its own model gives a new session that model", async () => {
    const t = await startTestServer({ script: [{ text: 'ok' }] })
    const agents = join(userConfigDir(t), 'agents')
    mkdirSync(agents, { recursive: true })
    writeFileSync(
      join(agents, 'mini.md'),
      '---\nname: mini\ndescription: Small\nmodel: openai/gpt-4o-mini\n---\nBe brief.\n',
    )
    const session = await createSession(t, { agent: 'mini' })
    expect(session).toMatchObject({ agent: 'mini', model: 'openai/gpt-4o-mini' })
    const named = await createSession(t, { agent: 'mini', model: 'openai/gpt-4o' })
    expect(named).toMatchObject({ agent: 'mini', model: 'openai/gpt-4o' })
    const body = await runMessage(t, session.id, { content: 'hi' })
    expect((body as unknown as { model: string }).model).toBe('gpt-4o-mini')
  })
})
