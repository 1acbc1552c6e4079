import { readFile } from 'node:fs/promises'
import { CliError, EXIT, usageError } from '../cli-error.js'
import { parseSubcommand } from '../flags.js'
import { formatCost, formatTokens } from '../render/format.js'
import { prepareProjectAgent } from '../setup.js'
import { requireSqliteDriver } from '../store/driver.js'
import { withStore } from '../store/open.js'
import { printHelp } from './help-text.js'
import { projectRef } from './project.js'
import { PROJECT } from './spec/store.js'

/** `penguin project plan <project> --spec FILE|- [--dry-run]`. */
export async function planCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseSubcommand(argv, PROJECT, 'plan')
  if (values.help) {
    return printHelp(['project', 'plan'])
  }
  const ref = projectRef(positionals, 'plan')
  if (values.spec === undefined)
    throw usageError('penguin project plan needs --spec FILE (or --spec - to read stdin).')
  const spec = await readSpec(values.spec)
  // The projects package loads the store, and with it the driver: check that first.
  requireSqliteDriver()
  const { planProject, PlanRejectedError, PlanModelError } = await import('@penguin-ai/projects')

  return withStore(values.db, async (store) => {
    const project = store.requireProject(ref)
    // Planning runs no commands: it needs no sandbox (and must not be refused for want of one).
    const setup = await prepareProjectAgent(project, {
      model: values.model,
      baseUrl: values['base-url'],
      sandbox: 'off',
    })
    const info = (text: string) => process.stderr.write(`${text}\n`)
    if (!values.json) info(`Planning project ${project.id} "${project.name}" with ${setup.model.id}…`)
    try {
      const result = await planProject({
        ...(values['dry-run'] ? {} : { store }),
        project,
        spec,
        model: setup.model,
        dryRun: values['dry-run'] ?? false,
        onRejected: ({ attempt, maxAttempts, problems }) => {
          if (values.json) return
          info(`Plan ${attempt}/${maxAttempts} rejected:`)
          for (const problem of problems) info(`  - ${problem}`)
        },
      })
      if (values.json) {
        process.stdout.write(`${JSON.stringify(result, null, 2)}\n`)
        return EXIT.ok
      }
      const ids = new Map(result.tasks.map((task, i) => [result.plan[i]?.key, task.id]))
      for (const [i, item] of result.plan.entries()) {
        const id = ids.get(item.key)
        const deps = (item.depends_on ?? []).map((key) => (ids.has(key) ? `#${ids.get(key)}` : key))
        process.stdout.write(
          `${id ? `#${id}` : `${i + 1}.`} ${item.title} [${item.key}]${deps.length ? ` after ${deps.join(', ')}` : ''}${item.verify_command ? ` — verify: ${item.verify_command}` : ''}\n`,
        )
      }
      const spent = `${formatTokens(result.usage.totalTokens)} tokens, ${formatCost(result.costUsd)}`
      info(
        result.dryRun
          ? `Dry run: ${result.plan.length} tasks planned, nothing saved (${spent}).`
          : `Saved ${result.tasks.length} tasks to project "${project.name}" (${result.attempts} attempt${result.attempts === 1 ? '' : 's'}, ${spent}).`,
      )
      return EXIT.ok
    } catch (error) {
      if (error instanceof PlanRejectedError || error instanceof PlanModelError) {
        throw new CliError(error.message, error.code === 'aborted' ? EXIT.interrupted : EXIT.failed)
      }
      throw error
    }
  })
}

async function readSpec(source: string): Promise<string> {
  let text: string
  if (source === '-') {
    const chunks: Buffer[] = []
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer)
    text = Buffer.concat(chunks).toString('utf8')
  } else {
    try {
      text = await readFile(source, 'utf8')
    } catch {
      throw usageError(`Cannot read the spec file ${source}. Pass an existing file, or --spec - for stdin.`)
    }
  }
  if (!text.trim()) throw usageError(`The spec ${source === '-' ? 'on stdin' : source} is empty.`)
  return text
}
