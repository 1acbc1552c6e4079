import { existsSync, readFileSync } from 'node:fs'
import { mkdir, symlink, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { scriptedStream, tempDir, testModel } from '@penguin-ai/testkit'
import { openWorkspace, PermissionPolicy, writeFileTool } from '@penguin-ai/tools'
import { describe, expect, test } from 'vitest'
import { Engine, type EngineEvent, type EngineOptions, type PermissionRequest } from '../src/index.js'

/** An engine with the real write_file tool, a scripted model writing `path`, and its events. */
async function writeAttempt(
  path: string,
  options: Partial<EngineOptions> = {},
  prepare?: (dir: string) => Promise<void>,
) {
  const dir = await tempDir()
  await mkdir(join(dir, '.git', 'hooks'), { recursive: true })
  await prepare?.(dir)
  const { stream } = scriptedStream([
    { calls: [{ name: 'write_file', args: { path, content: '#!/bin/sh\necho pwned\n' } }] },
    { text: 'done' },
  ])
  const events: EngineEvent[] = []
  const engine = new Engine({
    model: testModel(),
    workspace: await openWorkspace(dir),
    tools: [writeFileTool],
    systemPrompt: 'test',
    stream,
    ...options,
  })
  const result = await engine.run('write it', { onEvent: (event) => events.push(event) })
  const finished = events.find((event) => event.type === 'tool.finished') as Extract<
    EngineEvent,
    { type: 'tool.finished' }
  >
  return { dir, result, events, finished }
}

const ALLOW_ALL = new PermissionPolicy([{ tool: '*', action: 'allow' }])

describe('writes inside .git/ and .penguin/ need an explicit yes', () => {
  test('--yes (auto approval) and allow rules do not cover them; a run that cannot ask is refused', async () => {
    for (const path of ['.git/hooks/pre-commit', '.penguin/config.json', 'sub/.GIT/config', '.git']) {
      const { dir, finished } = await writeAttempt(path, { autoApprove: true, policy: ALLOW_ALL })
      expect(finished.isError).toBe(true)
      expect(finished.output).toMatch(/explicit approval/)
      expect(finished.details).toMatchObject({ denied: 'protected', access: 'write' })
      if (path !== '.git') expect(existsSync(join(dir, path))).toBe(false)
    }
  })

  test('a symlink into .git is judged by where it lands', async () => {
    const { dir, finished } = await writeAttempt('notes.md', { autoApprove: true, policy: ALLOW_ALL }, (d) =>
      symlink('.git/hooks/pre-commit', join(d, 'notes.md')),
    )
    expect(finished.details).toMatchObject({ denied: 'protected' })
    expect(finished.output).toContain('notes.md (a link to .git/hooks/pre-commit)')
    expect(existsSync(join(dir, '.git/hooks/pre-commit'))).toBe(false)
  })

  test('with --yes at a terminal the user is asked, and "always" counts only once', async () => {
    const asked: PermissionRequest[] = []
    const { dir, finished, events } = await writeAttempt('.git/hooks/pre-commit', {
      autoApprove: true,
      policy: ALLOW_ALL,
      askPermission: async (request) => {
        asked.push(request)
        return 'always'
      },
    })
    expect(asked).toHaveLength(1)
    expect(asked[0]!.reason).toBe('writes inside .git/: .git/hooks/pre-commit')
    expect(finished.isError).toBe(false)
    expect(readFileSync(join(dir, '.git/hooks/pre-commit'), 'utf8')).toContain('pwned')
    expect(events.some((event) => event.type === 'permission.asked')).toBe(true)
  })

  test('an "always" for write_file elsewhere does not carry over into .git', async () => {
    const dir = await tempDir()
    await mkdir(join(dir, '.git'), { recursive: true })
    const { stream } = scriptedStream([
      { calls: [{ name: 'write_file', args: { path: 'a.txt', content: 'a' } }] },
      { calls: [{ name: 'write_file', args: { path: '.git/config', content: 'x' } }] },
      { text: 'done' },
    ])
    const replies: string[] = []
    const engine = new Engine({
      model: testModel(),
      workspace: await openWorkspace(dir),
      tools: [writeFileTool],
      systemPrompt: 'test',
      stream,
      askPermission: async (request) => {
        replies.push(request.subject)
        return request.subject === 'a.txt' ? 'always' : 'reject'
      },
    })
    await engine.run('go')
    expect(replies).toEqual(['a.txt', '.git/config'])
    expect(existsSync(join(dir, '.git/config'))).toBe(false)
  })

  test('ordinary files are unaffected: --yes writes them without asking', async () => {
    const { dir, finished } = await writeAttempt('src/.gitignore-like.txt', { autoApprove: true }, (d) =>
      writeFile(join(d, 'placeholder'), ''),
    )
    expect(finished.isError).toBe(false)
    expect(existsSync(join(dir, 'src/.gitignore-like.txt'))).toBe(true)
  })
})
