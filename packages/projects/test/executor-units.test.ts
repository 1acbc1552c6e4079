import type { Project, Task } from '@penguin-ai/store'
import { describe, expect, test } from 'vitest'
import { buildTaskPrompt, projectRemaining, runAllowance } from '../src/index.js'

const project: Project = {
  id: 1,
  name: 'shop',
  description: 'an online shop',
  workspace: '/tmp/shop',
  status: 'active',
  budgetTokens: null,
  budgetUsd: null,
  budgetSeconds: null,
  tokensUsed: 0,
  costUsd: 0,
  secondsUsed: 0,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
}

function task(overrides: Partial<Task> = {}): Task {
  return {
    id: 7,
    projectId: 1,
    parentId: null,
    title: 'Add pagination',
    description: 'Paginate /users',
    acceptanceCriteria: [],
    verifyCommand: null,
    status: 'pending',
    priority: 0,
    budgetTokens: null,
    budgetUsd: null,
    tokensUsed: 0,
    costUsd: 0,
    resultSummary: null,
    failureReason: null,
    dependsOn: [],
    createdAt: project.createdAt,
    updatedAt: project.createdAt,
    startedAt: null,
    finishedAt: null,
    ...overrides,
  }
}

describe('budgets', () => {
  test('nothing limits a run without budgets', () => {
    expect(runAllowance(project, task())).toEqual({ limitedBy: 'none' })
    expect(projectRemaining(project).exhausted).toBeUndefined()
  })

  test("the task's budget applies, capped by what the project has left", () => {
    expect(runAllowance(project, task({ budgetTokens: 1000 }))).toEqual({ tokens: 1000, limitedBy: 'task' })
    const spent = { ...project, budgetTokens: 5000, tokensUsed: 4600 }
    expect(runAllowance(spent, task({ budgetTokens: 1000 }))).toEqual({ tokens: 400, limitedBy: 'project' })
    expect(runAllowance({ ...project, budgetUsd: 1, costUsd: 0.25 }, task())).toEqual({
      costUsd: 0.75,
      limitedBy: 'project',
    })
  })

  test('a spent project budget is named', () => {
    expect(projectRemaining({ ...project, budgetTokens: 100, tokensUsed: 100 }).exhausted).toMatch(
      /token budget of 100/,
    )
    expect(projectRemaining({ ...project, budgetUsd: 0.5, costUsd: 0.6 }).exhausted).toMatch(/cost budget/)
    expect(projectRemaining({ ...project, budgetSeconds: 60, secondsUsed: 61 }).exhausted).toMatch(
      /time budget/,
    )
  })
})

describe('buildTaskPrompt', () => {
  test('holds the task, its criteria, its dependencies’ results and how it is verified', () => {
    const prompt = buildTaskPrompt(
      project,
      task({ acceptanceCriteria: ['page size 20', 'next link'], verifyCommand: 'npm test' }),
      [
        task({ id: 3, title: 'User model', resultSummary: 'Added src/user.ts' }),
        task({ id: 4, title: 'No summary' }),
      ],
    )
    expect(prompt).toContain('# Task: Add pagination')
    expect(prompt).toContain('Paginate /users')
    expect(prompt).toContain('- page size 20')
    expect(prompt).toContain('Task 3 "User model": Added src/user.ts')
    expect(prompt).not.toContain('No summary')
    expect(prompt).toContain('`npm test`')
    expect(prompt).toContain('project "shop"')
  })
})
