import { mkdir, symlink, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { ToolError } from '../src/tool.js'
import { openWorkspace } from '../src/workspace.js'
import { fixture, tempDir } from './helpers.js'

async function denied(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  )
  expect(error).toBeInstanceOf(ToolError)
  return (error as ToolError).message
}

describe('Workspace', () => {
  it('resolves relative and absolute paths inside the root', async () => {
    const { workspace, root, write } = await fixture({ 'src/a.ts': 'a' })
    expect(await workspace.resolve('src/a.ts')).toBe(path.join(root, 'src/a.ts'))
    expect(await workspace.resolve(path.join(root, 'src/a.ts'))).toBe(path.join(root, 'src/a.ts'))
    expect(await workspace.resolve('.')).toBe(root)
    expect(await workspace.resolve('src/../src/./a.ts')).toBe(path.join(root, 'src/a.ts'))
    // Not yet existing files resolve too.
    expect(await workspace.resolve('new/dir/file.ts')).toBe(path.join(root, 'new/dir/file.ts'))
    // `~` is a plain name, not the home directory.
    expect(await workspace.resolve('~/x')).toBe(path.join(root, '~/x'))
    await write('..foo', 'ok')
    expect(await workspace.resolve('..foo')).toBe(path.join(root, '..foo'))
  })

  it('denies ../ escapes with a message for the model', async () => {
    const { workspace, root } = await fixture()
    const message = await denied(workspace.resolve('../x'))
    expect(message).toBe(
      `Access denied: "../x" resolves to ${path.join(path.dirname(root), 'x')}, which is outside the workspace ${root}. Only paths inside the workspace can be used.`,
    )
    await denied(workspace.resolve('a/../../x'))
    await denied(workspace.resolve('src/../../../../etc/passwd'))
  })

  it('denies absolute paths outside', async () => {
    const { workspace } = await fixture()
    expect(await denied(workspace.resolve('/etc/passwd'))).toMatch(
      /^Access denied: "\/etc\/passwd" resolves to/,
    )
    const sibling = await tempDir()
    await denied(workspace.resolve(sibling))
  })

  it('denies symlinked files and directories that point outside', async () => {
    const { workspace, root } = await fixture()
    const outside = await tempDir()
    await writeFile(path.join(outside, 'secret.txt'), 'secret')
    await symlink(path.join(outside, 'secret.txt'), path.join(root, 'link.txt'))
    await symlink(outside, path.join(root, 'linkdir'))
    expect(await denied(workspace.resolve('link.txt'))).toMatch(
      /goes through a symlink pointing to .*secret\.txt/,
    )
    expect(await denied(workspace.resolve('linkdir/secret.txt'))).toMatch(/symlink/)
    // A file that does not exist yet under a symlinked directory lands outside too.
    expect(await denied(workspace.resolve('linkdir/new/file.txt'))).toContain(
      path.join(outside, 'new/file.txt'),
    )
    // A dangling symlink is judged by its target, which writing would create.
    await symlink(path.join(outside, 'missing.txt'), path.join(root, 'dangling'))
    await denied(workspace.resolve('dangling'))
  })

  it('allows symlinks that stay inside and returns the real path', async () => {
    const { workspace, root, write } = await fixture()
    await write('real/a.txt', 'a')
    await symlink(path.join(root, 'real'), path.join(root, 'alias'))
    expect(await workspace.resolve('alias/a.txt')).toBe(path.join(root, 'real/a.txt'))
  })

  it('allows paths under allowedPaths and shows them absolute', async () => {
    const shared = await tempDir()
    await mkdir(path.join(shared, 'cache'))
    const root = await tempDir()
    const workspace = await openWorkspace(root, { allowedPaths: [shared] })
    const target = path.join(shared, 'cache/x.json')
    expect(await workspace.resolve(target)).toBe(target)
    expect(workspace.relative(target)).toBe(target)
    expect(workspace.relative(path.join(root, 'a/b.ts'))).toBe('a/b.ts')
    expect(workspace.relative(root)).toBe('.')
    const message = await denied(workspace.resolve('/etc/hosts'))
    expect(message).toContain(`and the allowed paths (${shared})`)
  })

  it('refuses to open a missing root', async () => {
    await expect(openWorkspace('/definitely/not/here')).rejects.toThrow(/does not exist/)
  })
})
