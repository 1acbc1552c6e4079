// A parallel run makes the next tasks' worktrees while its agents wait for the model. The model's
// first answers are held until those worktrees exist (watched, not polled): no timing.
import { existsSync, mkdirSync, readFileSync, watch } from 'node:fs'
import { join } from 'node:path'
import { openStore, type Store } from '@penguin-ai/store'
import { git, scriptedStream, tempDir, tempRepo, testModel, within } from '@penguin-ai/testkit'
import { builtinTools } from '@penguin-ai/tools'
import { afterEach, describe, expect, test } from 'vitest'
import { runProject } from '../src/index.js'

const stores: Store[] = []
afterEach(() => {
  for (const store of stores.splice(0)) store.close()
})

function project(files: string[]) {
  const workspace = tempRepo({ 'README.md': '# shop\n' })
  const store = openStore({ path: join(tempDir('penguin-ahead-db-'), 'penguin.db') })
  stores.push(store)
  const created = store.createProject({ name: 'shop', workspace })
  for (const file of files)
    store.createTask({ projectId: created.id, title: `Write ${file}`, verifyCommand: `test -f ${file}` })
  // Made here so that the test can watch it from the start (the run keeps it).
  const worktrees = join(workspace, '.penguin-worktrees')
  mkdirSync(worktrees)
  return { store, projectId: created.id, workspace, worktrees }
}

/** Resolves once every path exists under `root` (watched recursively). */
function appear(root: string, paths: string[]): Promise<void> {
  return new Promise((resolve) => {
    const watcher = watch(root, { recursive: true })
    const check = () => {
      if (!paths.every((path) => existsSync(path))) return
      watcher.close()
      resolve()
    }
    watcher.on('change', check)
    check()
  })
}

/** Each task writes its file, then answers; no answer is given before `open` resolves. */
function gatedModel(open: Promise<void>) {
  const { stream, requests } = scriptedStream((request) => {
    const text = JSON.stringify(request.messages)
    const file = /# Task: Write (\S+?\.txt)/.exec(text)?.[1] ?? 'unknown.txt'
    if (request.messages.at(-1)?.role === 'tool') return { text: `wrote ${file}` }
    return { calls: [{ name: 'write_file', args: { path: file, content: `${file}\n` } }] }
  })
  const gated: typeof stream = (model, request) => {
    const inner = stream(model, request)
    return (async function* () {
      await open
      yield* inner
    })()
  }
  return { stream: gated, requests }
}

function run(
  p: ReturnType<typeof project>,
  stream: ReturnType<typeof gatedModel>['stream'],
  maxTasks?: number,
) {
  return runProject({
    store: p.store,
    project: p.projectId,
    model: testModel(),
    parallel: 2,
    ...(maxTasks ? { maxTasks } : {}),
    engine: { stream, tools: builtinTools(), autoApprove: true, systemPrompt: 'test' },
  })
}

describe('worktrees made ahead', () => {
  test('the next tasks get their worktrees while the first wait for the model, and use them', async () => {
    const p = project(['a.txt', 'b.txt', 'c.txt', 'd.txt'])
    const ahead = [3, 4].map((id) => join(p.worktrees, `task-${id}`, 'README.md'))
    const made = appear(p.worktrees, ahead)
    const { stream } = gatedModel(within(made, "the third and fourth tasks' worktrees", 120_000))
    const result = await run(p, stream)
    expect(result).toMatchObject({ status: 'completed', counts: { done: 4 } })
    for (const file of ['a.txt', 'b.txt', 'c.txt', 'd.txt'])
      expect(readFileSync(join(p.workspace, file), 'utf8')).toBe(`${file}\n`)
    expect(git(p.workspace, 'status', '--porcelain')).toBe('')
    expect(git(p.workspace, 'branch', '--list', 'penguin/*')).toBe('')
  })

  test('worktrees made for tasks the run never started are removed with their branches', async () => {
    const p = project(['a.txt', 'b.txt', 'c.txt', 'd.txt'])
    const ahead = [3, 4].map((id) => join(p.worktrees, `task-${id}`, 'README.md'))
    const { stream } = gatedModel(within(appear(p.worktrees, ahead), 'the worktrees made ahead', 120_000))
    const result = await run(p, stream, 2)
    expect(result).toMatchObject({ status: 'stopped', counts: { done: 2, pending: 2 } })
    expect(existsSync(join(p.worktrees, 'task-3'))).toBe(false)
    expect(existsSync(join(p.worktrees, 'task-4'))).toBe(false)
    expect(git(p.workspace, 'branch', '--list', 'penguin/*')).toBe('')
    expect(git(p.workspace, 'worktree', 'list', '--porcelain')).not.toContain('task-')
  })
})
