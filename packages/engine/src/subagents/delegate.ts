/**
 * One `task` call: the child's engine options (the intersection of the agent's definition and what
 * the parent may do), its session (stored by the host, or in memory), its run, and its events
 * passed up to the parent's listeners as `subagent.event`.
 */
import type { PermissionPolicy, ToolContext, ToolResult } from '@penguin-ai/tools'
import type { UsageMeter } from '../budget.js'
import { Engine } from '../engine.js'
import type { EngineOptions, RunOptions } from '../engine-options.js'
import type { EngineEvent, PermissionRequest, RunResult } from '../events.js'
import type { AskPermission, Emit } from '../tool-runner.js'
import { TASK_TOOL, type TaskArgs } from './task-tool.js'
import { DEFAULT_AGENT, type SubagentProfile, type SubagentSession, type Subagents } from './types.js'

/** Events of a child that are not passed up to its parent's listeners. */
const STREAMED = new Set<EngineEvent['type']>(['text.delta', 'reasoning.delta', 'tool.output'])

/** What a `task` call needs of the run it is part of. */
export interface ParentRun {
  options: EngineOptions
  subagents: Subagents
  sessionId: string
  /** 0 for the user's session. */
  depth: number
  /** The agent the parent runs as, if any. */
  agent: string | undefined
  policy: PermissionPolicy
  meter: UsageMeter
  /** Whether the parent's budget (and its ancestors') is spent. */
  overBudget: () => boolean
  emit: Emit
  /** Children kept in memory when the host stores none, by session id. */
  children: Map<string, SubagentSession>
  /** One question at a time: children running side by side share the parent's prompt. */
  asking: { tail: Promise<unknown> }
}

/** What a run's `task` calls need of it. */
export function parentRun(
  options: EngineOptions,
  subagents: Subagents,
  run: Pick<ParentRun, 'sessionId' | 'policy' | 'meter' | 'overBudget' | 'emit' | 'children'>,
): ParentRun {
  return {
    ...run,
    options,
    subagents,
    depth: options.lineage?.depth ?? 0,
    // An engine given no agent runs as the default one, build: it cannot start build either.
    agent: options.lineage?.agent ?? options.agent?.name ?? DEFAULT_AGENT,
    asking: { tail: Promise.resolve() },
  }
}

export async function delegate(args: TaskArgs, ctx: ToolContext, parent: ParentRun): Promise<ToolResult> {
  let profile: SubagentProfile | undefined
  try {
    profile = await parent.subagents.resolve(args.agent)
  } catch (error) {
    return failure(
      `The ${args.agent} agent cannot start: ${error instanceof Error ? error.message : String(error)}`,
    )
  }
  if (!profile) {
    const names = parent.subagents.agents.map((agent) => agent.name).join(', ')
    return failure(`Unknown agent "${args.agent}". Agents you can start: ${names}.`)
  }
  if (profile.name === parent.agent && !profile.recursive) {
    return failure(
      `The ${profile.name} agent cannot start itself (its agent file would have to say "recursive: true"). Do the work here or pick another agent.`,
    )
  }
  const depth = parent.depth + 1
  let sessionId = args.session_id
  const engine = childOptions(parent, profile, depth, () => sessionId)
  let session: SubagentSession
  try {
    session = await openChild(parent, args, engine)
  } catch (error) {
    return failure(error instanceof Error ? error.message : String(error))
  }
  sessionId = session.sessionId
  const forward = (event: EngineEvent) => {
    const inner = event.type === 'subagent.event' ? event.event : event
    // Every model call below this one counts towards the parent's budgets, once.
    if (inner.type === 'usage') parent.meter.addSpent(inner.usage, inner.cost)
    // A child's streamed text and live command output stay with it: several children stream at
    // once, its answer comes back as the call's result, and `tool.finished` carries the output.
    if (STREAMED.has(inner.type)) return
    if (event.type === 'subagent.event') {
      const { runId: _r, time: _t, sessionId: _s, parentSessionId: _p, ...rest } = event
      parent.emit(rest)
    } else {
      parent.emit({
        type: 'subagent.event',
        callId: ctx.callId,
        agent: profile.name,
        depth,
        event: withChildIds(event),
      })
    }
  }
  let result: RunResult
  try {
    const options: RunOptions = { signal: ctx.signal, onEvent: forward }
    result = await session.run(args.prompt, options)
  } catch (error) {
    return failure(
      `The ${profile.name} agent failed: ${error instanceof Error ? error.message : String(error)}`,
    )
  } finally {
    // The child's conversation is stored before the parent goes on (a failed write is not the
    // parent's failure: the child's answer stands).
    await Promise.resolve(session.close()).catch(() => {})
  }
  return answer(profile.name, session.sessionId, result)
}

/** The child's engine: the agent's definition, narrowed to what the parent may do. */
function childOptions(
  parent: ParentRun,
  profile: SubagentProfile,
  depth: number,
  childId: () => string | undefined,
): Omit<EngineOptions, 'history'> {
  const {
    history: _history,
    systemPrompt: _systemPrompt,
    agent: _agent,
    toolFilter,
    beforeChanges: _beforeChanges,
    sessionId: _sessionId,
    cacheKey: _cacheKey,
    tokenCounter: _tokenCounter,
    lineage: _lineage,
    budget: _budget,
    askPermission,
    ...inherited
  } = parent.options
  const parentOffers = toolFilter ?? (() => true)
  const agentOffers = profile.toolFilter ?? (() => true)
  return {
    ...inherited,
    ...(parent.options.tools
      ? { tools: parent.options.tools.filter((tool) => tool.name !== TASK_TOOL) }
      : {}),
    model: profile.model ?? parent.options.model,
    policy: parent.policy.narrowed(profile.restrictions ?? []),
    ...(askPermission ? { askPermission: labelledAsk(askPermission, parent, profile.name, childId) } : {}),
    agent: { name: profile.name, prompt: profile.prompt },
    toolFilter: (name) => parentOffers(name) && agentOffers(name),
    ...(profile.maxIterations ? { maxIterations: profile.maxIterations } : {}),
    ...(profile.reasoning ? { reasoning: profile.reasoning } : {}),
    lineage: {
      parentSessionId: parent.sessionId,
      depth,
      agent: profile.name,
      parentOverBudget: parent.overBudget,
    },
  }
}

/** The parent's way of asking, with the question labelled by the child's agent and asked one at a time. */
function labelledAsk(
  ask: AskPermission,
  parent: ParentRun,
  agent: string,
  childId: () => string | undefined,
): AskPermission {
  return (request, signal) => {
    const id = childId()
    // A grandchild's question arrives already labelled: it keeps its own agent and session.
    const labelled: PermissionRequest = {
      ...request,
      agent: request.agent ?? agent,
      ...((request.sessionId ?? id) ? { sessionId: request.sessionId ?? id } : {}),
    }
    const turn = parent.asking.tail.then(() => ask(labelled, signal))
    parent.asking.tail = turn.catch(() => undefined)
    return turn
  }
}

async function openChild(
  parent: ParentRun,
  args: TaskArgs,
  engine: Omit<EngineOptions, 'history'>,
): Promise<SubagentSession> {
  const title = args.description ?? args.prompt.replace(/\s+/g, ' ').trim().slice(0, 60)
  if (parent.subagents.openSession) {
    return parent.subagents.openSession({
      agent: args.agent,
      parentSessionId: parent.sessionId,
      ...(args.session_id ? { sessionId: args.session_id } : {}),
      title,
      engine,
    })
  }
  if (args.session_id) {
    const known = parent.children.get(args.session_id)
    if (!known) throw new Error(`No task session "${args.session_id}" of this session to continue.`)
    if (known.agent !== args.agent)
      throw new Error(`Session ${args.session_id} runs the ${known.agent} agent, not ${args.agent}.`)
    return known
  }
  const child = new Engine(engine)
  // Kept for `session_id` while the parent engine lives; one task call at a time may run it.
  let busy = false
  const session: SubagentSession = {
    sessionId: child.sessionId,
    agent: args.agent,
    run: async (prompt, options) => {
      if (busy)
        throw new Error(
          `session ${child.sessionId} is still answering another task call; continue it after that call has answered`,
        )
      busy = true
      try {
        return await child.run(prompt, options)
      } finally {
        busy = false
      }
    },
    close: () => {},
  }
  parent.children.set(child.sessionId, session)
  return session
}

function answer(agent: string, sessionId: string, result: RunResult): ToolResult {
  const text = result.text.trim() || '(The agent gave no answer.)'
  const ended =
    result.status === 'completed'
      ? ''
      : `\n\nThe ${agent} agent did not finish: ${result.status}${result.error ? ` (${result.error.message})` : ''}.`
  return {
    output: `${text}${ended}\n\nsession_id: ${sessionId} (pass it as session_id to continue this ${agent} session)`,
    isError: result.status !== 'completed',
    details: {
      kind: 'generic',
      summary: `${agent} · ${result.status} · ${result.iterations} turn${result.iterations === 1 ? '' : 's'}`,
      data: {
        agent,
        session_id: sessionId,
        status: result.status,
        text: result.text,
        usage: result.usage,
        cost: result.cost,
        iterations: result.iterations,
      },
    },
  }
}

function failure(message: string): ToolResult {
  return { output: message, isError: true }
}

/** The child's event with its ids again in snake_case, as clients of the server's stream read ids. */
function withChildIds(event: EngineEvent): EngineEvent & { session_id?: string; parent_session_id?: string } {
  return {
    ...event,
    ...(event.sessionId === undefined ? {} : { session_id: event.sessionId }),
    ...(event.parentSessionId === undefined ? {} : { parent_session_id: event.parentSessionId }),
  }
}
