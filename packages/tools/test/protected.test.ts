import { mkdir, symlink } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { protectedDirectoryOf, protectedTargets } from '../src/index.js'
import { fixture } from './helpers.js'

describe('protected directories', () => {
  it('matches .git and .penguin on any segment, case-insensitively, and nothing else', () => {
    expect(protectedDirectoryOf('.git/hooks/pre-commit')).toBe('.git')
    expect(protectedDirectoryOf('.penguin/config.json')).toBe('.penguin')
    expect(protectedDirectoryOf('vendor/lib/.git/config')).toBe('.git')
    expect(protectedDirectoryOf('.GIT/config')).toBe('.git')
    expect(protectedDirectoryOf('.git./config')).toBe('.git')
    expect(protectedDirectoryOf('.git')).toBe('.git')
    expect(protectedDirectoryOf('.gitignore')).toBeUndefined()
    expect(protectedDirectoryOf('.github/workflows/ci.yml')).toBeUndefined()
    expect(protectedDirectoryOf('src/penguin/config.json')).toBeUndefined()
  })

  it('guards agent configuration the same way: .claude/, .mcp.json, opencode.json(c) at any depth', () => {
    expect(protectedDirectoryOf('.claude/agents/helper.md')).toBe('.claude')
    expect(protectedDirectoryOf('sub/.Claude/settings.json')).toBe('.claude')
    expect(protectedDirectoryOf('.mcp.json')).toBe('.mcp.json')
    expect(protectedDirectoryOf('pkg/.MCP.json.')).toBe('.mcp.json')
    expect(protectedDirectoryOf('opencode.json')).toBe('opencode.json')
    expect(protectedDirectoryOf('a/b/opencode.jsonc')).toBe('opencode.jsonc')
    expect(protectedDirectoryOf('sub/.penguin/config.json')).toBe('.penguin')
    expect(protectedDirectoryOf('mcp.json')).toBeUndefined()
    expect(protectedDirectoryOf('docs/opencode.json.md')).toBeUndefined()
    expect(protectedDirectoryOf('claude/agents/x.md')).toBeUndefined()
  })

  it('judges write calls as named and after symlinks; reads and commands are not file writes', async () => {
    const { root, workspace } = await fixture({ 'a.txt': 'a' })
    await mkdir(join(root, '.git', 'hooks'), { recursive: true })
    await symlink('.git/hooks', join(root, 'docs'))
    const write = (subject: string, paths?: string[]) => ({
      access: 'write' as const,
      subject,
      ...(paths ? { paths } : {}),
    })
    expect(await protectedTargets(write('a.txt'), workspace)).toEqual([])
    expect(await protectedTargets(write('docs/pre-commit'), workspace)).toEqual([
      { path: 'docs/pre-commit', realPath: '.git/hooks/pre-commit', directory: '.git' },
    ])
    expect(await protectedTargets(write('x', ['a.txt', '.penguin/config.json']), workspace)).toEqual([
      { path: '.penguin/config.json', directory: '.penguin' },
    ])
    expect(await protectedTargets({ access: 'read', subject: '.git/config' }, workspace)).toEqual([])
    expect(await protectedTargets({ access: 'execute', subject: 'echo > .git/x' }, workspace)).toEqual([])
  })
})
