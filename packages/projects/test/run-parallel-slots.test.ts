// Parallel runs and their slots: a task whose agents are done and that only waits for its turn to
// merge frees its slot for the next ready task (with more than one slot). The first merge is held by
// a post-merge hook (git runs it after the fast-forward, before the merge process exits) until the
// test lets it go: no timing.
import { execFileSync } from 'node:child_process'
import { chmodSync, readFileSync, writeFileSync } from 'node:fs'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { openStore, type Store } from '@penguin-ai/store'
import { fifo, git, scriptedStream, tempDir, tempRepo, testModel, within } from '@penguin-ai/testkit'
import { builtinTools } from '@penguin-ai/tools'
import { afterEach, describe, expect, test } from 'vitest'
import { type ProjectRunEvent, runProject } from '../src/index.js'

const stores: Store[] = []
afterEach(() => {
  for (const store of stores.splice(0)) store.close()
})

/** A repository whose first merge waits, after signalling `held`, until `release()` is called. */
function heldRepo() {
  const workspace = tempRepo({ 'README.md': '# shop\n' })
  const dir = tempDir('penguin-slots-fifo-')
  const held = fifo(dir, 'held.fifo')
  // Read by the hook only: the test writes it once the hook waits.
  const go = join(dir, 'go.fifo')
  execFileSync('mkfifo', [go])
  const hook = join(workspace, '.git', 'hooks', 'post-merge')
  writeFileSync(
    hook,
    `#!/bin/sh
[ -e "${dir}/once" ] && exit 0
: > "${dir}/once"
echo merging > "${held.path}"
read line < "${go}"
`,
  )
  chmodSync(hook, 0o755)
  return {
    workspace,
    held,
    // Opening the pipe waits for the hook to open it (off the event loop, in libuv's pool).
    release: () => writeFile(go, 'go\n'),
  }
}

function project(workspace: string, files: string[]) {
  const store = openStore({ path: join(tempDir('penguin-slots-db-'), 'penguin.db') })
  stores.push(store)
  const created = store.createProject({ name: 'shop', workspace })
  for (const file of files)
    store.createTask({ projectId: created.id, title: `Write ${file}`, verifyCommand: `test -f ${file}` })
  return { store, projectId: created.id }
}

/** Each task writes its file, then answers: whatever order the tasks' requests come in. */
function model() {
  return scriptedStream((request) => {
    const text = JSON.stringify(request.messages)
    const file = /# Task: Write (\S+?\.txt)/.exec(text)?.[1] ?? 'unknown.txt'
    if (request.messages.at(-1)?.role === 'tool') return { text: `wrote ${file}` }
    return { calls: [{ name: 'write_file', args: { path: file, content: `${file}\n` } }] }
  })
}

/** The project run with `parallel` slots, the engine on the scripted model's `stream`. */
function start(
  p: ReturnType<typeof project>,
  stream: ReturnType<typeof model>['stream'],
  parallel: number,
  onEvent: (event: ProjectRunEvent) => void,
) {
  return runProject({
    store: p.store,
    project: p.projectId,
    model: testModel(),
    parallel,
    engine: { stream, tools: builtinTools(), autoApprove: true, systemPrompt: 'test' },
    onEvent,
  })
}

function steps(events: ProjectRunEvent[]): string[] {
  return events
    .filter((event) => event.type === 'task.started' || event.type === 'task.merged')
    .map((event) => `${event.type} ${'task' in event ? event.task.title : ''}`)
}

describe('parallel slots', () => {
  test('a task waiting for its turn to merge frees its slot: the next ready task starts meanwhile', async () => {
    const repo = heldRepo()
    const p = project(repo.workspace, ['a.txt', 'b.txt', 'c.txt'])
    const { stream } = model()
    const events: ProjectRunEvent[] = []
    let thirdStarted: () => void = () => undefined
    const third = new Promise<void>((resolve) => {
      thirdStarted = resolve
    })
    const run = start(p, stream, 2, (event) => {
      events.push(event)
      if (steps(events).filter((step) => step.startsWith('task.started')).length === 3) thirdStarted()
    })
    // The first merge is held, and its task holds no slot meanwhile: the third task starts.
    await repo.held.firstLine(120_000)
    try {
      await within(third, 'the third task to start while the first merge is held', 120_000)
      expect(steps(events).filter((step) => step.startsWith('task.merged'))).toEqual([])
    } finally {
      await repo.release()
    }
    const result = await run
    expect(result).toMatchObject({ status: 'completed', counts: { done: 3 } })
    expect(steps(events).filter((step) => step.startsWith('task.merged'))).toHaveLength(3)
    for (const file of ['a.txt', 'b.txt', 'c.txt'])
      expect(readFileSync(join(repo.workspace, file), 'utf8')).toBe(`${file}\n`)
    expect(git(repo.workspace, 'status', '--porcelain')).toBe('')
    // Each task's events in order, and every task merged before it finished.
    for (const title of ['Write a.txt', 'Write b.txt', 'Write c.txt']) {
      const own = events
        .filter((event) => 'task' in event && event.task.title === title && event.type !== 'task.agent')
        .map((event) => event.type)
      expect(own).toEqual(['task.started', 'task.verifying', 'task.merged', 'task.finished'])
    }
    expect(result.outcomes.map((outcome) => outcome.index).sort()).toEqual([1, 2, 3])
  })

  test('with --parallel 1 a task holds its slot until it is merged: the next starts from its work', async () => {
    const repo = heldRepo()
    const p = project(repo.workspace, ['a.txt', 'b.txt'])
    const { stream, requests } = model()
    const events: ProjectRunEvent[] = []
    const run = start(p, stream, 1, (event) => events.push(event))
    await repo.held.firstLine(120_000)
    await repo.release()
    expect(await run).toMatchObject({ status: 'completed', counts: { done: 2 } })
    expect(steps(events)).toEqual([
      'task.started Write a.txt',
      'task.merged Write a.txt',
      'task.started Write b.txt',
      'task.merged Write b.txt',
    ])
    // Two requests per task, one task after the other.
    expect(requests).toHaveLength(4)
  })
})
