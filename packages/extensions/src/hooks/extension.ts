/**
 * Claude Code compatible hooks as an engine extension: each event runs the matching command hooks
 * (in parallel, the same command once), with Claude Code's stdin JSON, and turns their exit codes
 * and output into what the engine understands (see output.ts). A hook script written for Claude
 * Code works unchanged.
 */
import { resolve } from 'node:path'
import { HOOK_EVENTS, type HookEntry } from '@penguin-ai/config'
import type {
  EngineExtension,
  ExtensionContext,
  PromptVerdict,
  SessionStartVerdict,
  StopInfo,
  StopVerdict,
  ToolCallInfo,
  ToolCallResultInfo,
  ToolCallVerdict,
  ToolResultVerdict,
} from '@penguin-ai/engine'
import { type Launcher, launchSpec } from '../launch.js'
import { compileMatcher, hookToolInput, type Matcher, toolArgsFromHook } from './matcher.js'
import { type HookOutcome, interpret } from './output.js'
import { runHookCommand } from './run.js'

/** Claude Code's default per-hook timeout. */
export const DEFAULT_HOOK_TIMEOUT_S = 60

export interface HooksOptions {
  hooks: readonly HookEntry[]
  /** The workspace root: hooks run there, and it is their `cwd` and `CLAUDE_PROJECT_DIR`. */
  cwd: string
  /** The environment hooks run with (already without credentials). */
  env: Record<string, string>
  launch?: Launcher
  /** What `permission_mode` hooks are told: `bypassPermissions` under --yes, else `default`. */
  permissionMode?: HookPermissionMode
}

/** Claude Code's permission modes, as hooks are told them (`permission_mode`). */
export type HookPermissionMode = 'default' | 'plan' | 'acceptEdits' | 'bypassPermissions'

interface CompiledHook {
  entry: HookEntry
  command: string
  matches: Matcher
  /** The name the hook knows a tool by (Claude Code's when its matcher used that). */
  nameFor: (tool: string) => string
}

type Notify = (level: 'info' | 'warning' | 'error', message: string) => void

export class ClaudeHooks implements EngineExtension {
  readonly name = 'hooks'
  private readonly options: HooksOptions
  private readonly byEvent = new Map<string, CompiledHook[]>()
  private readonly problems: string[] = []
  private reported = false
  private sessionId: string | undefined

  constructor(options: HooksOptions) {
    this.options = options
    const unsupported = new Set<string>()
    for (const entry of options.hooks) {
      if (!(HOOK_EVENTS as readonly string[]).includes(entry.event)) {
        unsupported.add(`${entry.event} hooks are not run (Penguin runs ${HOOK_EVENTS.join(', ')})`)
        continue
      }
      if (entry.type !== 'command' || !entry.command) {
        unsupported.add(`hooks of type "${entry.type}" are not run (only "command")`)
        continue
      }
      const matcher = compileMatcher(entry.matcher)
      if (matcher.invalid) {
        this.problems.push(
          `the ${entry.event} matcher "${entry.matcher}" is not a regular expression (${matcher.invalid}); it matches that exact name only`,
        )
      }
      const list = this.byEvent.get(entry.event) ?? []
      list.push({ entry, command: entry.command, matches: matcher.match, nameFor: matcher.nameFor })
      this.byEvent.set(entry.event, list)
    }
    this.problems.push(...unsupported)
  }

  /** Whether any hook would run for an event. */
  handles(event: string): boolean {
    return this.byEvent.has(event)
  }

  async sessionStart(
    ctx: ExtensionContext,
    info: { source: 'startup' | 'resume' },
  ): Promise<SessionStartVerdict | undefined> {
    const outcomes = await this.run(ctx, 'SessionStart', info.source, { source: info.source })
    return withStop(outcomes, { ...contextOf(outcomes) })
  }

  async promptSubmit(ctx: ExtensionContext, info: { prompt: string }): Promise<PromptVerdict | undefined> {
    const outcomes = await this.run(ctx, 'UserPromptSubmit', undefined, { prompt: info.prompt })
    const block = outcomes.find((outcome) => outcome.block !== undefined)?.block
    return withStop(outcomes, { ...contextOf(outcomes), ...(block !== undefined ? { block } : {}) })
  }

  async beforeToolCall(ctx: ExtensionContext, call: ToolCallInfo): Promise<ToolCallVerdict | undefined> {
    const input = this.toolInput(call.tool, call.args)
    const outcomes = await this.run(ctx, 'PreToolUse', call.tool, (hook) => ({
      tool_name: hook.nameFor(call.tool),
      tool_input: input,
      tool_use_id: call.callId,
    }))
    const verdict: ToolCallVerdict = { ...contextOf(outcomes) }
    const blocked = outcomes.find((outcome) => outcome.block !== undefined)
    if (blocked) verdict.block = `Blocked by a PreToolUse hook: ${blocked.block}`
    const strictest = strictestPermission(outcomes)
    if (strictest?.permission) verdict.permission = strictest.permission
    if (strictest?.reason) verdict.reason = strictest.reason
    const rewritten = outcomes.find((outcome) => outcome.args !== undefined)
    if (rewritten?.args) verdict.args = toolArgsFromHook(call.tool, input, rewritten.args)
    return withStop(outcomes, verdict)
  }

  async afterToolCall(
    ctx: ExtensionContext,
    call: ToolCallResultInfo,
  ): Promise<ToolResultVerdict | undefined> {
    const { result } = call
    const input = this.toolInput(call.tool, call.args)
    const outcomes = await this.run(ctx, 'PostToolUse', call.tool, (hook) => ({
      tool_name: hook.nameFor(call.tool),
      tool_input: input,
      tool_response: {
        output: result.output,
        is_error: result.isError ?? false,
        success: !(result.isError ?? false),
        ...(result.details ? { details: result.details } : {}),
      },
      tool_use_id: call.callId,
    }))
    return withStop(outcomes, { ...contextOf(outcomes) })
  }

  /** A tool's arguments as hooks get them (file tools also carry Claude Code's `file_path`). */
  private toolInput(tool: string, args: unknown): unknown {
    return hookToolInput(tool, args, (path) => resolve(this.options.cwd, path))
  }

  /** Stop, or for a sub-agent SubagentStop (matched against the agent's name); both can keep it going. */
  async beforeStop(ctx: ExtensionContext, info: StopInfo): Promise<StopVerdict | undefined> {
    const { subagent } = info
    const outcomes = subagent
      ? await this.run(ctx, 'SubagentStop', subagent.agent, {
          stop_hook_active: info.stopHookActive,
          agent_type: subagent.agent,
          agent_id: ctx.sessionId,
          parent_session_id: subagent.parentSessionId,
        })
      : await this.run(ctx, 'Stop', undefined, { stop_hook_active: info.stopHookActive })
    const reasons = outcomes.flatMap((outcome) => (outcome.continueWith ? [outcome.continueWith] : []))
    return withStop(outcomes, reasons.length ? { continue: reasons.join('\n\n') } : {})
  }

  async beforeCompact(ctx: ExtensionContext, info: { trigger: 'manual' | 'auto' }): Promise<void> {
    await this.run(ctx, 'PreCompact', info.trigger, { trigger: info.trigger, custom_instructions: '' })
  }

  /**
   * SessionEnd: run by whoever ends the session (the CLI on exit, the server when a session goes),
   * not by a run, so it gets its own bound and reports through `notify`.
   */
  async end(
    reason: 'clear' | 'logout' | 'prompt_input_exit' | 'other',
    notify: Notify,
    timeoutMs = 10_000,
  ): Promise<void> {
    if (!this.handles('SessionEnd') || this.sessionId === undefined) return
    const signal = AbortSignal.timeout(timeoutMs)
    const ctx: ExtensionContext = { sessionId: this.sessionId, cwd: this.options.cwd, signal, notify }
    await this.run(ctx, 'SessionEnd', reason, { reason })
  }

  private async run(
    ctx: ExtensionContext,
    event: string,
    subject: string | undefined,
    fields: Record<string, unknown> | ((hook: CompiledHook) => Record<string, unknown>),
  ): Promise<HookOutcome[]> {
    // SessionEnd is about the user's session, not a sub-agent's.
    if (!ctx.parentSessionId) this.sessionId = ctx.sessionId
    if (!this.reported) {
      this.reported = true
      for (const problem of this.problems) ctx.notify('warning', problem)
    }
    const matching = (this.byEvent.get(event) ?? []).filter(
      (hook) => subject === undefined || hook.matches(subject),
    )
    // The same command listed twice (a user and a workspace config both naming it) runs once.
    const unique = [...new Map(matching.map((hook) => [hook.command, hook])).values()]
    if (unique.length === 0) return []
    const common = {
      session_id: ctx.sessionId,
      transcript_path: '',
      cwd: this.options.cwd,
      permission_mode: this.options.permissionMode ?? 'default',
      hook_event_name: event,
    }
    const env = {
      ...this.options.env,
      CLAUDE_PROJECT_DIR: this.options.cwd,
      PENGUIN_PROJECT_DIR: this.options.cwd,
      PENGUIN_SESSION_ID: ctx.sessionId,
    }
    const outcomes = await Promise.all(
      unique.map(async (hook) => {
        const run = await runHookCommand({
          command: hook.command,
          input: { ...common, ...(typeof fields === 'function' ? fields(hook) : fields) },
          cwd: this.options.cwd,
          env,
          timeoutMs: (hook.entry.timeout ?? DEFAULT_HOOK_TIMEOUT_S) * 1000,
          signal: ctx.signal,
          launch: this.options.launch ?? launchSpec,
          origin: hook.entry.origin,
        })
        return interpret(event, hook.command, run)
      }),
    )
    for (const outcome of outcomes)
      for (const notice of outcome.notices) ctx.notify(notice.level, notice.message)
    return outcomes
  }
}

function contextOf(outcomes: HookOutcome[]): { context?: string } {
  const texts = outcomes.flatMap((outcome) => (outcome.context ? [outcome.context] : []))
  return texts.length ? { context: texts.join('\n\n') } : {}
}

const STRICTNESS = { allow: 0, ask: 1, deny: 2 } as const

function strictestPermission(outcomes: HookOutcome[]): HookOutcome | undefined {
  let strictest: HookOutcome | undefined
  for (const outcome of outcomes) {
    if (!outcome.permission) continue
    if (!strictest?.permission || STRICTNESS[outcome.permission] > STRICTNESS[strictest.permission])
      strictest = outcome
  }
  return strictest
}

/** Adds a `continue: false` stop (the first one) to a verdict. */
function withStop<T extends object>(
  outcomes: HookOutcome[],
  verdict: T,
): (T & { stop?: string }) | undefined {
  const stop = outcomes.find((outcome) => outcome.stop !== undefined)?.stop
  const result = stop !== undefined ? { ...verdict, stop: stop || 'a hook said not to continue' } : verdict
  return Object.keys(result).length ? result : undefined
}
