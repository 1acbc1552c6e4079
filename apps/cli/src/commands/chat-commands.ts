import type { Engine } from '@penguin-ai/engine'
import type { AgentSession } from '@penguin-ai/sessions'
import type { AgentFlags } from '../args.js'
import { formatCost, formatTokens } from '../render/format.js'
import type { painter } from '../render/human.js'
import { NO_SESSION_CHANGES, renderSessionDiff } from '../render/session-diff.js'
import { describeChanges } from '../session/confirm.js'
import { localTurns } from '../session/local-turns.js'
import { describeTurnResult, redoTurn, undoTurn } from '../session/turn-history.js'
import { type AgentSetup, flagLayer, resolveModelOrExplain } from '../setup.js'
import { table } from '../store/render.js'

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

/** What the chat commands need from the chat. */
export interface ChatContext {
  readonly setup: AgentSetup
  readonly flags: AgentFlags
  readonly agent: AgentSession | undefined
  readonly engine: Engine
  readonly paint: ReturnType<typeof painter>
  /** Columns to lay out diffs in. */
  readonly width: number
  /** Asks the person a question and returns their answer (undefined: no answer, e.g. end of input). */
  ask(question: string): Promise<string | undefined>
  say(text: string): void
  reconfigure(setup: AgentSetup): void
  abortable<T>(fn: (signal: AbortSignal) => Promise<T>): Promise<T>
}

/** Runs one slash command; returns false when the chat should end. */
export async function runChatCommand(ctx: ChatContext, input: string): Promise<boolean> {
  const [name, ...args] = input.split(/\s+/)
  switch (name) {
    case '/exit':
    case '/quit':
      return false
    case '/help':
      ctx.say(`${CHAT_HELP}\n`)
      return true
    case '/model':
      model(ctx, args[0])
      return true
    case '/agent':
    case '/agents':
      await agent(ctx, args[0])
      return true
    case '/new':
    case '/clear':
      await fresh(ctx)
      return true
    case '/sessions':
      await sessions(ctx)
      return true
    case '/resume':
      await resume(ctx, args[0])
      return true
    case '/checkpoints':
      await checkpoints(ctx)
      return true
    case '/undo':
    case '/redo':
      await undoOrRedo(ctx, name === '/undo' ? 'undo' : 'redo')
      return true
    case '/diff':
      await diff(ctx)
      return true
    case '/restore':
      await restore(ctx, args[0])
      return true
    case '/compact':
      await compact(ctx)
      return true
    default:
      ctx.say(`Unknown command ${name}. Type /help for commands.\n`)
      return true
  }
}

function model(ctx: ChatContext, id: string | undefined): void {
  if (!id) {
    ctx.say(`Model: ${ctx.setup.model.id}\n`)
    return
  }
  const resolved = resolveModelOrExplain(id, ctx.setup)
  ctx.reconfigure({ ...ctx.setup, model: resolved })
  ctx.say(`Model: ${resolved.id}\n`)
}

async function agent(ctx: ChatContext, name: string | undefined): Promise<void> {
  const current = ctx.setup.agent?.name ?? 'build'
  const config = await import('@penguin-ai/config')
  if (!name) {
    const catalogue = await config.loadAgents({
      workspace: ctx.setup.resolved.workspace,
      trusted: ctx.setup.resolved.trust.state === 'trusted',
      env: process.env,
    })
    for (const line of catalogue.warnings) ctx.say(`${ctx.paint.yellow(line)}\n`)
    const names = catalogue.agents.map((a) => (a.name === current ? `*${a.name}` : a.name))
    ctx.say(`Agent: ${current}. Available: ${names.join(', ')} (switch with /agent NAME)\n`)
    return
  }
  await switchAgent(ctx, name)
}

/** Runs the chat as agent `name` (stored on the session); false when there is none of that name. */
async function switchAgent(ctx: ChatContext, name: string): Promise<boolean> {
  const config = await import('@penguin-ai/config')
  let next: AgentSetup
  try {
    next = await config.switchAgent(ctx.setup, name, { env: process.env, flags: flagLayer(ctx.flags) })
  } catch (error) {
    if (!config.isConfigError(error)) throw error
    ctx.say(`${ctx.paint.red(error.message)}\n`)
    return false
  }
  for (const line of next.agentWarnings) ctx.say(`${ctx.paint.yellow(line)}\n`)
  ctx.reconfigure(next)
  const tools = next.agent?.tools ? ` (tools: ${ctx.engine.toolNames.join(', ')})` : ''
  ctx.say(`Agent: ${name}, model ${next.model.id}${tools}\n`)
  return true
}

async function fresh(ctx: ChatContext): Promise<void> {
  if (!ctx.agent) {
    ctx.engine.clear()
    ctx.say('Conversation cleared.\n')
    return
  }
  const previous = ctx.agent.session.id
  await ctx.agent.switchTo(undefined)
  ctx.say(`New session ${ctx.agent.session.id}. (${previous} stays saved: /resume ${previous})\n`)
}

async function sessions(ctx: ChatContext): Promise<void> {
  const agent = needSessions(ctx)
  const list = await agent.store.listSessions({ workspace: ctx.setup.workspace.root, limit: 15 })
  const current = agent.session.id
  ctx.say(
    `${table(
      ['', 'ID', 'UPDATED', 'MSGS', 'TOKENS', 'COST', 'TITLE'],
      list.map((s) => [
        s.id === current ? '*' : '',
        s.id,
        s.updatedAt.slice(0, 16).replace('T', ' '),
        String(s.messageCount),
        formatTokens(s.inputTokens + s.outputTokens),
        formatCost(s.costUsd),
        s.title ?? '',
      ]),
    )}\n`,
  )
}

async function resume(ctx: ChatContext, ref: string | undefined): Promise<void> {
  const agent = needSessions(ctx)
  if (!ref) {
    ctx.say('Usage: /resume ID (see /sessions)\n')
    return
  }
  await agent.switchTo(ref)
  const session = agent.session
  ctx.say(`Resumed ${session.id}: ${session.title ?? ''} (${session.messageCount} messages)\n`)
  // It goes on as the agent it ran as (none stored: the default), as `--session ID` would.
  const ran = session.agent ?? 'build'
  if (ran !== (ctx.setup.agent?.name ?? 'build') && !(await switchAgent(ctx, ran)))
    ctx.say(
      `${ctx.paint.yellow(`Still the ${ctx.setup.agent?.name ?? 'build'} agent (/agent NAME to switch).`)}\n`,
    )
}

async function checkpoints(ctx: ChatContext): Promise<void> {
  const agent = needSessions(ctx)
  const list = (await agent.checkpoints?.list()) ?? []
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

/** `/undo` and `/redo`: whole turns, read from the stored session (see session/turn-history.ts). */
async function undoOrRedo(ctx: ChatContext, what: 'undo' | 'redo'): Promise<void> {
  const agent = needSessions(ctx)
  if (!agent.checkpoints) {
    ctx.say(`${what === 'undo' ? 'Undo' : 'Redo'} needs checkpoints, which are off for this session.\n`)
    return
  }
  const source = localTurns(agent)
  const result = what === 'undo' ? await undoTurn(source) : await redoTurn(source)
  ctx.say(`${describeTurnResult(what, result, ctx.paint)}\n`)
}

/** `/diff`: the workspace now against this session's first checkpoint. */
async function diff(ctx: ChatContext): Promise<void> {
  const checkpointer = needSessions(ctx).checkpoints
  const first = (await checkpointer?.list())?.at(-1)
  if (!checkpointer || !first) {
    ctx.say(`${NO_SESSION_CHANGES}\n`)
    return
  }
  const patch = await checkpointer.diff(first.id)
  ctx.say(`${renderSessionDiff(patch, { paint: ctx.paint, width: ctx.width })}\n`)
}

async function restore(ctx: ChatContext, raw: string | undefined): Promise<void> {
  const agent = needSessions(ctx)
  const checkpointer = agent.checkpoints
  if (!checkpointer) {
    ctx.say('Checkpoints are off for this session.\n')
    return
  }
  const id = Number(raw)
  if (!raw || !Number.isSafeInteger(id) || id < 1) {
    ctx.say('Usage: /restore ID (see /checkpoints)\n')
    return
  }
  const plan = await checkpointer.plan(id)
  ctx.say(`Checkpoint ${id}: conversation ${plan.messagesNow} → ${plan.messagesAfter} messages; files:\n`)
  ctx.say(`${describeChanges(plan.changes)}\n`)
  if (plan.changes.length > 0) {
    const answer = (await ctx.ask('Restore these files? [y/N] '))?.trim().toLowerCase()
    if (answer !== 'y' && answer !== 'yes') {
      ctx.say('Nothing was changed.\n')
      return
    }
  }
  const result = await agent.restore(id)
  ctx.say(`Restored checkpoint ${id}. To undo this: /restore ${result.undo.id}\n`)
}

async function compact(ctx: ChatContext): Promise<void> {
  const result = await ctx.abortable((signal) => ctx.engine.compact(signal))
  if (!result) {
    ctx.say('Nothing to compact yet.\n')
    return
  }
  ctx.say(
    `Compacted: ${formatTokens(result.tokensBefore)} → ${formatTokens(result.tokensAfter)} tokens of context.\n`,
  )
}

function needSessions(ctx: ChatContext): AgentSession {
  if (!ctx.agent) throw new Error('Sessions are not available: the session database could not be opened.')
  return ctx.agent
}
