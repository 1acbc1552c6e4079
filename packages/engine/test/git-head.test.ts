/**
 * The system prompt's `git:` line comes from the repository's files (git-head.ts), and must be
 * exactly what `git symbolic-ref --short -q HEAD` says: the ordinary layouts are read from the files
 * (no git process), everything unusual is handed to git. Every case compares with git itself.
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { git, tempDir, tempRepo } from '@penguin-ai/testkit'
import { describe, expect, test } from 'vitest'
import { ASK_GIT, askGitHead, gitHead, readGitHead } from '../src/git-head.js'

/** No git variables: the files decide unless the case itself is unusual. */
const ENV = {}

async function expectSameAsGit(workspace: string, expected: string | undefined): Promise<void> {
  expect(await askGitHead(workspace)).toBe(expected)
  expect(await gitHead(workspace, ENV)).toBe(expected)
}

/** Read from the files alone, no git process. */
async function expectReadFromFiles(workspace: string, expected: string | undefined): Promise<void> {
  await expectSameAsGit(workspace, expected)
  expect(await readGitHead(workspace, ENV)).toBe(expected)
}

/** Handed to git, which answers `expected`. */
async function expectAskedOfGit(workspace: string, expected: string | undefined): Promise<void> {
  await expectSameAsGit(workspace, expected)
  expect(await readGitHead(workspace, ENV)).toBe(ASK_GIT)
}

describe('the git line of the system prompt', () => {
  test('a branch, in the repository and in a folder below it, and an unborn one', async () => {
    const repo = tempRepo({ 'src/a.js': 'x\n' })
    await expectReadFromFiles(repo, 'branch main')
    await expectReadFromFiles(join(repo, 'src'), 'branch main')
    git(repo, 'checkout', '-q', '-b', 'feature/deep/name')
    await expectReadFromFiles(join(repo, 'src'), 'branch feature/deep/name')
    // Refs packed away change nothing.
    git(repo, 'pack-refs', '--all')
    await expectReadFromFiles(repo, 'branch feature/deep/name')

    const fresh = tempDir()
    git(fresh, 'init', '-q')
    git(fresh, 'symbolic-ref', 'HEAD', 'refs/heads/trunk')
    await expectReadFromFiles(fresh, 'branch trunk')
  })

  test('a detached HEAD, in the repository and in a worktree', async () => {
    const repo = tempRepo({ 'a.txt': 'a\n' })
    const tree = join(tempDir(), 'tree')
    git(repo, 'worktree', 'add', '-q', '-b', 'side', tree)
    await expectReadFromFiles(tree, 'branch side')
    await expectReadFromFiles(repo, 'branch main')
    git(tree, 'checkout', '-q', '--detach')
    await expectReadFromFiles(tree, 'detached HEAD')
    await expectReadFromFiles(repo, 'branch main')
    git(repo, 'checkout', '-q', '--detach')
    await expectReadFromFiles(repo, 'detached HEAD')
  })

  test('a .git file naming a separate git dir (as submodules have)', async () => {
    const work = tempDir()
    const store = join(tempDir(), 'store.git')
    git(work, 'init', '-q', '--separate-git-dir', store)
    writeFileSync(join(work, 'a.txt'), 'a\n')
    await expectReadFromFiles(work, 'branch main')
  })

  test('outside any repository', async () => {
    const plain = tempDir()
    mkdirSync(join(plain, 'sub'))
    // Above a temp dir may be a mount point (tmpfs), where git stops and so does the reader.
    expect(await gitHead(join(plain, 'sub'), ENV)).toBe(await askGitHead(join(plain, 'sub')))
    expect(await askGitHead(join(plain, 'sub'))).toBeUndefined()
    expect(await gitHead(join(plain, 'missing'), ENV)).toBeUndefined()
  })

  test('what git might spell otherwise is asked of git', async () => {
    const repo = tempRepo({ 'a.txt': 'a\n' })
    // A tag of the branch's name: git says heads/main.
    git(repo, 'tag', 'main')
    await expectAskedOfGit(repo, 'branch heads/main')
    git(repo, 'pack-refs', '--all')
    await expectAskedOfGit(repo, 'branch heads/main')

    // An empty .git folder in a sub-folder is not a repository: git goes on up.
    const inner = join(repo, 'inner')
    mkdirSync(join(inner, '.git'), { recursive: true })
    await expectAskedOfGit(inner, 'branch heads/main')

    // HEAD pointing outside refs/heads/.
    const other = tempRepo({ 'a.txt': 'a\n' })
    git(other, 'symbolic-ref', 'HEAD', 'refs/remotes/origin/main')
    await expectAskedOfGit(other, await askGitHead(other))

    // Repository extensions (e.g. reftable keeps HEAD elsewhere).
    const extended = tempRepo({ 'a.txt': 'a\n' })
    git(extended, 'config', 'core.repositoryformatversion', '1')
    git(extended, 'config', 'extensions.worktreeConfig', 'true')
    await expectAskedOfGit(extended, 'branch main')

    // git's own variables decide where it looks.
    expect(await readGitHead(repo, { GIT_DIR: join(other, '.git') })).toBe(ASK_GIT)
    expect(await gitHead(repo, { GIT_CEILING_DIRECTORIES: '/' })).toBe('branch heads/main')
  })
})
