/**
 * `penguin project run --roles`: a planner splits a big task, a tester runs when the criteria ask
 * for tests, a reviewer's objections go back to build once, then to review — on parallel worktrees.
 */
import { existsSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { type MockServer, startMockServer } from '@penguin-ai/mock-llm'
import { afterEach, describe, expect, test } from 'vitest'
import { addTask, git, modelArgs, setup, tasks, userText, worker } from './project-fixtures.js'

let mock: MockServer | undefined
afterEach(async () => {
  await mock?.close()
  mock = undefined
})

describe('penguin project run --roles', () => {
  test('roles: plan splits a big task into subtasks, test runs when the criteria ask, review objections go back to build once, then to review', async () => {
    const { repo, penguin } = await setup()
    mock = await startMockServer({
      script: (request) => {
        const text = userText(request)
        const afterTool = request.body?.messages.at(-1)?.role === 'tool'
        if (text.includes('## Your role: plan')) {
          if (!text.includes('# Task: Build the site')) return { text: 'Plan: write the file.' }
          if (afterTool) return { text: 'Split in two: the files are independent steps.' }
          const subtasks = [
            { key: 'x', title: 'Write x.txt', verify_command: 'test -f x.txt' },
            {
              key: 'y',
              title: 'Write y.txt',
              depends_on: ['x'],
              verify_command: 'test -f x.txt && test -f y.txt',
            },
          ]
          return { toolCalls: [{ name: 'split_task', arguments: { subtasks } }] }
        }
        if (text.includes('## Your role: test')) {
          if (afterTool) return { text: 'Added z.test.txt.' }
          return { toolCalls: [{ name: 'write_file', arguments: { path: 'z.test.txt', content: 'ok\n' } }] }
        }
        if (text.includes('## Your role: review'))
          return text.includes(': Write z.txt')
            ? { text: '- z.txt must say hello\nVERDICT: changes requested' }
            : { text: 'All criteria met.\nVERDICT: approve' }
        return worker(request)
      },
    })
    const big = await addTask(penguin, 'Build the site')
    const z = await addTask(
      penguin,
      'Write z.txt',
      '--verify',
      'test -f z.txt',
      '--criteria',
      'z.txt is covered by tests',
    )

    const result = await penguin(
      'project',
      'run',
      'site',
      '--parallel',
      '2',
      '--roles',
      'review,plan,test',
      ...modelArgs(mock),
    )
    expect(result.stderr).not.toMatch(/\n\s+at /)
    expect(result.code, result.stdout + result.stderr).toBe(0)
    expect(result.stdout).toMatch(/split task \d+ into \d+ Write x\.txt; \d+ Write y\.txt/)

    const list = (await tasks(penguin)) as Array<{
      id: number
      title: string
      status: string
      parentId: number | null
      failureReason: string | null
      resultSummary: string | null
    }>
    const byTitle = (title: string) => list.find((task) => task.title === title)
    expect(byTitle('Build the site')?.status).toBe('done')
    expect(byTitle('Write x.txt')).toMatchObject({ status: 'done', parentId: big })
    expect(byTitle('Write y.txt')).toMatchObject({ status: 'done', parentId: big })
    expect(byTitle('Write z.txt')).toMatchObject({ status: 'review', failureReason: 'review_objections' })
    expect(byTitle('Write z.txt')?.resultSummary).toContain('z.txt must say hello')

    // The plan and review agents are read-only; plan also has split_task.
    const toolsOf = (marker: string) =>
      (mock?.requests.find((request) => userText(request).includes(marker))?.body?.tools ?? []).map(
        (tool) => (tool as { function?: { name?: string } }).function?.name,
      )
    expect(toolsOf('## Your role: plan')).toContain('split_task')
    expect(toolsOf('## Your role: plan')).not.toContain('write_file')
    expect(toolsOf('## Your role: review')).toContain('read_file')
    expect(toolsOf('## Your role: review')).not.toContain('write_file')
    // z: the tester ran (its criteria ask for tests); the reviewer's points went back to build once.
    const prompts = mock.requests.map(userText)
    expect(prompts.some((text) => text.includes('## Your role: test') && text.includes('Write z.txt'))).toBe(
      true,
    )
    expect(prompts.some((text) => text.includes('## Your role: test') && text.includes('Write x.txt'))).toBe(
      false,
    )
    const rebuilds = prompts.filter(
      (text) => text.includes('# Task: Write z.txt') && text.includes('## A reviewer asked for changes'),
    )
    expect(new Set(rebuilds).size).toBe(1)
    // x and y are merged; z, in review, waits on its branch.
    expect(await readFile(join(repo, 'y.txt'), 'utf8')).toBe('y.txt\n')
    expect(existsSync(join(repo, 'z.txt'))).toBe(false)
    expect(git(repo, 'show', `penguin/task-${z}:z.test.txt`)).toBe('ok\n')
  })
})
