import { describe, expect, test } from 'vitest'
import { parseAgentFile } from '../src/agents/parse.js'
import { agentToolFilter, BUILTIN_AGENTS } from '../src/index.js'

describe('parseAgentFile', () => {
  test("reads Claude Code's format and maps its tool names", () => {
    const parsed = parseAgentFile(
      '---\nname: reviewer\ndescription: Reviews\ntools: Read, Grep, Bash, mcp__github__*\nmodel: sonnet\n---\nReview.\n',
      '/x/.claude/agents/reviewer.md',
      'workspace',
    )
    expect(parsed).toEqual({
      ok: true,
      agent: {
        name: 'reviewer',
        description: 'Reviews',
        tools: ['read_file', 'grep', 'run_command', 'mcp__github__*'],
        model: 'sonnet',
        prompt: 'Review.',
        origin: 'workspace',
        file: '/x/.claude/agents/reviewer.md',
      },
    })
    if (!parsed.ok) return
    const offered = agentToolFilter(parsed.agent)!
    expect(['read_file', 'edit_file', 'mcp__github__issues', 'mcp__other__x'].filter(offered)).toEqual([
      'read_file',
      'mcp__github__issues',
    ])
  })

  test('names the field at fault', () => {
    const bad = (text: string) => {
      const parsed = parseAgentFile(text, '/a/x.md', 'user')
      return parsed.ok ? undefined : parsed.problem.field
    }
    expect(bad('---\nreasoning: huge\n---\nx')).toBe('reasoning')
    expect(bad('---\npermissions:\n  - tool: x\n    action: maybe\n---\nx')).toBe('permissions[0].action')
    expect(bad('---\nname: "bad name"\n---\nx')).toBe('name')
    expect(bad('---\nname: [\n---\nx')).toBe('front matter')
    expect(bad('---\nname: ok\n---\n')).toBe('body')
    expect(bad('no front matter')).toBe('front matter')
  })

  test('the built-ins: plan, explore and review are read-only', () => {
    const names = BUILTIN_AGENTS.map((agent) => agent.name)
    expect(names).toEqual(['build', 'plan', 'explore', 'test', 'review'])
    for (const name of ['plan', 'explore', 'review']) {
      const offered = agentToolFilter(BUILTIN_AGENTS.find((agent) => agent.name === name)!)!
      expect(['write_file', 'edit_file', 'apply_patch', 'run_command'].filter(offered)).toEqual([])
    }
  })
})
