import type { RemoteChat } from '../commands/remote-chat.js'
import { formatCost, formatTokens } from '../render/format.js'
import { NO_SESSION_CHANGES, renderSessionDiff } from '../render/session-diff.js'
import { describeChanges } from '../session/confirm.js'
import { describeTurnResult, redoTurn, undoTurn } from '../session/turn-history.js'
import { table } from '../store/render.js'
import { remoteTurns } from './turns.js'

export const REMOTE_CHAT_HELP = `Commands (the session lives on the server):
  /help              this help
  /model             show the session's model
  /new, /clear       start a new session (the current one stays saved)
  /sessions          recent sessions of this workspace on the server
  /resume ID         continue a saved session
  /checkpoints       checkpoints of this session
  /undo              revert the last turn that changed files (files and conversation)
  /redo              bring back what /undo reverted
  /diff              everything changed in the workspace during this session
  /restore ID        go back to a checkpoint
  /exit              quit (also Ctrl-D, or Ctrl-C twice)
Anything else is sent to the agent. Ctrl-C stops the current turn (the run is cancelled on the server).`

/** One slash command of the remote chat; false when the chat should end. */
export async function runRemoteChatCommand(chat: RemoteChat, input: string): Promise<boolean> {
  const [name, ...args] = input.split(/\s+/)
  const { client, workspace } = chat.remote
  switch (name) {
    case '/exit':
    case '/quit':
      return false
    case '/help':
      chat.say(`${REMOTE_CHAT_HELP}\n`)
      return true
    case '/model':
      chat.say(`Model: ${chat.session.model ?? '(the server default)'}\n`)
      return true
    case '/new':
    case '/clear': {
      const previous = chat.session
      chat.session = await client.sessions.create({
        workspace,
        ...(previous.model ? { model: previous.model } : {}),
        ...(previous.auto_approve ? { auto_approve: true } : {}),
      })
      chat.say(`New session ${chat.session.id}. (${previous.id} stays saved: /resume ${previous.id})\n`)
      return true
    }
    case '/sessions': {
      const { items } = await client.sessions.list({ workspace, limit: 15 })
      chat.say(
        `${table(
          ['', 'ID', 'UPDATED', 'MSGS', 'TOKENS', 'COST', 'TITLE'],
          items.map((s) => [
            s.id === chat.session.id ? '*' : '',
            s.id,
            s.updated_at.slice(0, 16).replace('T', ' '),
            String(s.message_count),
            formatTokens(s.input_tokens + s.output_tokens),
            formatCost(s.cost_usd),
            s.title ?? '',
          ]),
        )}\n`,
      )
      return true
    }
    case '/resume': {
      if (!args[0]) {
        chat.say('Usage: /resume ID (see /sessions)\n')
        return true
      }
      chat.session = await client.sessions.get(args[0])
      chat.say(
        `Resumed ${chat.session.id}: ${chat.session.title ?? ''} (${chat.session.message_count} messages)\n`,
      )
      return true
    }
    case '/checkpoints': {
      const { items } = await client.checkpoints.list(chat.session.id)
      if (items.length === 0) {
        chat.say('No checkpoints yet: one is taken before each turn that changes files.\n')
        return true
      }
      chat.say(
        `${table(
          ['ID', 'CREATED', 'KIND', 'MSGS', 'LABEL'],
          items.map((c) => [
            String(c.id),
            c.created_at.slice(11, 19),
            c.kind,
            String(c.message_count),
            c.label ?? '',
          ]),
        )}\n`,
      )
      return true
    }
    case '/undo':
    case '/redo': {
      const what = name === '/undo' ? 'undo' : 'redo'
      const source = remoteTurns(chat)
      const result = what === 'undo' ? await undoTurn(source) : await redoTurn(source)
      chat.say(`${describeTurnResult(what, result, chat.paint)}\n`)
      return true
    }
    case '/diff': {
      const { items } = await client.checkpoints.list(chat.session.id)
      const first = items.reduce<(typeof items)[number] | undefined>(
        (a, b) => (!a || b.id < a.id ? b : a),
        undefined,
      )
      if (!first) chat.say(`${NO_SESSION_CHANGES}\n`)
      else {
        const { patch } = await client.checkpoints.diff(first.id)
        chat.say(`${renderSessionDiff(patch, { paint: chat.paint, width: chat.width })}\n`)
      }
      return true
    }
    case '/restore': {
      const id = Number(args[0])
      if (!args[0] || !Number.isSafeInteger(id) || id < 1) chat.say('Usage: /restore ID (see /checkpoints)\n')
      else await restore(chat, id)
      return true
    }
    default:
      chat.say(`Unknown command ${name}. Type /help for commands.\n`)
      return true
  }
}

async function restore(chat: RemoteChat, id: number): Promise<void> {
  const { client } = chat.remote
  const diff = await client.checkpoints.diff(id)
  chat.say(`Checkpoint ${id}: conversation back to ${diff.checkpoint.message_count} messages; files:\n`)
  chat.say(`${describeChanges(diff.changes)}\n`)
  if (diff.changes.length > 0) {
    const answer = (await chat.reader.read('Restore these files? [y/N] '))?.trim().toLowerCase()
    if (answer !== 'y' && answer !== 'yes') {
      chat.say('Nothing was changed.\n')
      return
    }
  }
  const result = await client.checkpoints.restore(id)
  chat.session = await client.sessions.get(chat.session.id)
  chat.say(`Restored checkpoint ${id}. To undo this: /restore ${result.undo_checkpoint_id}\n`)
}
