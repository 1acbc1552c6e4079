/**
 * Issue 16: the agent a session runs as is stored with it. `penguin run --agent NAME` and chat
 * `/agent NAME` record it; `--continue`, `--session ID` and chat `/resume ID` go on as that agent
 * (a read-only session never comes back with every tool); `--agent` on a resume switches it. Real
 * CLI, one session database, the mock model over HTTP.
 */
import { rm } from 'node:fs/promises'
import { join } from 'node:path'
import type { MockServer } from '@penguin-ai/mock-llm'
import { useMockLlm } from '@penguin-ai/mock-llm/vitest'
import { describe, expect, test } from 'vitest'
import { agentUser, systemPrompt, type TestUser, toolNames } from './agent-fixtures.js'
import { jsonLines, makeRepo } from './cli-helpers.js'

const mock = useMockLlm()

const PLAN_TOOLS = ['read_file', 'list_files', 'grep', 'todo_write', 'memory_search']
const EXPLORE_TOOLS = ['read_file', 'list_files', 'grep', 'memory_search']

/** `penguin run` against the mock, on the user's database, in `repo`. */
function runIn(u: TestUser, server: MockServer, repo: string) {
  return (...args: string[]) => u.run(server, ['--cwd', repo, ...args])
}

async function sessionIds(u: TestUser): Promise<string[]> {
  const listed = await u.penguin(['sessions', 'list', '--db', u.db, '--json'])
  return (JSON.parse(listed.stdout) as Array<{ id: string }>).map((session) => session.id)
}

describe('the agent is stored with the session', () => {
  test('run --agent is kept by --continue and --session; --agent on a resume switches it', async () => {
    const u = await agentUser()
    const repo = await makeRepo({ 'a.txt': 'alpha\n' })
    const server = await mock([
      { text: 'planned' },
      { text: 'still planning' },
      { text: 'built' },
      { text: 'built on' },
    ])
    const run = runIn(u, server, repo)

    const first = await run('--agent', 'plan', '--json', 'plan it')
    expect(first.code).toBe(0)
    const id = jsonLines(first.stdout).find((event) => event.type === 'run.started')?.sessionId
    expect(id).toMatch(/^ses_/)

    const resumed = await run('--continue', 'go on')
    expect(resumed.stderr).not.toMatch(/\n\s+at /)
    expect(resumed.code).toBe(0)
    expect(toolNames(server, 1)).toEqual(PLAN_TOOLS)
    expect(systemPrompt(server, 1)).toContain('<agent name="plan">')
    const shown = await u.penguin(['sessions', 'show', String(id), '--db', u.db])
    expect(shown.stdout).toContain('- agent: plan')

    const switched = await run('--session', String(id), '--agent', 'build', 'build it')
    expect(switched.code).toBe(0)
    expect(toolNames(server, 2)).toContain('edit_file')
    expect(systemPrompt(server, 2)).toContain('<agent name="build">')
    // From then on the session is a build session.
    expect((await run('--continue', 'more')).code).toBe(0)
    expect(systemPrompt(server, 3)).toContain('<agent name="build">')
    expect(await sessionIds(u)).toEqual([id])
  })

  test('an agent that is gone since stops the resume (exit 2) before anything is sent', async () => {
    const u = await agentUser({
      'careful.md': '---\nname: careful\ndescription: Reads only\ntools: read_file\n---\nOnly read.\n',
    })
    const repo = await makeRepo({ 'a.txt': 'alpha\n' })
    const server = await mock([{ text: 'read it' }, { text: 'as build' }])
    const run = runIn(u, server, repo)
    expect((await run('--agent', 'careful', 'look')).code).toBe(0)
    expect(toolNames(server, 0)).toEqual(['read_file'])

    await rm(join(u.agentsDir, 'careful.md'))
    const refused = await run('--continue', 'go on')
    expect(refused.code).toBe(2)
    expect(refused.stderr).toContain('The session ran as the agent "careful", which is not available here.')
    expect(refused.stderr).toContain('Pass --agent NAME')
    expect(refused.stderr).not.toMatch(/\n\s+at /)
    expect(server.requests).toHaveLength(1)

    // Naming an agent is the way on.
    expect((await run('--continue', '--agent', 'build', 'go on')).code).toBe(0)
    expect(systemPrompt(server, 1)).toContain('<agent name="build">')
  })

  test('chat /agent is stored: chat --continue and /resume come back as that agent', async () => {
    const u = await agentUser()
    const repo = await makeRepo({ 'a.txt': 'alpha\n' })
    const server = await mock([
      { text: 'as build' },
      { text: 'as explore' },
      { text: 'explore, continued' },
      { text: 'explore, resumed' },
    ])
    const chat = (stdin: string, ...args: string[]) =>
      u.penguin(
        ['--model', 'openai/gpt-4o', '--base-url', server.url, '--db', u.db, '--cwd', repo, ...args],
        {
          stdin,
        },
      )

    const first = await chat('one\n/agent explore\ntwo\n/exit\n')
    expect(first.code).toBe(0)
    expect(systemPrompt(server, 1)).toContain('<agent name="explore">')
    const [id] = await sessionIds(u)

    const continued = await chat('three\n/exit\n', '--continue')
    expect(continued.stderr).not.toMatch(/\n\s+at /)
    expect(continued.code).toBe(0)
    expect(toolNames(server, 2)).toEqual(EXPLORE_TOOLS)
    expect(systemPrompt(server, 2)).toContain('<agent name="explore">')

    // A chat that starts as build and resumes the session switches to the session's agent.
    const resumed = await chat(`/resume ${id}\nfour\n/exit\n`)
    expect(resumed.code).toBe(0)
    expect(resumed.stdout).toMatch(/Agent: explore, model (openai\/)?gpt-4o/)
    expect(toolNames(server, 3)).toEqual(EXPLORE_TOOLS)
    expect(systemPrompt(server, 3)).toContain('<agent name="explore">')
  })
})
