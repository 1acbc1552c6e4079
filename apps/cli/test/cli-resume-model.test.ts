/**
 * A resumed session keeps the model it ran on: `penguin run --continue` / `--session ID` and chat
 * `--continue` without `--model` go on on the session's model, not the configured default; `--model`
 * (or `--agent` naming an agent with a model of its own) switches it, and the switch is stored.
 * Real CLI, one session database, the mock model over HTTP: the model name it received is checked.
 */
import type { MockServer } from '@penguin-ai/mock-llm'
import { useMockLlm } from '@penguin-ai/mock-llm/vitest'
import { describe, expect, test } from 'vitest'
import { agentUser, type TestUser } from './agent-fixtures.js'
import { jsonLines, makeRepo } from './cli-helpers.js'

const mock = useMockLlm()

/** The configured default model: what a resume must not fall back to. */
const CONFIG = { model: 'openai/gpt-4o' }

/** The model name of the mock's `index`th request. */
const modelOf = (server: MockServer, index: number): unknown =>
  (server.requests[index]?.body as { model?: unknown } | undefined)?.model

function runIn(u: TestUser, server: MockServer, repo: string) {
  return (...args: string[]) =>
    u.penguin(['run', '--base-url', server.url, '--db', u.db, '--cwd', repo, ...args])
}

describe('a resumed session keeps its model', () => {
  test('run --continue and --session go on on the session model; --model switches it for good', async () => {
    const u = await agentUser({}, CONFIG)
    const repo = await makeRepo({ 'a.txt': 'alpha\n' })
    const server = await mock([
      { text: 'one' },
      { text: 'two' },
      { text: 'three' },
      { text: 'four' },
      { text: 'five' },
    ])
    const run = runIn(u, server, repo)

    const first = await run('--model', 'openai/gpt-4o-mini', '--json', 'start')
    expect(first.code).toBe(0)
    expect(modelOf(server, 0)).toBe('gpt-4o-mini')
    const id = jsonLines(first.stdout).find((event) => event.type === 'run.started')?.sessionId
    expect(id).toMatch(/^ses_/)

    expect((await run('--continue', 'go on')).code).toBe(0)
    expect(modelOf(server, 1)).toBe('gpt-4o-mini')
    expect((await run('--session', String(id), 'and on')).code).toBe(0)
    expect(modelOf(server, 2)).toBe('gpt-4o-mini')

    // A flag wins, and the session goes on on that model from then on.
    expect((await run('--continue', '--model', 'openai/gpt-4.1', 'switch')).code).toBe(0)
    expect(modelOf(server, 3)).toBe('gpt-4.1')
    expect((await run('--continue', 'after the switch')).code).toBe(0)
    expect(modelOf(server, 4)).toBe('gpt-4.1')
    const shown = await u.penguin(['sessions', 'list', '--db', u.db, '--json'])
    expect(JSON.parse(shown.stdout)).toMatchObject([{ id, model: 'openai/gpt-4.1' }])
  })

  test('--agent naming a model of its own switches to it; an agent without one keeps the session model', async () => {
    const u = await agentUser(
      {
        'quick.md': '---\nname: quick\ndescription: d\nmodel: openai/o4-mini\n---\nBe quick.\n',
        'plain.md': '---\nname: plain\ndescription: d\n---\nBe plain.\n',
      },
      CONFIG,
    )
    const repo = await makeRepo({ 'a.txt': 'alpha\n' })
    const server = await mock([{ text: 'one' }, { text: 'two' }, { text: 'three' }])
    const run = runIn(u, server, repo)
    expect((await run('--model', 'openai/gpt-4o-mini', 'start')).code).toBe(0)
    expect((await run('--continue', '--agent', 'plain', 'as plain')).code).toBe(0)
    expect(modelOf(server, 1)).toBe('gpt-4o-mini')
    expect((await run('--continue', '--agent', 'quick', 'as quick')).code).toBe(0)
    expect(modelOf(server, 2)).toBe('o4-mini')
  })

  test('chat --continue comes back on the session model, and says so', async () => {
    const u = await agentUser({}, CONFIG)
    const repo = await makeRepo({ 'a.txt': 'alpha\n' })
    const server = await mock([{ text: 'one' }, { text: 'two' }])
    const chat = (stdin: string, ...args: string[]) =>
      u.penguin(['--base-url', server.url, '--db', u.db, '--cwd', repo, ...args], { stdin })
    expect((await chat('hello\n/exit\n', '--model', 'openai/gpt-4o-mini')).code).toBe(0)
    const resumed = await chat('again\n/exit\n', '--continue')
    expect(resumed.code).toBe(0)
    expect(modelOf(server, 1)).toBe('gpt-4o-mini')
    expect(resumed.stdout + resumed.stderr).toContain('openai/gpt-4o-mini')
  })

  test('chat /resume ID goes on on that session model too', async () => {
    const u = await agentUser({}, CONFIG)
    const repo = await makeRepo({ 'a.txt': 'alpha\n' })
    const server = await mock([{ text: 'one' }, { text: 'two' }, { text: 'three' }])
    const chat = (stdin: string, ...args: string[]) =>
      u.penguin(['--base-url', server.url, '--db', u.db, '--cwd', repo, ...args], { stdin })
    expect((await chat('hello\n/exit\n', '--model', 'openai/gpt-4o-mini')).code).toBe(0)
    const listed = await u.penguin(['sessions', 'list', '--db', u.db, '--json'])
    const [first] = JSON.parse(listed.stdout) as Array<{ id: string }>
    // A new chat on the default model, then back to the first session.
    const resumed = await chat(`fresh\n/resume ${first?.id}\nagain\n/exit\n`)
    expect(resumed.code).toBe(0)
    expect(modelOf(server, 1)).toBe('gpt-4o')
    expect(resumed.stdout + resumed.stderr, resumed.stdout + resumed.stderr).toContain(
      'Model: openai/gpt-4o-mini',
    )
    expect(modelOf(server, 2)).toBe('gpt-4o-mini')
  })

  test('a session model that cannot be used here stops the resume (exit 2) before anything is sent', async () => {
    const u = await agentUser({}, CONFIG)
    const repo = await makeRepo({ 'a.txt': 'alpha\n' })
    const server = await mock([{ text: 'one' }, { text: 'two' }])
    const run = runIn(u, server, repo)
    // The first run on Anthropic's Messages API (the mock speaks it at its root), with its key.
    const env = { ANTHROPIC_API_KEY: 'sk-ant-test', ANTHROPIC_BASE_URL: server.root }
    const args = ['--model', 'anthropic/claude-sonnet-4-5', '--db', u.db, '--cwd', repo, 'start']
    expect((await u.penguin(['run', ...args], { env })).code).toBe(0)
    const refused = await run('--continue', 'go on')
    expect(refused.code).toBe(2)
    expect(refused.stderr).toContain('The session ran on the model "anthropic/claude-sonnet-4-5"')
    expect(refused.stderr).toContain('ANTHROPIC_API_KEY')
    expect(refused.stderr).toContain('Pass --model MODEL')
    expect(refused.stderr).not.toMatch(/\n\s+at /)
    expect(server.requests).toHaveLength(1)
    // Naming a model is the way on.
    expect((await run('--continue', '--model', 'openai/gpt-4o', 'go on')).code).toBe(0)
    expect(modelOf(server, 1)).toBe('gpt-4o')
  })
})
