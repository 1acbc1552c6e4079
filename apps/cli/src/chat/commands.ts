/**
 * The chat's slash commands, written once for every front end (line chat, terminal UI) and both
 * backends (this machine, a server). A command a backend cannot do says why (`Unavailable`).
 */
import { CliError } from '../cli-error.js'
import { formatCost, formatTokens } from '../render/format.js'
import type { Painter } from '../render/paint.js'
import { NO_SESSION_CHANGES, renderSessionDiff } from '../render/session-diff.js'
import { describeChanges } from '../session/confirm.js'
import { describeTurnResult, redoTurn, undoTurn } from '../session/turn-history.js'
import { table } from '../store/render.js'
import { type ChatBackend, Unavailable } from './backend.js'

export const CHAT_HELP = `Commands:
  /help              this help
  /model [id]        show the model, or switch to provider/model
  /agent [name]      show the agent, or switch to another (build, plan, explore, test, review, files)
  /new, /clear       start a new session (the current one stays saved)
  /sessions          recent sessions of this workspace
  /resume ID         continue a saved session
  /checkpoints       checkpoints of this session
  /undo              revert the last turn that changed files (files and conversation)
  /redo              bring back what /undo reverted
  /diff              everything changed in the workspace during this session
  /restore ID        go back to a checkpoint
  /compact           summarise older turns now to free context
  /exit              quit (also Ctrl-D, or Ctrl-C twice)
Anything else is sent to the agent. Ctrl-C stops the current turn.`

/** What the chat commands need from the chat front end. */
export interface ChatContext {
  readonly backend: ChatBackend
  readonly paint: Painter
  /** Columns to lay out diffs in. */
  readonly width: number
  /** Asks the person a question and returns their answer (undefined: no answer, e.g. end of input). */
  ask(question: string): Promise<string | undefined>
  say(text: string): void
  /** Runs something the person can stop (Ctrl-C, Esc): a turn, a compaction. */
  abortable<T>(fn: (signal: AbortSignal) => Promise<T>): Promise<T>
}

/** Runs one slash command; returns false when the chat should end. */
export async function runChatCommand(ctx: ChatContext, input: string): Promise<boolean> {
  const [name = '', ...args] = input.split(/\s+/)
  try {
    return await dispatch(ctx, name, args)
  } catch (error) {
    if (!(error instanceof Unavailable)) throw error
    ctx.say(`${ctx.paint.yellow(`${name} is not available here: ${error.message}.`)}\n`)
    return true
  }
}

async function dispatch(ctx: ChatContext, name: string, args: string[]): Promise<boolean> {
  const { backend } = ctx
  switch (name) {
    case '/exit':
    case '/quit':
      return false
    case '/help':
      ctx.say(`${CHAT_HELP}\n`)
      return true
    case '/model':
      ctx.say(`Model: ${args[0] ? await backend.setModel(args[0]) : backend.modelId}\n`)
      return true
    case '/agent':
    case '/agents':
      await agent(ctx, args[0])
      return true
    case '/new':
    case '/clear': {
      const fresh = await backend.newSession()
      ctx.say(
        fresh
          ? `New session ${fresh.id}. (${fresh.previous} stays saved: /resume ${fresh.previous})\n`
          : 'Conversation cleared.\n',
      )
      return true
    }
    case '/sessions':
      await sessions(ctx)
      return true
    case '/resume': {
      if (!args[0]) {
        ctx.say('Usage: /resume ID (see /sessions)\n')
        return true
      }
      const session = await backend.resume(args[0])
      ctx.say(`Resumed ${session.id}: ${session.title ?? ''} (${session.messageCount} messages)\n`)
      // It goes on as the agent it ran as (none stored: the default), as `--session ID` would.
      const ran = session.agent ?? 'build'
      if (ran !== backend.agentName && !(await switchAgent(ctx, ran)))
        ctx.say(`${ctx.paint.yellow(`Still the ${backend.agentName} agent (/agent NAME to switch).`)}\n`)
      // And on the model it ran on, as `--session ID` would.
      if (session.model && session.model !== backend.modelId) await resumeModel(ctx, session.model)
      return true
    }
    case '/checkpoints':
      await checkpoints(ctx)
      return true
    case '/undo':
    case '/redo': {
      const what = name === '/undo' ? 'undo' : 'redo'
      const source = backend.turns()
      const result = what === 'undo' ? await undoTurn(source) : await redoTurn(source)
      ctx.say(`${describeTurnResult(what, result, ctx.paint)}\n`)
      return true
    }
    case '/diff': {
      const patch = await backend.sessionDiff()
      ctx.say(
        patch === undefined
          ? `${NO_SESSION_CHANGES}\n`
          : `${renderSessionDiff(patch, { paint: ctx.paint, width: ctx.width })}\n`,
      )
      return true
    }
    case '/restore':
      await restore(ctx, args[0])
      return true
    case '/compact': {
      const result = await ctx.abortable((signal) => backend.compact(signal))
      ctx.say(
        result
          ? `Compacted: ${formatTokens(result.tokensBefore)} → ${formatTokens(result.tokensAfter)} tokens of context.\n`
          : 'Nothing to compact yet.\n',
      )
      return true
    }
    default:
      ctx.say(`Unknown command ${name}. Type /help for commands.\n`)
      return true
  }
}

async function agent(ctx: ChatContext, name: string | undefined): Promise<void> {
  if (!name) {
    const choice = await ctx.backend.agents()
    for (const line of choice.warnings) ctx.say(`${ctx.paint.yellow(line)}\n`)
    const names = choice.names.map((n) => (n === choice.current ? `*${n}` : n))
    ctx.say(`Agent: ${choice.current}. Available: ${names.join(', ')} (switch with /agent NAME)\n`)
    return
  }
  await switchAgent(ctx, name)
}

/** Runs the chat as agent `name` (stored on the session); false when there is none of that name. */
/** Back on a resumed session's model; one that cannot be used here leaves the current one. */
async function resumeModel(ctx: ChatContext, id: string): Promise<void> {
  try {
    ctx.say(`Model: ${await ctx.backend.setModel(id)}\n`)
  } catch (error) {
    if (!(error instanceof CliError || error instanceof Unavailable)) throw error
    ctx.say(
      `${ctx.paint.yellow(`Still on ${ctx.backend.modelId}: ${error.message} (/model ID to switch).`)}\n`,
    )
  }
}

async function switchAgent(ctx: ChatContext, name: string): Promise<boolean> {
  let switched: Awaited<ReturnType<ChatContext['backend']['switchAgent']>>
  try {
    switched = await ctx.backend.switchAgent(name)
  } catch (error) {
    // An unknown agent is the person's typo, not a missing feature.
    if (!(error instanceof Unavailable)) throw error
    ctx.say(`${ctx.paint.red(error.message)}\n`)
    return false
  }
  for (const line of switched.warnings) ctx.say(`${ctx.paint.yellow(line)}\n`)
  const tools = switched.tools ? ` (tools: ${switched.tools.join(', ')})` : ''
  ctx.say(`Agent: ${name}, model ${switched.model}${tools}\n`)
  return true
}

async function sessions(ctx: ChatContext): Promise<void> {
  const { current, rows } = await ctx.backend.sessions()
  ctx.say(
    `${table(
      ['', 'ID', 'UPDATED', 'MSGS', 'TOKENS', 'COST', 'TITLE'],
      rows.map((s) => [
        s.id === current ? '*' : '',
        s.id,
        s.updatedAt.slice(0, 16).replace('T', ' '),
        String(s.messageCount),
        formatTokens(s.tokens),
        formatCost(s.costUsd),
        s.title ?? '',
      ]),
    )}\n`,
  )
}

async function checkpoints(ctx: ChatContext): Promise<void> {
  const list = await ctx.backend.checkpoints()
  if (list.length === 0) {
    ctx.say('No checkpoints yet: one is taken before each turn that changes files.\n')
    return
  }
  ctx.say(
    `${table(
      ['ID', 'CREATED', 'KIND', 'MSGS', 'LABEL'],
      list.map((c) => [
        String(c.id),
        c.createdAt.slice(11, 19),
        c.kind,
        String(c.messageCount),
        c.label ?? '',
      ]),
    )}\n`,
  )
}

async function restore(ctx: ChatContext, raw: string | undefined): Promise<void> {
  const id = Number(raw)
  if (!raw || !Number.isSafeInteger(id) || id < 1) {
    ctx.say('Usage: /restore ID (see /checkpoints)\n')
    return
  }
  const plan = await ctx.backend.planRestore(id)
  ctx.say(`Checkpoint ${id}: conversation ${plan.messagesNow} → ${plan.messagesAfter} messages; files:\n`)
  ctx.say(`${describeChanges(plan.changes)}\n`)
  if (plan.changes.length > 0) {
    const answer = (await ctx.ask('Restore these files? [y/N] '))?.trim().toLowerCase()
    if (answer !== 'y' && answer !== 'yes') {
      ctx.say('Nothing was changed.\n')
      return
    }
  }
  const result = await ctx.backend.restore(id)
  ctx.say(`Restored checkpoint ${id}. To undo this: /restore ${result.undo}\n`)
}
