import type { ServerEvent } from '@penguin-ai/sdk'
import { describe, expect, it } from 'vitest'
import { initialProjectLive, mergeTasks, projectLiveReducer } from '../../src/app/projects/project-live.js'
import { task } from '../support/fixtures.js'

function event(type: string, data: Record<string, unknown>, id = 1): ServerEvent {
  return { id, event: type, data: { type, ...data } } as unknown as ServerEvent
}

describe('projectLiveReducer', () => {
  it("takes another client's task edits: the task's record at once, and a refetch", () => {
    let state = initialProjectLive()
    state = projectLiveReducer(
      state,
      event('task.updated', {
        project_id: 7,
        task_id: 1,
        change_id: 3,
        task: { ...task(1), title: 'renamed' },
      }),
      7,
    )
    expect(state.tasks[1]?.title).toBe('renamed')
    expect(state.changes).toBe(1)
    state = projectLiveReducer(state, event('task.deleted', { project_id: 7, task_id: 2, change_id: 4 }), 7)
    expect(state.changes).toBe(2)
    // Another project's changes are not this board's.
    expect(projectLiveReducer(state, event('task.updated', { project_id: 8, task: task(5) }), 7)).toBe(state)
  })

  it('follows a run: started, a task in progress with its agent at work, verified, finished', () => {
    let state = initialProjectLive()
    const apply = (e: ServerEvent) => {
      state = projectLiveReducer(state, e, 7)
    }
    apply(event('project.started', { project_id: 7, project_run_id: 'prun_1', total: 2 }))
    expect(state).toMatchObject({
      running: true,
      runId: 'prun_1',
      message: 'Run started: 2 tasks to go.',
      changes: 1,
    })
    apply(event('task.started', { project_id: 7, task: { ...task(1), status: 'in_progress' } }))
    expect(state.tasks[1]?.status).toBe('in_progress')
    apply(
      event('tool.started', {
        project_id: 7,
        task_id: 1,
        tool: 'write_file',
        args: { path: 'a.txt' },
        title: 'a.txt',
        runId: 'r',
      }),
    )
    expect(state.activity[1]).toBe('write_file a.txt')
    const before = state
    apply(event('text.delta', { project_id: 7, task_id: 1, delta: 'x', runId: 'r' }))
    apply(event('text.delta', { project_id: 7, task_id: 1, delta: 'y', runId: 'r' }))
    expect(state.activity[1]).toBe('thinking…')
    expect(before.changes).toBe(state.changes)
    apply(event('task.role', { project_id: 7, task: task(1), role: 'review' }))
    expect(state.activity[1]).toBe('review…')
    apply(event('task.verifying', { project_id: 7, task: task(1), command: 'npm test' }))
    expect(state.activity[1]).toBe('verifying: npm test')
    apply(event('task.merged', { project_id: 7, task: task(1), branch: 'penguin/task-1', commit: 'abc' }))
    expect(state.activity[1]).toBe('merged penguin/task-1')
    apply(
      event('task.finished', {
        project_id: 7,
        status: 'done',
        task: { ...task(1), status: 'done' },
        verify: { passed: true, exit_code: 0, output: 'ok', timed_out: false },
      }),
    )
    expect(state.tasks[1]?.status).toBe('done')
    expect(state.activity[1]).toBeUndefined()
    expect(state.verify[1]).toEqual({ passed: true, exitCode: 0, output: 'ok', timedOut: false })
    apply(event('project.finished', { project_id: 7, status: 'completed', message: 'all tasks done' }))
    expect(state).toMatchObject({ running: false, message: 'Run completed: all tasks done' })
  })

  it("ignores other projects' events", () => {
    const state = initialProjectLive()
    expect(projectLiveReducer(state, event('project.started', { project_id: 8 }), 7)).toBe(state)
    expect(projectLiveReducer(state, event('text.delta', { session_id: 's', delta: 'x' }), 7)).toBe(state)
  })
})

describe('mergeTasks', () => {
  it('applies an event record until a newer fetch arrives', () => {
    const fetched = [task(1, [], { updated_at: '2025-01-01T00:00:01Z' }), task(2)]
    const live = { 1: { id: 1, status: 'done' as const, updated_at: '2025-01-01T00:00:02Z' } }
    expect(mergeTasks(fetched, live).map((t) => t.status)).toEqual(['done', 'pending'])
    const newer = [task(1, [], { status: 'pending', updated_at: '2025-01-01T00:00:03Z' })]
    expect(mergeTasks(newer, live)[0]?.status).toBe('pending')
  })
})
