/**
 * Runs the engine's extensions in order and combines what they say: the first block wins, each sees
 * the arguments the previous one left, permission answers take the strictest, contexts add up. An
 * extension that throws (or has not answered when the run is aborted) is reported once per call as
 * a notice and counts as having said nothing.
 */
import type { Tool, ToolResult } from '@penguin-ai/tools'
import type { EngineEvent, PermissionRequest } from './events.js'
import type {
  ChatParams,
  EngineExtension,
  ExtensionContext,
  NoticeLevel,
  StopInfo,
  ToolCallInfo,
  ToolCallVerdict,
} from './extensions.js'

const STRICTNESS = { allow: 0, ask: 1, deny: 2 } as const

/** Where the extensions are called from: one run (or one `/compact`). */
export interface ExtensionScope {
  sessionId: string
  parentSessionId?: string
  cwd: string
  signal: AbortSignal
  /** Emits a `notice` event on behalf of an extension. */
  notice(source: string, level: NoticeLevel, message: string): void
}

function contextOf(scope: ExtensionScope, extension: EngineExtension): ExtensionContext {
  return {
    sessionId: scope.sessionId,
    ...(scope.parentSessionId ? { parentSessionId: scope.parentSessionId } : {}),
    cwd: scope.cwd,
    signal: scope.signal,
    notify: (level, message) => scope.notice(extension.name, level, message),
  }
}

export interface BeforeCall {
  args: unknown
  block?: string
  permission?: 'allow' | 'deny' | 'ask'
  reason?: string
  context: string[]
  stop?: string
}

export interface AfterCall {
  result: ToolResult
  context: string[]
  stop?: string
}

export class ExtensionChain {
  private readonly extensions: readonly EngineExtension[]
  /** Tools already reported as left out: said once, not before every request. */
  private readonly reportedClashes = new Set<string>()

  constructor(extensions: readonly EngineExtension[] = []) {
    this.extensions = extensions
  }

  get size(): number {
    return this.extensions.length
  }

  /** Every extension's tools whose names are free, in order; taken names are reported and skipped. */
  async tools(scope: ExtensionScope, taken: ReadonlySet<string>): Promise<Tool[]> {
    const names = new Set(taken)
    const tools: Tool[] = []
    for (const extension of this.extensions) {
      if (!extension.tools) continue
      const offered = await guard(scope, extension, 'tools', () =>
        extension.tools?.(contextOf(scope, extension)),
      )
      for (const tool of offered ?? []) {
        if (names.has(tool.name)) {
          const key = `${extension.name}\u0000${tool.name}`
          if (!this.reportedClashes.has(key)) {
            this.reportedClashes.add(key)
            scope.notice(extension.name, 'warning', `Tool "${tool.name}" is left out: the name is taken.`)
          }
          continue
        }
        names.add(tool.name)
        tools.push(tool)
      }
    }
    return tools
  }

  async sessionStart(
    scope: ExtensionScope,
    source: 'startup' | 'resume',
  ): Promise<{ context: string[]; stop?: string }> {
    const context: string[] = []
    for (const extension of this.extensions) {
      const verdict = await guard(scope, extension, 'sessionStart', () =>
        extension.sessionStart?.(contextOf(scope, extension), { source }),
      )
      if (verdict?.context) context.push(verdict.context)
      if (verdict?.stop !== undefined) return { context, stop: verdict.stop }
    }
    return { context }
  }

  async promptSubmit(
    scope: ExtensionScope,
    prompt: string,
  ): Promise<{ block?: string; context: string[]; stop?: string }> {
    const context: string[] = []
    for (const extension of this.extensions) {
      const verdict = await guard(scope, extension, 'promptSubmit', () =>
        extension.promptSubmit?.(contextOf(scope, extension), { prompt }),
      )
      if (verdict?.context) context.push(verdict.context)
      if (verdict?.stop !== undefined) return { context, stop: verdict.stop }
      if (verdict?.block !== undefined) return { context, block: verdict.block }
    }
    return { context }
  }

  async beforeToolCall(scope: ExtensionScope, call: ToolCallInfo): Promise<BeforeCall> {
    const outcome: BeforeCall = { args: call.args, context: [] }
    for (const extension of this.extensions) {
      const verdict: ToolCallVerdict | undefined = await guard(scope, extension, 'beforeToolCall', () =>
        extension.beforeToolCall?.(contextOf(scope, extension), { ...call, args: outcome.args }),
      )
      if (!verdict) continue
      if (verdict.context) outcome.context.push(verdict.context)
      if (verdict.args !== undefined) outcome.args = verdict.args
      if (
        verdict.permission &&
        (!outcome.permission || STRICTNESS[verdict.permission] > STRICTNESS[outcome.permission])
      ) {
        outcome.permission = verdict.permission
        if (verdict.reason !== undefined) outcome.reason = verdict.reason
        else delete outcome.reason
      }
      if (verdict.stop !== undefined)
        return { ...outcome, stop: verdict.stop, block: verdict.block ?? verdict.stop }
      if (verdict.block !== undefined) return { ...outcome, block: verdict.block }
    }
    return outcome
  }

  /** The first extension that answers decides; none answering leaves it to the user. */
  async permission(scope: ExtensionScope, request: PermissionRequest): Promise<'allow' | 'deny' | undefined> {
    for (const extension of this.extensions) {
      const answer = await guard(scope, extension, 'permission', () =>
        extension.permission?.(contextOf(scope, extension), request),
      )
      if (answer === 'allow' || answer === 'deny') return answer
    }
    return undefined
  }

  async afterToolCall(scope: ExtensionScope, call: ToolCallInfo, result: ToolResult): Promise<AfterCall> {
    const outcome: AfterCall = { result, context: [] }
    for (const extension of this.extensions) {
      const verdict = await guard(scope, extension, 'afterToolCall', () =>
        extension.afterToolCall?.(contextOf(scope, extension), { ...call, result: outcome.result }),
      )
      if (!verdict) continue
      if (verdict.output !== undefined || verdict.isError !== undefined) {
        outcome.result = {
          ...outcome.result,
          ...(verdict.output !== undefined ? { output: verdict.output } : {}),
          ...(verdict.isError !== undefined ? { isError: verdict.isError } : {}),
        }
      }
      if (verdict.context) outcome.context.push(verdict.context)
      if (verdict.stop !== undefined) return { ...outcome, stop: verdict.stop }
    }
    return outcome
  }

  async chatParams(scope: ExtensionScope, params: ChatParams): Promise<ChatParams> {
    let current = params
    for (const extension of this.extensions) {
      const change = await guard(scope, extension, 'chatParams', () =>
        extension.chatParams?.(contextOf(scope, extension), current),
      )
      if (change) current = { ...current, ...change }
    }
    return current
  }

  async beforeStop(scope: ExtensionScope, info: StopInfo): Promise<{ continue: string[]; stop?: string }> {
    const reasons: string[] = []
    for (const extension of this.extensions) {
      const verdict = await guard(scope, extension, 'beforeStop', () =>
        extension.beforeStop?.(contextOf(scope, extension), info),
      )
      if (verdict?.stop !== undefined) return { continue: [], stop: verdict.stop }
      if (verdict?.continue) reasons.push(verdict.continue)
    }
    return { continue: reasons }
  }

  async beforeCompact(scope: ExtensionScope, trigger: 'manual' | 'auto'): Promise<void> {
    for (const extension of this.extensions) {
      await guard(scope, extension, 'beforeCompact', () =>
        extension.beforeCompact?.(contextOf(scope, extension), { trigger }),
      )
    }
  }

  /** Hands an event to every extension; one that throws is ignored (it must not break delivery). */
  event(event: EngineEvent): void {
    for (const extension of this.extensions) {
      try {
        extension.event?.(event)
      } catch {
        // An observer's failure is its own; reporting it would emit an event from inside delivery.
      }
    }
  }
}

/**
 * One extension method: its answer, or undefined when it threw (reported) or when the run was
 * aborted before it answered (the run ends anyway; the method is left behind, unobserved).
 */
async function guard<T>(
  scope: ExtensionScope,
  extension: EngineExtension,
  method: string,
  call: () => T | Promise<T>,
): Promise<T | undefined> {
  if (scope.signal.aborted) return undefined
  let onAbort: (() => void) | undefined
  const aborted = new Promise<undefined>((resolve) => {
    onAbort = () => resolve(undefined)
    scope.signal.addEventListener('abort', onAbort, { once: true })
  })
  try {
    return await Promise.race([Promise.resolve().then(call), aborted])
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error)
    scope.notice(extension.name, 'error', `${method} failed: ${message}`)
    return undefined
  } finally {
    if (onAbort) scope.signal.removeEventListener('abort', onAbort)
  }
}
