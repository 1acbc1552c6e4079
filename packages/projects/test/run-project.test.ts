// runProject in-package: a real SQLite store and workspace, the engine driven by the kit's scripted
// model, the real write_file tool and verify commands run by the shell.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { openStore, type Store } from '@penguin-ai/store'
import { scriptedStream, tempDir, testModel } from '@penguin-ai/testkit'
import { builtinTools } from '@penguin-ai/tools'
import { afterEach, describe, expect, test } from 'vitest'
import { type ProjectRunEvent, runProject } from '../src/index.js'

const stores: Store[] = []
afterEach(() => {
  for (const store of stores.splice(0)) store.close()
})

function project(tasks: { title: string; verifyCommand?: string; after?: number }[]) {
  const workspace = tempDir('penguin-project-ws-')
  const store = openStore({ path: join(tempDir('penguin-project-db-'), 'penguin.db') })
  stores.push(store)
  const created = store.createProject({ name: 'shop', workspace })
  const ids: number[] = []
  for (const task of tasks) {
    const dependsOn = task.after === undefined ? [] : [ids[task.after] as number]
    ids.push(
      store.createTask({
        projectId: created.id,
        title: task.title,
        verifyCommand: task.verifyCommand ?? null,
        dependsOn,
      }).id,
    )
  }
  return { store, workspace, projectId: created.id, ids }
}

describe('runProject', () => {
  test('runs ready tasks in dependency order, verifies them, and records the outcome', async () => {
    const p = project([
      { title: 'Create a.txt', verifyCommand: 'test -f a.txt' },
      { title: 'Say hello', after: 0 },
    ])
    const { stream, requests } = scriptedStream([
      { calls: [{ name: 'write_file', args: { path: 'a.txt', content: 'A\n' } }] },
      { text: 'a.txt is there' },
      { text: 'hello' },
    ])
    const events: ProjectRunEvent[] = []
    const result = await runProject({
      store: p.store,
      project: 'shop',
      model: testModel(),
      autoApprove: true,
      engine: { stream, tools: builtinTools(), autoApprove: true, systemPrompt: 'test' },
      onEvent: (event) => events.push(event),
    })
    expect(result).toMatchObject({ status: 'completed', counts: { done: 2 } })
    expect(readFileSync(join(p.workspace, 'a.txt'), 'utf8')).toBe('A\n')
    const steps = events
      .filter((event) => event.type !== 'task.agent')
      .map((event) => ('task' in event ? `${event.type} ${event.task.title}` : event.type))
    expect(steps).toEqual([
      'project.started',
      'task.started Create a.txt',
      'task.verifying Create a.txt',
      'task.finished Create a.txt',
      'task.started Say hello',
      'task.finished Say hello',
      'project.finished',
    ])
    // Each task's agent starts a fresh conversation whose prompt names its task and carries the
    // summaries of the tasks it builds on.
    expect(JSON.stringify(requests[0]?.messages)).toContain('# Task: Create a.txt')
    expect(requests[2]?.messages.map((message) => message.role)).toEqual(['system', 'user'])
    expect(JSON.stringify(requests[2]?.messages)).toContain('# Task: Say hello')
    expect(JSON.stringify(requests[2]?.messages)).toContain('Task 1 \\"Create a.txt\\": a.txt is there')
    expect(p.store.requireTask(p.ids[0] as number).status).toBe('done')
    expect(p.store.requireTask(p.ids[1] as number).status).toBe('done')
    expect(result.tokens).toBe(3 * 110)
  })

  test('a failing verify command fails the task and its dependants never start', async () => {
    const p = project([
      { title: 'Build it', verifyCommand: 'echo "1 test failed" && exit 3' },
      { title: 'Ship it', after: 0 },
    ])
    const { stream, requests } = scriptedStream([{ text: 'built' }])
    const result = await runProject({
      store: p.store,
      project: p.projectId,
      model: testModel(),
      autoApprove: true,
      engine: { stream, tools: builtinTools(), autoApprove: true, systemPrompt: 'test' },
    })
    expect(result.outcomes).toHaveLength(1)
    expect(result.outcomes[0]).toMatchObject({ status: 'failed', code: 'verify_failed' })
    expect(result.outcomes[0]?.verify?.output).toContain('1 test failed')
    expect(requests).toHaveLength(1)
    const failed = p.store.requireTask(p.ids[0] as number)
    expect(failed.status).toBe('failed')
    expect(failed.resultSummary ?? failed.failureReason ?? '').toMatch(/verify command exited 3/)
    expect(p.store.requireTask(p.ids[1] as number).status).toBe('pending')
  })
})
