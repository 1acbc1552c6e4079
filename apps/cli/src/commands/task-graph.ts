import { EXIT, usageError } from '../cli-error.js'
import { parseFlags } from '../flags.js'
import { TASK_HELP } from '../help-store.js'
import { requireSqliteDriver } from '../store/driver.js'
import { withStore } from '../store/open.js'

/** `penguin task graph <project> [--format mermaid|dot|json]`. */
export async function graphCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseFlags(
    argv,
    {
      format: { type: 'string', short: 'f' },
      db: { type: 'string' },
      json: { type: 'boolean' },
      debug: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    'task graph',
  )
  if (values.help) {
    process.stdout.write(`${TASK_HELP}\n`)
    return EXIT.ok
  }
  const ref = positionals[0]
  if (!ref) throw usageError('penguin task graph needs a project name or id.')
  // The projects package loads the store, and with it the driver: check that first.
  requireSqliteDriver()
  const { GRAPH_FORMATS, renderGraph } = await import('@penguin-ai/projects')
  const format = values.format ?? (values.json ? 'json' : 'mermaid')
  const chosen = GRAPH_FORMATS.find((known) => known === format)
  if (!chosen) throw usageError(`Unknown graph format "${format}". Use one of: ${GRAPH_FORMATS.join(', ')}.`)
  return withStore(values.db, (store) => {
    const project = store.requireProject(ref)
    process.stdout.write(`${renderGraph(store.listTasks(project.id), chosen)}\n`)
    return EXIT.ok
  })
}
