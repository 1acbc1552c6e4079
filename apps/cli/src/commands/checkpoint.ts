import { resolve } from 'node:path'
import { EXIT } from '../cli-error.js'
import { parseId, parseSubcommand, print } from '../flags.js'
import { confirmOverwrite, describeChanges } from '../session/confirm.js'
import { checkpointerFor, sessionFor } from '../session/store.js'
import { withStore } from '../store/open.js'
import { table } from '../store/render.js'
import { printHelp, subcommandFallback } from './help-text.js'
import { CHECKPOINT } from './spec/store.js'

/** `penguin checkpoint list|diff|restore`. */
export async function checkpointCommand(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv
  switch (sub) {
    case 'list':
    case 'ls':
      return list(rest)
    case 'diff':
      return diff(rest)
    case 'restore':
      return restore(rest)
    default:
      return subcommandFallback('checkpoint', sub)
  }
}

async function list(argv: string[]): Promise<number> {
  const { values } = parseSubcommand(argv, CHECKPOINT, 'list')
  if (values.help) return help()
  return withStore(values.db, (store) => {
    const session = sessionFor(store, values.session, resolve(values.cwd ?? process.cwd()))
    const checkpoints = store.listCheckpoints(session.id)
    if (values.json) print(JSON.stringify(checkpoints, null, 2))
    else if (checkpoints.length === 0) print(`Session ${session.id} has no checkpoints yet.`)
    else
      print(
        `Session ${session.id}: ${session.title ?? ''}\n${table(
          ['ID', 'CREATED', 'KIND', 'MSGS', 'LABEL'],
          checkpoints.map((c) => [
            String(c.id),
            c.createdAt.slice(0, 19).replace('T', ' '),
            c.kind,
            String(c.messageCount),
            c.label ?? '',
          ]),
        )}`,
      )
    return EXIT.ok
  })
}

async function diff(argv: string[]): Promise<number> {
  const { values, positionals } = parseSubcommand(argv, CHECKPOINT, 'diff')
  if (values.help) return help()
  const id = parseId('checkpoint id', positionals[0])
  return withStore(values.db, async (store) => {
    const checkpoint = store.requireCheckpoint(id)
    const checkpointer = await checkpointerFor(store, store.requireSession(checkpoint.sessionId))
    if (values.json) {
      const plan = await checkpointer.plan(id)
      print(
        JSON.stringify({ checkpoint, changes: plan.changes, patch: await checkpointer.diff(id) }, null, 2),
      )
    } else {
      const patch = await checkpointer.diff(id)
      print(patch.trim() ? patch.trimEnd() : `No changes since checkpoint ${id}.`)
    }
    return EXIT.ok
  })
}

async function restore(argv: string[]): Promise<number> {
  const { values, positionals } = parseSubcommand(argv, CHECKPOINT, 'restore')
  if (values.help) return help()
  const id = parseId('checkpoint id', positionals[0])
  return withStore(values.db, async (store) => {
    const checkpoint = store.requireCheckpoint(id)
    const session = store.requireSession(checkpoint.sessionId)
    const checkpointer = await checkpointerFor(store, session)
    const plan = await checkpointer.plan(id)
    const info = (text: string) => process.stderr.write(`${text}\n`)
    info(`Restoring checkpoint ${id} of session ${session.id}:`)
    info(describeChanges(plan.changes))
    info(`  conversation: ${plan.messagesNow} → ${plan.messagesAfter} messages`)
    if (plan.changes.length > 0) await confirmOverwrite('Restore', values.yes ?? false)
    const result = await checkpointer.restore(id)
    if (values.json)
      print(JSON.stringify({ restored: id, undo: result.undo.id, changes: result.changes }, null, 2))
    else print(`Restored checkpoint ${id}. Undo with: penguin checkpoint restore ${result.undo.id}`)
    return EXIT.ok
  })
}

function help(): number {
  return printHelp(['checkpoint'])
}
