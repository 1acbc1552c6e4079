/**
 * Issue 16, "The task tool": a parent run whose model calls `task` twice in one turn gets both
 * children's answers; the children run concurrently (the mock holds one child's answer until the
 * other child has asked) with only their agents' tools; `penguin sessions show` prints the tree; a
 * `.claude/agents/reviewer.md` of a trusted workspace is used as written. Real CLI, mock model over HTTP.
 */

import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { createGate, type MockTurn, type RecordedRequest } from '@penguin-ai/mock-llm'
import { useMockLlm } from '@penguin-ai/mock-llm/vitest'
import { describe, expect, test } from 'vitest'
import { agentUser, chatBody, REVIEWER } from './agent-fixtures.js'
import { jsonLines, makeRepo, runPenguinInTerminal } from './cli-helpers.js'

const mock = useMockLlm()

const body = chatBody
/** Whose request: the `<agent name="…">` section of the system prompt, `parent` without one. */
const agentOf = (request: RecordedRequest) =>
  /<agent name="([^"]+)">/.exec(body(request).messages[0]?.content ?? '')?.[1] ?? 'parent'
const toolsOf = (request: RecordedRequest) =>
  (body(request).tools ?? []).map((tool) => tool.function.name).sort()
const answered = (request: RecordedRequest) =>
  body(request).messages.some((message) => message.role === 'tool')

/** A user of their own, on their own database; sub-agent runs are slow on a busy machine. */
const user = () => agentUser({}, {}, { timeoutMs: 90_000 })

describe('the task tool through penguin run', () => {
  test('two task calls in one turn run concurrently with their own tools; sessions show prints the tree', async () => {
    const u = await user()
    const repo = await makeRepo({
      '.claude/agents/reviewer.md': REVIEWER,
      'src/add.js': 'export const add = (a, b) => a - b\n',
    })
    expect((await u.penguin(['trust', repo])).code).toBe(0)
    // Each child's first answer waits until both children have asked: run one after the other,
    // the first would wait forever (and the run fail on its bound).
    const bothAsked = createGate()
    let childRequests = 0
    const script = (request: RecordedRequest): MockTurn => {
      const agent = agentOf(request)
      if (agent === 'parent') {
        if (answered(request)) return { text: 'Both agents reported back.' }
        return {
          toolCalls: [
            {
              name: 'task',
              arguments: { agent: 'explore', prompt: 'Where is add defined?', description: 'find add' },
            },
            {
              name: 'task',
              arguments: { agent: 'reviewer', prompt: 'Review src/add.js', description: 'review add' },
            },
          ],
        }
      }
      if (!answered(request)) {
        childRequests++
        if (childRequests === 2) bothAsked.open()
      }
      if (agent === 'reviewer') {
        if (!answered(request))
          return {
            toolCalls: [{ name: 'read_file', arguments: { path: 'src/add.js' } }],
            holdUntil: bothAsked.promise,
          }
        return { text: 'src/add.js:1 subtracts instead of adding.' }
      }
      return { text: 'add is defined in src/add.js:1', holdUntil: bothAsked.promise }
    }
    const server = await mock({ script })

    const run = await u.run(server, ['--cwd', repo, '--json', 'Find and review add'])
    expect(run.stderr).not.toContain('Error')
    expect(run.code).toBe(0)
    const events = jsonLines(run.stdout)
    const finished = events.filter((event) => event.type === 'run.finished')
    expect(finished).toHaveLength(1)
    expect(finished[0]).toMatchObject({ status: 'completed', text: 'Both agents reported back.' })

    // Both answers reached the parent's model, with each child's session id.
    const last = server.requests.at(-1) as RecordedRequest
    expect(agentOf(last)).toBe('parent')
    const results = body(last).messages.filter((message) => message.role === 'tool')
    expect(results).toHaveLength(2)
    expect(results[0]?.content).toContain('add is defined in src/add.js:1')
    expect(results[1]?.content).toContain('src/add.js:1 subtracts instead of adding.')
    const childIds = results.map((result) => /session_id: (ses_\w+)/.exec(result.content ?? '')?.[1])
    expect(childIds.every(Boolean)).toBe(true)

    // Only their declared tools: explore's read-only set; the reviewer's file as written.
    const explore = server.requests.find((request) => agentOf(request) === 'explore') as RecordedRequest
    const reviewer = server.requests.find((request) => agentOf(request) === 'reviewer') as RecordedRequest
    expect(toolsOf(explore)).toEqual(['grep', 'list_files', 'memory_search', 'read_file'])
    expect(toolsOf(reviewer)).toEqual(['grep', 'list_files', 'read_file'])
    expect(body(reviewer).messages[0]?.content).toContain(
      'You are a meticulous reviewer. Point at bugs with file:line.',
    )
    const reviewed = server.requests
      .filter((request) => agentOf(request) === 'reviewer')
      .at(-1) as RecordedRequest
    expect(body(reviewed).messages.at(-1)?.content).toContain('export const add')
    // The parent offered task; the children's prompt is the task's, not the parent's conversation.
    expect(toolsOf(server.requests[0] as RecordedRequest)).toContain('task')
    expect(
      body(explore)
        .messages.filter((message) => message.role === 'user')
        .map((m) => m.content),
    ).toEqual(['Where is add defined?'])

    // Events carry the session ids: children's are nested under the parent's.
    const started = events.find((event) => event.type === 'run.started') as unknown as { sessionId: string }
    const parentId = started.sessionId
    const nested = events.filter((event) => event.type === 'subagent.event') as unknown as Array<{
      agent: string
      sessionId: string
      event: {
        type: string
        sessionId: string
        parentSessionId: string
        session_id: string
        parent_session_id: string
      }
    }>
    const childStarts = nested.filter((event) => event.event.type === 'run.started')
    expect(childStarts.map((event) => event.agent).sort()).toEqual(['explore', 'reviewer'])
    for (const event of childStarts) {
      expect(event.sessionId).toBe(parentId)
      expect(event.event.parentSessionId).toBe(parentId)
      expect(childIds).toContain(event.event.sessionId)
      expect(event.event).toMatchObject({ session_id: event.event.sessionId, parent_session_id: parentId })
    }

    const shown = await u.penguin(['sessions', 'show', parentId, '--db', u.db])
    expect(shown.code).toBe(0)
    const tree = shown.stdout.slice(shown.stdout.indexOf('## Sessions'))
    expect(tree).toMatch(new RegExp(`${parentId}  Find and review add · \\d+ messages  ←`))
    expect(tree).toMatch(new RegExp(`├── ${childIds[0]}  \\[explore\\] find add · 2 messages`))
    expect(tree).toMatch(new RegExp(`└── ${childIds[1]}  \\[reviewer\\] review add · 4 messages`))
    // A child's own page names its parent and shows the same tree.
    const child = await u.penguin(['sessions', 'show', childIds[1] as string, '--db', u.db])
    expect(child.stdout).toContain(`sub-agent: reviewer, started by \`${parentId}\``)
    expect(child.stdout).toMatch(new RegExp(`└── ${childIds[1]}  \\[reviewer\\] review add · 4 messages  ←`))
    // Top-level lists keep to top-level sessions.
    const listed = await u.penguin(['sessions', 'list', '--db', u.db, '--json'])
    expect((JSON.parse(listed.stdout) as Array<{ id: string }>).map((session) => session.id)).toEqual([
      parentId,
    ])
  })

  test('the plain renderer shows the children indented under the parent, labelled with their agent', async () => {
    const u = await user()
    const repo = await makeRepo({ 'notes.md': 'alpha\n' })
    const server = await mock({
      script: (request) => {
        const agent = agentOf(request)
        if (agent === 'parent')
          return answered(request)
            ? { text: 'Summarised.' }
            : { toolCalls: [{ name: 'task', arguments: { agent: 'explore', prompt: 'Read notes.md' } }] }
        return answered(request)
          ? { text: 'It says alpha.' }
          : { toolCalls: [{ name: 'read_file', arguments: { path: 'notes.md' } }] }
      },
    })
    const run = await u.run(server, ['--cwd', repo, 'Summarise the notes'])
    expect(run.code).toBe(0)
    expect(run.stdout).toContain('Summarised.')
    const lines = run.stderr.split('\n')
    const start = lines.findIndex((line) => line.includes('▸ [explore] Read notes.md'))
    const read = lines.findIndex((line) => /^ {2}│ \[explore\] ✓ read_file notes\.md/.test(line))
    const done = lines.findIndex((line) => /^ {2}│ ✓ \[explore\] done · 2 turns/.test(line))
    const task = lines.findIndex((line) => /^✓ task explore/.test(line))
    expect(start).toBeGreaterThanOrEqual(0)
    expect(read).toBeGreaterThan(start)
    expect(done).toBeGreaterThan(read)
    expect(task).toBeGreaterThan(done)
  })

  test('a run without --agent is the build agent: it cannot start build as a sub-agent', async () => {
    const u = await user()
    const repo = await makeRepo({ 'notes.md': 'alpha\n' })
    const server = await mock({
      script: (request) =>
        answered(request)
          ? { text: 'Did it myself.' }
          : { toolCalls: [{ name: 'task', arguments: { agent: 'build', prompt: 'Do it all again' } }] },
    })
    const run = await u.run(server, ['--cwd', repo, '--json', 'Do it'])
    expect(run.code).toBe(0)
    const finished = jsonLines(run.stdout).find((event) => event.type === 'tool.finished')
    expect(finished?.output).toMatch(/The build agent cannot start itself/)
    // No child ever asked the model: the parent's two requests are all.
    expect(server.requests.map(agentOf)).toEqual(['parent', 'parent'])
  })

  test('at a terminal: the user\'s "always" carries over to the child, whose own question is labelled', async () => {
    const repo = await makeRepo({ 'README.md': '# r\n' })
    const server = await mock({
      script: (request) => {
        const agent = agentOf(request)
        const results = body(request).messages.filter((message) => message.role === 'tool').length
        if (agent === 'parent') {
          if (results === 0)
            return { toolCalls: [{ name: 'write_file', arguments: { path: 'a.txt', content: 'a\n' } }] }
          if (results === 1)
            return {
              toolCalls: [{ name: 'task', arguments: { agent: 'test', prompt: 'Write b.txt, then run it' } }],
            }
          return { text: 'All written.' }
        }
        if (results === 0)
          return {
            toolCalls: [
              { name: 'write_file', arguments: { path: 'b.txt', content: 'b\n' } },
              { name: 'run_command', arguments: { command: 'cat b.txt' } },
            ],
          }
        return { text: 'b.txt written; not allowed to run it.' }
      },
    })
    const result = await runPenguinInTerminal(
      // Without the sandbox: commands are asked about (in it they run without asking).
      [
        'run',
        '--sandbox',
        'off',
        '--model',
        'openai/gpt-4o',
        '--base-url',
        server.url,
        '--cwd',
        repo,
        'write',
      ],
      [
        { expect: '[a]lways for this session', send: 'a\r' },
        { expect: '[y]es / [n]o', send: 'n\r' },
      ],
      { env: { OPENAI_API_KEY: 'sk-test' } },
    )
    expect(result.code, result.stdout).toBe(0)
    const questions = result.stdout.split('\n').filter((line) => /^\? .*Allow/.test(line.trim()))
    expect(questions).toHaveLength(2)
    expect(questions[0]?.trim()).toMatch(/^\? Allow write_file a\.txt/)
    expect(questions[1]?.trim()).toMatch(/^\? \[test\] Allow run_command cat b\.txt/)
    expect(readFileSync(join(repo, 'b.txt'), 'utf8')).toBe('b\n')
    expect(existsSync(join(repo, 'a.txt'))).toBe(true)
    expect(result.stdout).toContain('All written.')
  })
})
