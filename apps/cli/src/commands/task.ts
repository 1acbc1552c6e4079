import { TASK_STATUSES } from '@penguin-ai/protocol'
import type { NewTask, Task, TaskStatus } from '@penguin-ai/store'
import { EXIT, usageError } from '../cli-error.js'
import {
  parseAmount,
  parseId,
  parseIdList,
  parseInteger,
  parseSubcommand,
  parseWholeNumber,
  print,
} from '../flags.js'
import { withStore } from '../store/open.js'
import { taskDetails, taskTable } from '../store/render.js'
import { printHelp, subcommandFallback } from './help-text.js'
import { TASK } from './spec/store.js'

const STATUSES: readonly TaskStatus[] = TASK_STATUSES

/** Status commands and where they take a task. */
const MOVES = {
  start: 'in_progress',
  done: 'done',
  fail: 'failed',
  cancel: 'cancelled',
  reopen: 'pending',
  block: 'blocked',
  review: 'review',
} as const satisfies Record<string, TaskStatus>

/** `penguin task add|list|show|start|done|fail|cancel|reopen|deps|graph`. */
export async function taskCommand(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv
  if (sub !== undefined && sub in MOVES) return move(sub as keyof typeof MOVES, rest)
  switch (sub) {
    case 'add':
      return add(rest)
    case 'list':
    case 'ls':
      return list(rest)
    case 'show':
      return show(rest)
    case 'deps':
      return deps(rest)
    case 'graph':
      return (await import('./task-graph.js')).graphCommand(rest)
    default:
      return subcommandFallback('task', sub)
  }
}

async function add(argv: string[]): Promise<number> {
  const { values, positionals } = parseSubcommand(argv, TASK, 'add')
  if (values.help) return help()
  const [ref, ...titleParts] = positionals
  const title = titleParts.join(' ').trim()
  if (!ref || !title) throw usageError('Usage: penguin task add <project> "<title>" [options].')
  const input: Omit<NewTask, 'projectId'> = { title }
  if (values.description !== undefined) input.description = values.description
  if (values.parent !== undefined) input.parentId = parseId('--parent', values.parent)
  if (values['depends-on'] !== undefined) input.dependsOn = parseIdList('--depends-on', values['depends-on'])
  if (values.priority !== undefined) input.priority = parseInteger('--priority', values.priority)
  if (values.verify !== undefined) {
    if (!values.verify.trim()) throw usageError('--verify needs a command.')
    input.verifyCommand = values.verify
  }
  if (values['budget-tokens'] !== undefined)
    input.budgetTokens = parseWholeNumber('--budget-tokens', values['budget-tokens'], 1)
  if (values['budget-usd'] !== undefined) input.budgetUsd = parseAmount('--budget-usd', values['budget-usd'])
  if (values.criteria) input.acceptanceCriteria = values.criteria
  return withStore(values.db, (store) => {
    const project = store.requireProject(ref)
    const task = store.createTask({ ...input, projectId: project.id })
    print(
      values.json
        ? JSON.stringify(task, null, 2)
        : `Added task ${task.id} "${task.title}" to project "${project.name}".`,
    )
    return EXIT.ok
  })
}

async function list(argv: string[]): Promise<number> {
  const { values, positionals } = parseSubcommand(argv, TASK, 'list')
  if (values.help) return help()
  const ref = positionals[0]
  if (!ref) throw usageError('penguin task list needs a project name or id.')
  const status = values.status === undefined ? undefined : parseStatuses(values.status)
  return withStore(values.db, (store) => {
    const project = store.requireProject(ref)
    const tasks = store.listTasks(project.id, {
      ...(status ? { status } : {}),
      ...(values.ready ? { ready: true } : {}),
    })
    print(values.json ? JSON.stringify(tasks, null, 2) : taskTable(tasks))
    return EXIT.ok
  })
}

async function show(argv: string[]): Promise<number> {
  const { values, positionals } = parseSubcommand(argv, TASK, 'show')
  if (values.help) return help()
  const id = parseId('task id', positionals[0])
  return withStore(values.db, (store) => {
    const task = store.requireTask(id)
    const dependencies = store.getDependencies(id)
    const dependents = store.getDependents(id)
    const runs = store.listRuns({ taskId: id })
    print(
      values.json
        ? JSON.stringify({ ...task, dependencies, dependents, runs }, null, 2)
        : taskDetails(task, dependencies, dependents, runs),
    )
    return EXIT.ok
  })
}

async function move(sub: keyof typeof MOVES, argv: string[]): Promise<number> {
  const { values, positionals } = parseSubcommand(argv, TASK, sub)
  if (values.help) return help()
  const id = parseId('task id', positionals[0])
  const to = MOVES[sub]
  return withStore(values.db, (store) => {
    const before = store.requireTask(id)
    const task = store.transitionTask(id, to, {
      ...(values.summary !== undefined ? { summary: values.summary } : {}),
      ...(values.reason !== undefined ? { reason: values.reason } : {}),
    })
    print(
      values.json
        ? JSON.stringify(task, null, 2)
        : `Task ${id} "${task.title}": ${before.status} → ${task.status}.`,
    )
    return EXIT.ok
  })
}

async function deps(argv: string[]): Promise<number> {
  const { values, positionals } = parseSubcommand(argv, TASK, 'deps')
  if (values.help) return help()
  const id = parseId('task id', positionals[0])
  const adds = (values.add ?? []).flatMap((raw) => parseIdList('--add', raw))
  const removes = (values.remove ?? []).flatMap((raw) => parseIdList('--remove', raw))
  return withStore(values.db, (store) => {
    store.requireTask(id)
    // All or nothing: a cycle in the third edge leaves the first two unadded.
    store.transaction(() => {
      for (const dep of removes) store.removeDependency(id, dep)
      for (const dep of adds) store.addDependency(id, dep)
    })
    const dependencies: Task[] = store.getDependencies(id)
    if (values.json)
      print(JSON.stringify({ taskId: id, dependsOn: dependencies.map((t) => t.id), dependencies }, null, 2))
    else if (dependencies.length === 0) print(`Task ${id} depends on nothing.`)
    else
      print(
        `Task ${id} depends on:\n${dependencies.map((t) => `  ${t.id} ${t.status} ${t.title}`).join('\n')}`,
      )
    return EXIT.ok
  })
}

function parseStatuses(raw: string): TaskStatus[] {
  const parts = raw
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)
  for (const part of parts) {
    if (!(STATUSES as readonly string[]).includes(part))
      throw usageError(`Unknown status "${part}". Use one of: ${STATUSES.join(', ')}.`)
  }
  if (parts.length === 0) throw usageError(`--status needs one of: ${STATUSES.join(', ')}.`)
  return parts as TaskStatus[]
}

function help(): number {
  return printHelp(['task'])
}
