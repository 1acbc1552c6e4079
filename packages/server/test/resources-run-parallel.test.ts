import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { MockTurn, RecordedRequest } from '@penguin-ai/mock-llm'
import { describe, expect, it } from 'vitest'
import type { StreamedEvent } from '../src/deps.js'
import { harness, until } from './resources-helpers.js'

const finished = (events: StreamedEvent[]) => events.some((event) => event.event === 'project.finished')

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.name=Test', '-c', 'user.email=test@localhost', ...args], {
    cwd,
    encoding: 'utf8',
  })
}

function lastText(request: RecordedRequest): string {
  const messages = request.body?.messages ?? []
  const user = messages.find((message) => message.role === 'user')
  return typeof user?.content === 'string' ? user.content : ''
}

/** Builds "Write NAME" with write_file; a reviewer (its prompt has "Your role: review") approves. */
function worker(request: RecordedRequest): MockTurn {
  const text = lastText(request)
  if (text.includes('## Your role: review')) return { text: 'Looks right.\nVERDICT: approve' }
  const file = /# Task: Write (\S+)/.exec(text)?.[1] ?? 'unknown.txt'
  if (request.body?.messages.at(-1)?.role === 'tool') return { text: `Wrote ${file}.` }
  return { toolCalls: [{ name: 'write_file', arguments: { path: file, content: `${file}\n` } }] }
}

describe('POST /projects/{id}/run with parallel and roles', () => {
  it('runs tasks in worktrees, reviews them, and merges them into the workspace branch', async () => {
    const h = await harness({ script: worker })
    git(h.workspace, 'init', '-q', '-b', 'main')
    git(h.workspace, 'add', '-A')
    git(h.workspace, 'commit', '-q', '-m', 'initial')
    const events = h.events()
    const project = (await h.request('POST', '/projects', { name: 'shop', workspace: h.workspace })).body
    for (const name of ['a', 'b'])
      await h.request('POST', `/projects/${project.id}/tasks`, {
        title: `Write ${name}.txt`,
        verify_command: `test -f ${name}.txt`,
      })

    const started = await h.request('POST', `/projects/${project.id}/run`, {
      parallel: 2,
      roles: ['review', 'build'],
    })
    expect(started.status, JSON.stringify(started.body)).toBe(202)
    await until(() => finished(events))
    const end = events.find((event) => event.event === 'project.finished')
    expect(end?.data).toMatchObject({ status: 'completed', counts: { done: 2 } })
    expect(events.find((event) => event.event === 'project.started')?.data.parallel).toBe(2)
    const roles = events.filter((event) => event.event === 'task.role').map((event) => event.data.role)
    expect(roles.sort()).toEqual(['build', 'build', 'review', 'review'])
    const merged = events.filter((event) => event.event === 'task.merged').map((event) => event.data.branch)
    expect(merged.sort()).toEqual(['penguin/task-1', 'penguin/task-2'])
    for (const name of ['a', 'b'])
      expect(readFileSync(join(h.workspace, `${name}.txt`), 'utf8')).toBe(`${name}.txt\n`)
    expect(git(h.workspace, 'status', '--porcelain')).toBe('')
    // The reviewer saw the task's diff.
    const review = h.mock.requests.map(lastText).find((text) => text.includes('## Your role: review'))
    expect(review).toMatch(/\+\+\+ b\/[ab]\.txt/)
    expect(h.unexpected).toEqual([])
  })

  it('refuses parallel runs of a workspace that is not a git repository, and bad roles', async () => {
    const h = await harness({ script: worker })
    const project = (await h.request('POST', '/projects', { name: 'shop', workspace: h.workspace })).body
    await h.request('POST', `/projects/${project.id}/tasks`, { title: 'Write a.txt' })
    const refused = await h.request('POST', `/projects/${project.id}/run`, { parallel: 2 })
    expect(refused.status).toBe(422)
    expect(refused.body.error.message).toMatch(/not in a git repository/)
    const badRoles = await h.request('POST', `/projects/${project.id}/run`, {
      roles: ['deploy'],
      parallel: 0,
    })
    expect(badRoles.status).toBe(400)
    expect(badRoles.body.error.details.issues.map((issue: { path: string }) => issue.path).sort()).toEqual([
      'parallel',
      'roles.0',
    ])
    expect(h.mock.requests).toHaveLength(0)
  })
})
