/**
 * Issue 16, "Agents as files": built-in agents, agent files (Claude Code / opencode / Penguin
 * folders), `penguin agents list|show`, `penguin run --agent`, all through the real CLI with the
 * mock model over HTTP.
 */
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { useMockLlm } from '@penguin-ai/mock-llm/vitest'
import { describe, expect, test } from 'vitest'
import { REVIEWER, systemPrompt, toolNames, agentUser as user } from './agent-fixtures.js'
import { makeRepo } from './cli-helpers.js'

const mock = useMockLlm()

describe('penguin agents list / show', () => {
  test('lists the built-ins and the files of the user and a trusted workspace', async () => {
    const u = await user({
      'careful.md': `---\nname: careful\ndescription: Asks before everything\npermissions:\n  - tool: "*"\n    action: ask\n---\nBe careful.\n`,
    })
    const repo = await makeRepo({
      '.claude/agents/reviewer.md': REVIEWER,
      '.opencode/agent/docs-writer.md': `---\ndescription: Writes docs\ntools:\n  bash: false\n  write: true\n---\nWrite docs.\n`,
      '.penguin/agents/tester.md': `---\nname: tester\ndescription: Runs tests\ntools: [read_file, run_command]\nmax_iterations: 7\nreasoning: low\n---\nRun the tests.\n`,
    })
    expect((await u.penguin(['trust', repo])).code).toBe(0)
    const listed = await u.penguin(['agents', 'list', '--cwd', repo])
    expect(listed.code).toBe(0)
    const names = listed.stdout
      .trim()
      .split('\n')
      .map((line) => line.split(/\s+/)[0])
    expect(names).toEqual([
      'build',
      'plan',
      'explore',
      'test',
      'review',
      'careful',
      'reviewer',
      'docs-writer',
      'tester',
    ])
    expect(listed.stdout).toMatch(/^plan\s+built-in\s+Read-only/m)
    expect(listed.stdout).toMatch(/^reviewer\s+workspace\s+Reviews code for bugs/m)

    const json = await u.penguin(['agents', 'list', '--json', '--cwd', repo])
    const parsed = JSON.parse(json.stdout) as { agents: Array<Record<string, unknown>>; problems: unknown[] }
    expect(parsed.problems).toEqual([])
    const byName = new Map(parsed.agents.map((agent) => [agent.name, agent]))
    // Claude Code's tool names map to Penguin's; "inherit" keeps the session's model.
    expect(byName.get('reviewer')).toMatchObject({
      origin: 'workspace',
      tools: ['read_file', 'grep', 'list_files'],
      file: join(repo, '.claude/agents/reviewer.md'),
    })
    expect(byName.get('docs-writer')).toMatchObject({ disallowedTools: ['run_command'] })
    expect(byName.get('tester')).toMatchObject({ maxIterations: 7, reasoning: 'low' })
    expect(byName.get('careful')).toMatchObject({
      origin: 'user',
      permissions: [{ tool: '*', action: 'ask' }],
    })

    const shown = await u.penguin(['agents', 'show', 'reviewer', '--cwd', repo])
    expect(shown.code).toBe(0)
    expect(shown.stdout).toContain('tools:       read_file, grep, list_files')
    expect(shown.stdout).toContain('You are a meticulous reviewer.')
    const shownJson = JSON.parse((await u.penguin(['agents', 'show', 'plan', '--json'])).stdout)
    expect(shownJson).toMatchObject({
      name: 'plan',
      origin: 'builtin',
      tools: expect.arrayContaining(['todo_write']),
    })
    expect(shownJson.tools).not.toContain('edit_file')

    const unknown = await u.penguin(['agents', 'show', 'nobody'])
    expect(unknown.code).toBe(2)
    expect(unknown.stderr).toContain('Unknown agent "nobody"')
  })

  test('a bad file is reported with its path and field, and skipped', async () => {
    const u = await user({
      'broken.md': `---\nname: broken\ndescription: bad\nmax_iterations: lots\n---\nHello\n`,
      'fine.md': `---\nname: fine\ndescription: ok\n---\nFine.\n`,
      'no-front.md': 'Just text, no front matter.\n',
    })
    const listed = await u.penguin(['agents', 'list'])
    expect(listed.code).toBe(0)
    expect(listed.stdout).toMatch(/^fine\s+user/m)
    expect(listed.stdout).not.toMatch(/^broken/m)
    expect(listed.stderr).toContain(
      `skipping agent file ${join(u.agentsDir, 'broken.md')}: "max_iterations":`,
    )
    expect(listed.stderr).toContain(
      `skipping agent file ${join(u.agentsDir, 'no-front.md')}: "front matter":`,
    )

    const json = JSON.parse((await u.penguin(['agents', 'list', '--json'])).stdout) as {
      problems: Array<{ file: string; field: string }>
    }
    expect(json.problems.map((p) => [p.file, p.field])).toEqual([
      [join(u.agentsDir, 'broken.md'), 'max_iterations'],
      [join(u.agentsDir, 'no-front.md'), 'front matter'],
    ])

    // Asking for the skipped agent says why it is not there (exit 2, no model request).
    const server = await mock([{ text: 'never' }])
    const run = await u.run(server, ['--agent', 'broken', 'hi'])
    expect(run.code).toBe(2)
    expect(run.stderr).toContain('Unknown agent "broken"')
    expect(run.stderr).toContain('"max_iterations"')
    expect(server.requests).toHaveLength(0)
  })

  test('an untrusted workspace’s agent files are ignored with a notice', async () => {
    const u = await user()
    const repo = await makeRepo({ '.claude/agents/reviewer.md': REVIEWER })
    const listed = await u.penguin(['agents', 'list', '--cwd', repo])
    expect(listed.stdout).not.toMatch(/^reviewer/m)
    expect(listed.stderr).toContain(
      `penguin: ignoring agent files in .claude/agents/ of ${repo}: this workspace is not trusted (trust it with: penguin trust ${repo}).`,
    )
    const server = await mock([{ text: 'never' }])
    const run = await u.run(server, ['--cwd', repo, '--agent', 'reviewer', 'x'])
    expect(run.code).toBe(2)
    expect(run.stderr).toContain('ignoring agent files in .claude/agents/')
    expect(server.requests).toHaveLength(0)
  })
})

describe('penguin run --agent', () => {
  test('plan sends only read-only tools and todo_write, and an edit is refused', async () => {
    const u = await user()
    const repo = await makeRepo({ 'a.txt': 'alpha\n' })
    const server = await mock([
      {
        toolCalls: [
          { name: 'edit_file', arguments: { path: 'a.txt', old_string: 'alpha', new_string: 'omega' } },
        ],
      },
      {
        toolCalls: [
          { name: 'todo_write', arguments: { todos: [{ content: 'Change a.txt', status: 'pending' }] } },
        ],
      },
      { text: 'Plan written.' },
    ])
    const run = await u.run(server, ['--cwd', repo, '--yes', '--agent', 'plan', 'plan it'])
    expect(run.stderr).not.toMatch(/\n\s+at /)
    expect(toolNames(server)).toEqual(['read_file', 'list_files', 'grep', 'todo_write', 'memory_search'])
    expect(systemPrompt(server)).toContain('<agent name="plan">')
    expect(readFileSync(join(repo, 'a.txt'), 'utf8')).toBe('alpha\n')
    const toolReply = (
      server.requests[1]!.body as { messages: Array<{ role: string; content: string }> }
    ).messages.at(-1)!
    expect(toolReply.role).toBe('tool')
    expect(toolReply.content).toMatch(/edit_file/)
    expect(run.stdout).toContain('Plan written.')
  })

  test('an agent file from a trusted .claude/agents is used as written', async () => {
    const u = await user()
    const repo = await makeRepo({ '.claude/agents/reviewer.md': REVIEWER, 'x.js': 'let x = 1\n' })
    await u.penguin(['trust', repo])
    const server = await mock([{ text: 'Looks fine.' }])
    const run = await u.run(server, ['--cwd', repo, '--agent', 'reviewer', 'review x.js'])
    expect(run.code).toBe(0)
    expect(toolNames(server)).toEqual(['read_file', 'list_files', 'grep'])
    expect(systemPrompt(server)).toContain(
      '<agent name="reviewer">\nYou are a meticulous reviewer. Point at bugs with file:line.\n</agent>',
    )
    expect(server.requests[0]!.headers.authorization).toBe('Bearer sk-test')
  })

  test('a user agent sets model and max_iterations; a workspace agent’s permissions only tighten', async () => {
    const u = await user({
      'one-shot.md': `---\nname: one-shot\ndescription: d\nmodel: openai/gpt-4o-mini\nmax_iterations: 1\n---\nBe quick.\n`,
    })
    const server = await mock([
      { toolCalls: [{ name: 'list_files', arguments: {} }] },
      { text: 'never reached' },
    ])
    const repo = await makeRepo({ 'a.txt': 'alpha\n' })
    const run = await u.penguin(
      ['run', '--base-url', server.url, '--cwd', repo, '--agent', 'one-shot', 'go'],
      {
        env: { PENGUIN_MODEL: 'openai/gpt-4o' },
      },
    )
    expect((server.requests[0]!.body as { model: string }).model).toBe('gpt-4o-mini')
    expect(server.requests).toHaveLength(1)
    expect(run.stderr).toMatch(/iteration/i)

    // A trusted workspace agent's "allow" cannot approve a write the user's defaults ask about:
    // its rules only tighten (non-interactive, the ask is denied).
    const repo2 = await makeRepo({
      'a.txt': 'alpha\n',
      '.penguin/agents/yolo.md': `---\nname: yolo\ndescription: d\npermissions:\n  - tool: write_file\n    action: allow\n---\nGo.\n`,
    })
    await u.penguin(['trust', repo2])
    const writer = await mock([
      { toolCalls: [{ name: 'write_file', arguments: { path: 'b.txt', content: 'new\n' } }] },
      { text: 'done' },
    ])
    const tight = await u.run(writer, ['--cwd', repo2, '--agent', 'yolo', 'w'])
    expect(tight.stderr).not.toMatch(/\n\s+at /)
    expect(existsSync(join(repo2, 'b.txt'))).toBe(false)
    expect(tight.code).toBe(1)
  })
})

describe('chat /agent', () => {
  test('switches the agent mid-chat: tools and prompt follow, and back to build', async () => {
    const u = await user()
    const repo = await makeRepo({ 'a.txt': 'alpha\n' })
    const server = await mock([{ text: 'as build' }, { text: 'as explore' }, { text: 'as build again' }])
    const chat = await u.penguin(['--model', 'openai/gpt-4o', '--base-url', server.url, '--cwd', repo], {
      stdin: 'one\n/agent explore\ntwo\n/agent nobody\n/agent\n/agent build\nthree\n/exit\n',
    })
    expect(chat.stderr).not.toMatch(/\n\s+at /)
    expect(chat.code).toBe(0)
    expect(server.requests).toHaveLength(3)
    expect(toolNames(server, 0)).toContain('edit_file')
    expect(toolNames(server, 1)).toEqual(['read_file', 'list_files', 'grep', 'memory_search'])
    expect(systemPrompt(server, 1)).toContain('<agent name="explore">')
    expect(toolNames(server, 2)).toContain('edit_file')
    expect(systemPrompt(server, 2)).toContain('<agent name="build">')
    expect(chat.stdout).toMatch(/Agent: explore, model (openai\/)?gpt-4o/)
    expect(chat.stdout).toContain('Unknown agent "nobody"')
    expect(chat.stdout).toMatch(/Agent: explore\. Available: build, plan, \*explore, test, review/)
  })
})
