import { stat } from 'node:fs/promises'
import { resolve } from 'node:path'
import type { NewProject, Project, Store } from '@penguin-ai/store'
import { EXIT, usageError } from '../cli-error.js'
import { parseAmount, parseSubcommand, parseWholeNumber, print } from '../flags.js'
import { withStore } from '../store/open.js'
import { projectDetails, projectTable } from '../store/render.js'
import { printHelp, subcommandFallback } from './help-text.js'
import { PROJECT } from './spec/store.js'

/** `penguin project create|list|show|delete|plan|run`. */
export async function projectCommand(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv
  switch (sub) {
    case 'create':
      return create(rest)
    case 'list':
    case 'ls':
      return list(rest)
    case 'show':
      return show(rest)
    case 'delete':
    case 'rm':
      return remove(rest)
    case 'plan':
      return (await import('./project-plan.js')).planCommand(rest)
    case 'run':
      return (await import('./project-run.js')).projectRunCommand(rest)
    default:
      return subcommandFallback('project', sub)
  }
}

async function create(argv: string[]): Promise<number> {
  const { values, positionals } = parseSubcommand(argv, PROJECT, 'create')
  if (values.help) return help()
  const name = positionals.join(' ').trim()
  if (!name) throw usageError('penguin project create needs a name, e.g. penguin project create shop-api.')
  if (/^\d+$/.test(name))
    throw usageError(`A project name cannot be only digits ("${name}"): it would read as an id.`)
  const input: NewProject = { name, workspace: await directory(values.workspace ?? process.cwd()) }
  if (values.description !== undefined) input.description = values.description
  if (values['budget-tokens'] !== undefined)
    input.budgetTokens = parseWholeNumber('--budget-tokens', values['budget-tokens'], 1)
  if (values['budget-usd'] !== undefined) input.budgetUsd = parseAmount('--budget-usd', values['budget-usd'])
  if (values['budget-seconds'] !== undefined)
    input.budgetSeconds = parseWholeNumber('--budget-seconds', values['budget-seconds'], 1)
  return withStore(values.db, (store) => {
    const project = store.createProject(input)
    if (values.json) print(JSON.stringify(project, null, 2))
    else print(`Created project ${project.id} "${project.name}" (workspace ${project.workspace}).`)
    return EXIT.ok
  })
}

async function list(argv: string[]): Promise<number> {
  const { values } = parseSubcommand(argv, PROJECT, 'list')
  if (values.help) return help()
  return withStore(values.db, (store) => {
    const projects = store.listProjects().map((project) => withCounts(store, project))
    print(values.json ? JSON.stringify(projects, null, 2) : projectTable(projects))
    return EXIT.ok
  })
}

async function show(argv: string[]): Promise<number> {
  const { values, positionals } = parseSubcommand(argv, PROJECT, 'show')
  if (values.help) return help()
  const ref = projectRef(positionals, 'show')
  return withStore(values.db, (store) => {
    const project = store.requireProject(ref)
    const tasks = store.listTasks(project.id)
    print(
      values.json
        ? JSON.stringify({ ...withCounts(store, project), tasks }, null, 2)
        : projectDetails(project, tasks),
    )
    return EXIT.ok
  })
}

async function remove(argv: string[]): Promise<number> {
  const { values, positionals } = parseSubcommand(argv, PROJECT, 'delete')
  if (values.help) return help()
  const ref = projectRef(positionals, 'delete')
  return withStore(values.db, (store) => {
    const project = store.requireProject(ref)
    const count = store.listTasks(project.id).length
    store.deleteProject(project.id)
    if (values.json) print(JSON.stringify({ deleted: project.id, name: project.name, tasks: count }))
    else
      print(`Deleted project ${project.id} "${project.name}" and its ${count} task${count === 1 ? '' : 's'}.`)
    return EXIT.ok
  })
}

export function projectRef(positionals: string[], sub: string): string {
  const ref = positionals[0]?.trim()
  if (!ref) throw usageError(`penguin project ${sub} needs a project name or id.`)
  if (positionals.length > 1)
    throw usageError(`Unexpected argument "${positionals[1]}". Quote names with spaces.`)
  return ref
}

export function withCounts(store: Store, project: Project): Project & { taskCounts: Record<string, number> } {
  const taskCounts: Record<string, number> = {}
  for (const task of store.listTasks(project.id)) taskCounts[task.status] = (taskCounts[task.status] ?? 0) + 1
  return { ...project, taskCounts }
}

async function directory(dir: string): Promise<string> {
  const absolute = resolve(dir)
  const info = await stat(absolute).catch(() => undefined)
  if (!info?.isDirectory()) throw usageError(`--workspace ${dir} is not an existing directory.`)
  return absolute
}

function help(): number {
  return printHelp(['project'])
}
