import { chmod } from 'node:fs/promises'
import path from 'node:path'
import { tempDir } from '@penguin-ai/testkit'
import { describe, expect, it } from 'vitest'
import { CheckpointError, isGitAvailable, openShadowRepo } from '../src/index.js'
import { workspace, write } from './helpers.js'

describe('errors', () => {
  it('says unknown_commit for ids that are not snapshots', async () => {
    const { repo } = await workspace()
    const real = await repo.snapshot()
    for (const id of ['0123456789abcdef0123456789abcdef01234567', 'HEAD', '--help', 'main', '']) {
      const failure = repo.restore(id)
      await expect(failure).rejects.toBeInstanceOf(CheckpointError)
      await expect(failure).rejects.toMatchObject({ code: 'unknown_commit' })
    }
    await expect(repo.diff(real, 'feedface')).rejects.toMatchObject({ code: 'unknown_commit' })
    await expect(repo.planRestore('nope')).rejects.toMatchObject({ code: 'unknown_commit' })
    await expect(repo.patch('cafe')).rejects.toMatchObject({ code: 'unknown_commit' })
  })

  it('says not_a_directory for a missing workspace or a file', async () => {
    const dir = await tempDir()
    await write(dir, 'file.txt', 'x')
    await expect(
      openShadowRepo({ dataDir: dir, workspace: path.join(dir, 'missing') }),
    ).rejects.toMatchObject({
      code: 'not_a_directory',
    })
    await expect(
      openShadowRepo({ dataDir: dir, workspace: path.join(dir, 'file.txt') }),
    ).rejects.toMatchObject({
      code: 'not_a_directory',
    })
  })

  it('says git_missing when git is not on PATH', async () => {
    const dir = await tempDir()
    const saved = process.env.PATH
    process.env.PATH = path.join(dir, 'empty')
    try {
      expect(await isGitAvailable()).toBe(false)
      await expect(openShadowRepo({ dataDir: dir, workspace: dir })).rejects.toMatchObject({
        code: 'git_missing',
      })
    } finally {
      process.env.PATH = saved
    }
    expect(await isGitAvailable()).toBe(true)
  })

  it('refuses a git older than 2.32, checking again when PATH names another git', async () => {
    const { root, dataDir } = await workspace()
    await openShadowRepo({ dataDir, workspace: root })
    const old = await tempDir()
    await write(old, 'git', '#!/bin/sh\necho "git version 2.20.1"\n')
    await chmod(path.join(old, 'git'), 0o755)
    const saved = process.env.PATH
    process.env.PATH = old
    try {
      await expect(openShadowRepo({ dataDir, workspace: root })).rejects.toMatchObject({
        code: 'git_missing',
        message: expect.stringMatching(/2\.20\.1 is too old/),
      })
    } finally {
      process.env.PATH = saved
    }
    await expect(openShadowRepo({ dataDir, workspace: root })).resolves.toBeDefined()
  })

  it('puts git’s own words into git_failed', async () => {
    const { repo } = await workspace()
    await write(repo.gitDir, 'index.lock', '')
    const failure = repo.snapshot()
    await expect(failure).rejects.toMatchObject({ code: 'git_failed' })
    await expect(failure).rejects.toThrow(/index\.lock/)
  })
})
