import type { ChatRequest } from '@penguin-ai/llm'
import { type ScriptStep, scriptedStream, tempDir, testModel } from '@penguin-ai/testkit'
import { openWorkspace, PermissionPolicy } from '@penguin-ai/tools'
import { describe, expect, it } from 'vitest'
import {
  Engine,
  type EngineEvent,
  type EngineOptions,
  type ModelStreamFn,
  PenguinAgent,
  type PermissionRequest,
  type SubagentProfile,
  type Subagents,
} from '../src/index.js'

/** The agent a request is for: the `<agent name="…">` section of its system prompt, or `root`. */
function agentOf(request: ChatRequest): string {
  const system = request.messages[0]
  const text = system?.role === 'system' ? system.content : ''
  return /<agent name="([^"]+)">/.exec(text)?.[1] ?? 'root'
}

function toolNamesOf(request: ChatRequest): string[] {
  return (request.tools ?? []).map((tool) => tool.name).sort()
}

function lastText(request: ChatRequest): string {
  const last = request.messages.at(-1)
  if (!last || last.role === 'system') return ''
  return last.content.map((block) => ('text' in block ? block.text : '')).join('')
}

const PROFILES: Record<string, SubagentProfile> = {
  reader: {
    name: 'reader',
    description: 'reads files',
    prompt: 'You read.',
    toolFilter: (name) => ['read_file', 'grep'].includes(name),
  },
  writer: { name: 'writer', description: 'writes files', prompt: 'You write.' },
  nester: { name: 'nester', description: 'delegates', prompt: 'You delegate.' },
}

function subagents(extra: Partial<Subagents> = {}): Subagents {
  return {
    agents: Object.values(PROFILES).map(({ name, description }) => ({ name, description })),
    resolve: async (name) => PROFILES[name],
    ...extra,
  }
}

async function engineWith(
  script: (request: ChatRequest, index: number) => ScriptStep,
  options: Partial<EngineOptions> = {},
  wrap?: (stream: ModelStreamFn) => ModelStreamFn,
) {
  const scripted = scriptedStream(script)
  const workspace = await openWorkspace(await tempDir())
  const engine = new Engine({
    model: testModel(),
    workspace,
    stream: wrap ? wrap(scripted.stream) : scripted.stream,
    subagents: subagents(),
    systemPrompt: undefined,
    ...options,
  })
  return { engine, requests: scripted.requests }
}

describe('the task tool', () => {
  it('runs two task calls of one turn concurrently, each child with the intersection of tools', async () => {
    let childRequests = 0
    let bothArrived: () => void = () => {}
    const arrived = new Promise<void>((resolve) => {
      bothArrived = resolve
    })
    const { engine, requests } = await engineWith(
      (request) => {
        const agent = agentOf(request)
        if (agent === 'root') {
          if (request.messages.some((message) => message.role === 'tool')) return { text: 'both answered' }
          return {
            calls: [
              { name: 'task', args: { agent: 'reader', prompt: 'read a', description: 'read a' } },
              { name: 'task', args: { agent: 'writer', prompt: 'write b' } },
            ],
          }
        }
        return { text: `${agent} done` }
      },
      { toolFilter: (name) => name !== 'run_command' },
      (stream) => (model, request, options) => {
        if (agentOf(request) === 'root') return stream(model, request, options)
        childRequests++
        if (childRequests === 2) bothArrived()
        // Each child's answer waits until the other child asked too: run one after the other,
        // they would never both get here.
        return (async function* () {
          await arrived
          yield* stream(model, request, options)
        })()
      },
    )
    const events: EngineEvent[] = []
    const result = await engine.run('delegate', { onEvent: (event) => events.push(event) })
    expect(result.status).toBe('completed')
    expect(result.text).toBe('both answered')
    const results = requests.at(-1)?.messages.filter((message) => message.role === 'tool') ?? []
    const outputs = results.map((message) => (message.role === 'tool' ? lastTextOf(message.content) : ''))
    expect(outputs[0]).toContain('reader done')
    expect(outputs[0]).toMatch(/session_id: \S+/)
    expect(outputs[1]).toContain('writer done')

    const reader = requests.find((request) => agentOf(request) === 'reader')
    const writer = requests.find((request) => agentOf(request) === 'writer')
    expect(reader && toolNamesOf(reader)).toEqual(['grep', 'read_file'])
    // The writer may do what the parent may: no run_command, but task (depth 1 < 2).
    expect(writer && toolNamesOf(writer)).not.toContain('run_command')
    expect(writer && toolNamesOf(writer)).toContain('task')
    expect(writer && toolNamesOf(writer)).toContain('edit_file')

    const wrapped = events.filter((event) => event.type === 'subagent.event')
    const started = wrapped.flatMap((event) =>
      event.type === 'subagent.event' && event.event.type === 'run.started' ? [event] : [],
    )
    expect(started.map((event) => event.agent).sort()).toEqual(['reader', 'writer'])
    for (const event of started) {
      expect(event.sessionId).toBe(engine.sessionId)
      expect(event.event.parentSessionId).toBe(engine.sessionId)
      expect(event.event.sessionId).not.toBe(engine.sessionId)
      // The same ids in snake_case, as the server's stream names ids.
      expect(event.event.parent_session_id).toBe(engine.sessionId)
      expect(event.event.session_id).toBe(event.event.sessionId)
    }
    // Children's usage counts in the parent's: 2 own turns + 2 children's.
    expect(result.usage.inputTokens).toBe(400)
  })

  it('refuses an agent starting itself, and stops offering task two levels down', async () => {
    const { engine, requests } = await engineWith((request) => {
      const agent = agentOf(request)
      const answered = request.messages.some((message) => message.role === 'tool')
      if (answered) return { text: `${agent}: ${lastText(request).slice(0, 200)}` }
      if (agent === 'root') return { calls: [{ name: 'task', args: { agent: 'nester', prompt: 'go' } }] }
      if (agent === 'nester') {
        return {
          calls: [
            { name: 'task', args: { agent: 'nester', prompt: 'again' } },
            { name: 'task', args: { agent: 'writer', prompt: 'deeper' } },
          ],
        }
      }
      return { text: `${agent} at the bottom` }
    })
    const result = await engine.run('go')
    expect(result.status).toBe('completed')
    const nester = requests.filter((request) => agentOf(request) === 'nester').at(-1)
    const toolResults = nester?.messages.filter((message) => message.role === 'tool') ?? []
    expect(toolResults[0]?.role === 'tool' && lastTextOf(toolResults[0].content)).toContain(
      'cannot start itself',
    )
    expect(toolResults[1]?.role === 'tool' && lastTextOf(toolResults[1].content)).toContain(
      'writer at the bottom',
    )
    const grandchild = requests.find((request) => agentOf(request) === 'writer')
    expect(grandchild && toolNamesOf(grandchild)).not.toContain('task')
  })

  it('labels a child ask with its agent, carries "always" answers over and never more', async () => {
    const asked: PermissionRequest[] = []
    const policy = new PermissionPolicy()
    const { engine } = await engineWith(
      (request) => {
        const agent = agentOf(request)
        const answered = request.messages.some((message) => message.role === 'tool')
        if (agent === 'root') {
          if (answered) return { text: 'done' }
          return { calls: [{ name: 'task', args: { agent: 'writer', prompt: 'write' } }] }
        }
        if (answered) return { text: 'written' }
        return {
          calls: [
            { name: 'write_file', args: { path: 'a.txt', content: 'a' } },
            { name: 'run_command', args: { command: 'echo hi' } },
          ],
        }
      },
      {
        policy,
        askPermission: async (request) => {
          asked.push(request)
          return 'reject'
        },
      },
    )
    // The user said "always" to writing files in the parent before.
    policy.allowAlways('write_file', { access: 'write', subject: 'x.txt', paths: ['x.txt'] })
    const result = await engine.run('go')
    expect(result.status).toBe('completed')
    expect(asked.map((request) => request.tool)).toEqual(['run_command'])
    expect(asked[0]?.agent).toBe('writer')
    expect(asked[0]?.sessionId).toBeTruthy()
    expect(asked[0]?.sessionId).not.toBe(engine.sessionId)
  })

  it('aborting the parent aborts the children', async () => {
    const controller = new AbortController()
    const { engine } = await engineWith(
      (request) =>
        agentOf(request) === 'root'
          ? { calls: [{ name: 'task', args: { agent: 'writer', prompt: 'work' } }] }
          : { text: 'never' },
      {},
      (stream) => (model, request, options) => {
        if (agentOf(request) === 'root') return stream(model, request, options)
        controller.abort()
        return stream(model, request, options)
      },
    )
    const events: EngineEvent[] = []
    const result = await engine.run('go', { signal: controller.signal, onEvent: (e) => events.push(e) })
    expect(result.status).toBe('aborted')
    const childFinished = events.find(
      (event) => event.type === 'subagent.event' && event.event.type === 'run.finished',
    )
    expect(
      childFinished?.type === 'subagent.event' &&
        childFinished.event.type === 'run.finished' &&
        childFinished.event.status,
    ).toBe('aborted')
  })

  it("counts children's usage towards the parent's budget", async () => {
    const { engine } = await engineWith(
      (request) =>
        agentOf(request) === 'root'
          ? request.messages.some((message) => message.role === 'tool')
            ? { text: 'done' }
            : { calls: [{ name: 'task', args: { agent: 'writer', prompt: 'spend' } }], usage: [10, 10] }
          : { text: 'spent', usage: [1000, 10] },
      { budget: { maxTokens: 500 } },
    )
    const result = await engine.run('go')
    expect(result.status).toBe('budget_exceeded')
    expect(result.usage.totalTokens).toBe(1030)
  })
})

function lastTextOf(content: readonly { type: string }[]): string {
  return content.map((block) => ('text' in block ? String(block.text) : '')).join('')
}

describe("a child's events", () => {
  it('reach the parent wrapped, without its streamed text', async () => {
    const { engine } = await engineWith((request) =>
      agentOf(request) === 'root'
        ? request.messages.some((message) => message.role === 'tool')
          ? { text: 'ok' }
          : { calls: [{ name: 'task', args: { agent: 'writer', prompt: 'say a few words' } }] }
        : { text: 'several words streamed one by one' },
    )
    const events: EngineEvent[] = []
    await engine.run('go', { onEvent: (event) => events.push(event) })
    const inner = events.flatMap((event) => (event.type === 'subagent.event' ? [event.event.type] : []))
    expect(inner).toContain('run.finished')
    expect(inner).toContain('usage')
    expect(inner).not.toContain('text.delta')
    expect(
      events
        .filter((event) => event.type === 'text.delta')
        .map((event) => event.type === 'text.delta' && event.delta)
        .join(''),
    ).toBe('ok')
  })
})

describe('children without a store (library mode)', () => {
  /** The root's script: start `reader`, continue it by its session_id, then try the edge cases. */
  function script(request: ChatRequest): ScriptStep {
    const agent = agentOf(request)
    if (agent === 'reader') {
      // The child's whole conversation so far is in its request: show how many prompts it has seen.
      const prompts = request.messages.filter((message) => message.role === 'user').map(lastTextOfMessage)
      return { text: `reader has seen: ${prompts.join(' | ')}` }
    }
    const results = request.messages.filter((message) => message.role === 'tool')
    const last = results.at(-1)
    const id = /session_id: (\S+)/.exec(last ? lastTextOfMessage(last) : '')?.[1] ?? ''
    switch (results.length) {
      case 0:
        return { calls: [{ name: 'task', args: { agent: 'reader', prompt: 'remember 42' } }] }
      case 1:
        return {
          calls: [{ name: 'task', args: { agent: 'reader', prompt: 'what was it?', session_id: id } }],
        }
      case 2:
        // The same child twice in one turn: the second call is refused, the first continues it.
        return {
          calls: [
            { name: 'task', args: { agent: 'reader', prompt: 'once more', session_id: id } },
            { name: 'task', args: { agent: 'reader', prompt: 'and again', session_id: id } },
            { name: 'task', args: { agent: 'writer', prompt: 'as writer', session_id: id } },
            { name: 'task', args: { agent: 'reader', prompt: 'who?', session_id: 'ses_unknown' } },
          ],
        }
      default:
        return { text: 'done' }
    }
  }

  it('continue a child by session_id within the process, one call at a time, with its agent', async () => {
    const scripted = scriptedStream(script)
    const agent = new PenguinAgent({
      model: testModel(),
      workspace: await tempDir(),
      stream: scripted.stream,
      subagents: subagents(),
    })
    const result = await agent.run('go')
    expect(result.status).toBe('completed')
    const outputs = (await agent.messages())
      .filter((message) => message.role === 'tool')
      .map((message) => lastTextOfMessage(message))
    expect(outputs[0]).toMatch(/^reader has seen: remember 42\n/)
    expect(outputs[1]).toMatch(/^reader has seen: remember 42 \| what was it\?\n/)
    // Same session id all along: one child, continued.
    const ids = outputs.slice(0, 3).map((output) => /session_id: (\S+)/.exec(output)?.[1])
    expect(new Set(ids).size).toBe(1)
    expect(outputs[2]).toMatch(/^reader has seen: remember 42 \| what was it\? \| once more\n/)
    expect(outputs[3]).toMatch(
      /is still answering another task call; continue it after that call has answered/,
    )
    expect(outputs[4]).toMatch(/runs the reader agent, not writer/)
    expect(outputs[5]).toBe('No task session "ses_unknown" of this session to continue.')

    // Another PenguinAgent (another process's worth of memory) cannot continue it.
    const other = new PenguinAgent({
      model: testModel(),
      workspace: await tempDir(),
      stream: scriptedStream((request) =>
        agentOf(request) === 'root' && !request.messages.some((message) => message.role === 'tool')
          ? {
              calls: [
                { name: 'task', args: { agent: 'reader', prompt: 'still there?', session_id: ids[0] } },
              ],
            }
          : { text: 'ok' },
      ).stream,
      subagents: subagents(),
    })
    await other.run('go')
    const refused = (await other.messages()).find((message) => message.role === 'tool')
    expect(refused && lastTextOfMessage(refused)).toBe(
      `No task session "${ids[0]}" of this session to continue.`,
    )
  })
})

function lastTextOfMessage(message: { role: string; content: unknown }): string {
  return Array.isArray(message.content) ? lastTextOf(message.content) : String(message.content)
}
