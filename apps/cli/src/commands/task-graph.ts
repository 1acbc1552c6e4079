import { EXIT, usageError } from '../cli-error.js'
import { parseSubcommand } from '../flags.js'
import { requireSqliteDriver } from '../store/driver.js'
import { withStore } from '../store/open.js'
import { printHelp } from './help-text.js'
import { TASK } from './spec/store.js'

/** `penguin task graph <project> [--format mermaid|dot|json]`. */
export async function graphCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseSubcommand(argv, TASK, 'graph')
  if (values.help) {
    return printHelp(['task'])
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
