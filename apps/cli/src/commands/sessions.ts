import { writeFile } from 'node:fs/promises'
import { resolve } from 'node:path'
import type { Session, Store } from '@penguin-ai/store'
import { visibleText } from '@penguin-ai/tools/details'
import { EXIT, usageError } from '../cli-error.js'
import { parseId, parseSubcommand, parseWholeNumber, print } from '../flags.js'
import { formatCost, formatTokens } from '../render/format.js'
import { confirmOverwrite, describeChanges } from '../session/confirm.js'
import { checkpointerFor, dataDirOf } from '../session/store.js'
import { withStore } from '../store/open.js'
import { table } from '../store/render.js'
import { printHelp, subcommandFallback } from './help-text.js'
import { SESSIONS } from './spec/store.js'

/** `penguin sessions list|show|export|delete|fork`. */
export async function sessionsCommand(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv
  switch (sub) {
    case 'list':
    case 'ls':
      return list(rest)
    case 'show':
      return show(rest, 'show')
    case 'export':
      return show(rest, 'export')
    case 'delete':
    case 'rm':
      return remove(rest)
    case 'fork':
      return fork(rest)
    default:
      return subcommandFallback('sessions', sub)
  }
}

async function list(argv: string[]): Promise<number> {
  const { values } = parseSubcommand(argv, SESSIONS, 'list')
  if (values.help) return help()
  const limit = values.limit === undefined ? 50 : parseWholeNumber('--limit', values.limit, 1)
  return withStore(values.db, (store) => {
    const sessions = store.listSessions({
      ...(values.workspace ? { workspace: resolve(values.workspace) } : {}),
      limit,
    })
    if (values.json) print(JSON.stringify(sessions, null, 2))
    else if (sessions.length === 0) print('No sessions yet. Start one with penguin run "…" or penguin.')
    else
      print(
        table(
          ['ID', 'UPDATED', 'MSGS', 'TOKENS', 'COST', 'MODEL', 'WORKSPACE', 'TITLE'],
          sessions.map((s) => [
            s.id,
            s.updatedAt.slice(0, 16).replace('T', ' '),
            String(s.messageCount),
            formatTokens(s.inputTokens + s.outputTokens),
            formatCost(s.costUsd),
            s.model ?? '-',
            s.workspace,
            s.title ?? '',
          ]),
        ),
      )
    return EXIT.ok
  })
}

async function show(argv: string[], mode: 'show' | 'export'): Promise<number> {
  const { values, positionals } = parseSubcommand(argv, SESSIONS, mode)
  if (values.help) return help()
  const ref = sessionRef(positionals, mode)
  const format = values.format ?? (values.json ? 'json' : 'markdown')
  if (format !== 'markdown' && format !== 'json')
    throw usageError(`Unknown format "${format}". Use --format markdown or --format json.`)
  const [{ sessionToJson, sessionToMarkdown, sessionTree }, { createRedactor }] = await Promise.all([
    import('@penguin-ai/sessions'),
    import('@penguin-ai/telemetry'),
  ])
  return withStore(values.db, async (store) => {
    const session = store.requireSession(ref)
    const messages = store.listMessages(session.id)
    // Sub-agents' sessions (`task` calls) hang under the session that started them: show the tree.
    const tree = await sessionTree(store.async, session)
    // An export gets shared: the values of credential-named variables, key-shaped strings and URL
    // passwords that reached the conversation (a pasted key, a command's output) are redacted.
    const redactor = createRedactor({ env: process.env })
    const text = redactor.text(
      format === 'json'
        ? sessionToJson(session, messages, { tree })
        : sessionToMarkdown(session, messages, { tree }),
    )
    if (values.output) {
      await writeFile(values.output, text.endsWith('\n') ? text : `${text}\n`)
      process.stderr.write(`Wrote session ${session.id} to ${values.output}.\n`)
    } else {
      // A terminal obeys escape sequences; the conversation holds model and tool text, so spell
      // them out there. Files and pipes get the session exactly.
      print(
        process.stdout.isTTY ? visibleText(text.trimEnd(), { newlines: true, tabs: true }) : text.trimEnd(),
      )
    }
    return EXIT.ok
  })
}

async function remove(argv: string[]): Promise<number> {
  const { values, positionals } = parseSubcommand(argv, SESSIONS, 'delete')
  if (values.help) return help()
  const ref = sessionRef(positionals, 'delete')
  return withStore(values.db, async (store) => {
    const session = store.requireSession(ref)
    const { commits } = store.deleteSession(session.id)
    if (commits.length > 0) await pruneSnapshots(store, session)
    print(values.json ? JSON.stringify({ deleted: session.id }) : `Deleted session ${session.id}.`)
    return EXIT.ok
  })
}

async function fork(argv: string[]): Promise<number> {
  const { values, positionals } = parseSubcommand(argv, SESSIONS, 'fork')
  if (values.help) return help()
  const ref = sessionRef(positionals, 'fork')
  const at = values.at === undefined ? undefined : parseId('--at checkpoint id', values.at)
  return withStore(values.db, async (store) => {
    const original = store.requireSession(ref)
    const checkpoint = at === undefined ? undefined : store.requireCheckpoint(at)
    // The branch starts from the checkpoint's files too, so the conversation and the code agree.
    const withFiles = checkpoint?.commit && !values['keep-files'] ? checkpoint : undefined
    if (withFiles) {
      const changes = await (await checkpointerFor(store, original)).planFiles(withFiles)
      if (changes.length > 0) {
        process.stderr.write(
          `Forking at checkpoint ${withFiles.id} restores these files in ${original.workspace}:\n`,
        )
        process.stderr.write(`${describeChanges(changes)}\n`)
        await confirmOverwrite('Restore them', values.yes ?? false)
      }
    }
    const forked = store.forkSession(original.id, at)
    if (withFiles) await (await checkpointerFor(store, forked)).restoreFilesFrom(withFiles)
    if (values.json) print(JSON.stringify(forked, null, 2))
    else
      print(
        `Forked session ${original.id} into ${forked.id} (${forked.messageCount} messages). Continue it with: penguin run --session ${forked.id} "…"`,
      )
    return EXIT.ok
  })
}

async function pruneSnapshots(store: Store, session: Session): Promise<void> {
  try {
    const { openShadowRepo } = await import('@penguin-ai/checkpoints')
    const repo = await openShadowRepo({ dataDir: dataDirOf(store), workspace: session.workspace })
    await repo.prune(store.liveCheckpointCommits())
  } catch {
    // The workspace may be gone; its snapshots are then simply left for a later prune.
  }
}

function sessionRef(positionals: string[], sub: string): string {
  const ref = positionals[0]?.trim()
  if (!ref) throw usageError(`penguin sessions ${sub} needs a session id (see penguin sessions list).`)
  return ref
}

function help(): number {
  return printHelp(['sessions'])
}
