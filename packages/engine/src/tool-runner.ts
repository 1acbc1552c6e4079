import { type ImageBlock, type ToolCall, type ToolResultMessage, toolResultMessage } from '@penguin-ai/llm'
import type { Sandbox } from '@penguin-ai/sandbox'
import {
  childEnvironment,
  type FileAccess,
  firstLine,
  normalizeDetails,
  type PermissionPolicy,
  type Tool,
  type ToolContext,
  type ToolImage,
  type ToolResult,
  type Workspace,
} from '@penguin-ai/tools'
import { capToolResult } from './context.js'
import type { AutoApprove, EngineOptions } from './engine-options.js'
import type { EngineEvent, PermissionReply, PermissionRequest } from './events.js'
import type { ExtensionChain, ExtensionScope } from './extension-chain.js'
import { offerOutside } from './sandbox-rerun.js'
import { TASK_TOOL } from './subagents/task-tool.js'
import { DEFAULT_MAX_PARALLEL } from './subagents/types.js'
import { callInfo, fail, type Prepared, prepare } from './tool-prepare.js'

/** Distributes an event without run id and time; the engine stamps them. */
export type Emit = (event: DistributiveOmit<EngineEvent, 'runId' | 'time'>) => void
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never

export type AskPermission = (request: PermissionRequest, signal: AbortSignal) => Promise<PermissionReply>

export interface ToolRunnerOptions {
  tools: Map<string, Tool>
  workspace: Workspace
  policy: PermissionPolicy
  /** `--yes`: calls the policy would ask about run without asking. Never lifts `deny` or confinement. */
  autoApprove: boolean | AutoApprove
  askPermission: AskPermission | undefined
  /** See `EngineOptions.approvalHint`. */
  approvalHint?: string
  /** The environment of commands (already without credentials). */
  env?: NodeJS.ProcessEnv
  /** The OS sandbox sandboxed tools run in; see `EngineOptions.sandbox`. */
  sandbox?: Sandbox
  /** Where file tools read and write file text; see `EngineOptions.files`. */
  files?: FileAccess
  /** Command patterns that run outside the sandbox (`sandbox.excluded_commands`). */
  excludedCommands?: readonly string[]
  emit: Emit
  signal: AbortSignal
  /** Extensions that see every call before and after it runs (hooks, plugins). */
  extensions?: { chain: ExtensionChain; scope: ExtensionScope }
  /** Whether the model takes images: a tool's images reach it only then. */
  images?: boolean
  /**
   * Tools whose consecutive calls run side by side, at most `limit` at once (`task`: sub-agents of
   * one turn run concurrently, `agents.max_parallel`).
   */
  concurrent?: { names: readonly string[]; limit: number }
  /** Set when an extension asked to end the run: the remaining calls are not run. */
  stopped?: { reason: string }
}

/** How a run's tool calls are run, from the engine's options and the run's own parts. */
export function toolRunnerOptions(
  options: EngineOptions,
  run: Pick<ToolRunnerOptions, 'tools' | 'policy' | 'emit' | 'signal' | 'extensions'>,
): ToolRunnerOptions {
  return {
    ...run,
    workspace: options.workspace,
    autoApprove: options.autoApprove ?? false,
    askPermission: options.askPermission,
    ...(options.approvalHint ? { approvalHint: options.approvalHint } : {}),
    env: childEnvironment(process.env, options.commandEnv),
    ...(options.sandbox ? { sandbox: options.sandbox } : {}),
    ...(options.files ? { files: options.files } : {}),
    ...(options.excludedCommands ? { excludedCommands: options.excludedCommands } : {}),
    images: options.model.info.images === true,
    ...(options.subagents
      ? { concurrent: { names: [TASK_TOOL], limit: options.subagents.maxParallel ?? DEFAULT_MAX_PARALLEL } }
      : {}),
  }
}

/**
 * Runs one turn's tool calls. Consecutive read-only calls run in parallel; anything that writes or
 * executes runs alone, in order. Results come back in the order the model called them.
 */
export async function runToolCalls(
  calls: ToolCall[],
  options: ToolRunnerOptions,
): Promise<ToolResultMessage[]> {
  const results: ToolResultMessage[] = []
  const concurrent = new Set(options.concurrent?.names ?? [])
  for (const group of groupCalls(calls, options.tools, concurrent)) {
    const limit = concurrent.has(group[0]?.name ?? '') ? (options.concurrent?.limit ?? 1) : group.length
    results.push(...(await mapLimited(group, limit, (call) => runOne(call, options))))
  }
  return results
}

/**
 * Splits calls into batches: runs of read-only calls together, runs of `concurrent` tools' calls
 * together, every other call on its own.
 */
export function groupCalls(
  calls: ToolCall[],
  tools: Map<string, Tool>,
  concurrent: ReadonlySet<string> = new Set(),
): ToolCall[][] {
  const groups: ToolCall[][] = []
  let run: ToolCall[] = []
  let kind: 'read' | 'concurrent' | undefined
  for (const call of calls) {
    const callKind = concurrent.has(call.name)
      ? 'concurrent'
      : tools.get(call.name)?.readOnly
        ? 'read'
        : undefined
    if (callKind && callKind === kind) {
      run.push(call)
      continue
    }
    if (run.length) groups.push(run)
    run = [call]
    kind = callKind
    if (!callKind) {
      groups.push(run)
      run = []
    }
  }
  if (run.length) groups.push(run)
  return groups
}

/** `work` on every item, at most `limit` at a time; results in the items' order. */
async function mapLimited<T, R>(items: T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length)
  let next = 0
  const lane = async () => {
    while (next < items.length) {
      const index = next++
      results[index] = await work(items[index] as T)
    }
  }
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, lane))
  return results
}

async function runOne(call: ToolCall, options: ToolRunnerOptions): Promise<ToolResultMessage> {
  const prepared: Prepared = options.stopped
    ? fail(call.name, {}, `Not run: the run was stopped (${options.stopped.reason}).`)
    : await prepare(call, options)
  const started = Date.now()
  const { args, title } = prepared
  options.emit({ type: 'tool.started', callId: call.id, tool: call.name, args, title })
  let result: ToolResult
  if (prepared.refusal) {
    result = prepared.refusal
  } else if (options.signal.aborted) {
    result = { output: 'Not run: the run was aborted.', isError: true }
  } else {
    const { tool, sandboxed } = prepared
    const run = (inSandbox: boolean) => execute(tool, args, call, options, inSandbox)
    result = await run(sandboxed)
    // The sandbox refused it something: the user may let it run outside (never automatically).
    if (sandboxed && result.sandboxRefusal && !options.signal.aborted) {
      result = await offerOutside({ call, tool, args, title }, result, options, () => run(false))
    }
  }
  const context = [...prepared.context]
  if (options.extensions && !options.stopped) {
    const after = await options.extensions.chain.afterToolCall(
      options.extensions.scope,
      callInfo(call, args, options),
      result,
    )
    result = after.result
    context.push(...after.context)
    if (after.stop !== undefined) options.stopped = { reason: after.stop }
  }
  const images = result.images ?? []
  if (images.length && !options.images) {
    context.push(
      `[${images.length} image${images.length === 1 ? '' : 's'} left out: this model does not take images]`,
    )
  }
  const output = capToolResult(withContext(result.output, context))
  // Whatever the tool gave (or failed to give), UIs get valid details; a failure is summarised by
  // what the call was about and the first line of its error.
  const fallback = result.isError ? `${title} — ${firstLine(result.output)}` : title
  options.emit({
    type: 'tool.finished',
    callId: call.id,
    tool: call.name,
    isError: result.isError ?? false,
    output,
    details: normalizeDetails(result.details, fallback),
    durationMs: Date.now() - started,
  })
  return toolResultMessage(call, output, {
    isError: result.isError ?? false,
    ...(images.length && options.images ? { images: images.map(imageBlock) } : {}),
  })
}

/** Runs a call that passed preparation, in the sandbox or not; settles as soon as the run is aborted. */
function execute(
  tool: Tool,
  args: unknown,
  call: ToolCall,
  options: ToolRunnerOptions,
  inSandbox: boolean,
): Promise<ToolResult> {
  const ctx: ToolContext = {
    workspace: options.workspace,
    signal: options.signal,
    callId: call.id,
    denied: (path) => deniedPath(options.policy, tool.name, path),
    ...(options.env ? { env: options.env } : {}),
    onOutput: (text) => options.emit({ type: 'tool.output', callId: call.id, tool: call.name, text }),
    ...(inSandbox && options.sandbox ? { sandbox: options.sandbox } : {}),
    ...(options.files ? { files: options.files } : {}),
  }
  return untilAborted(tool.run(args, ctx), options.signal, tool.name)
}

function imageBlock(image: ToolImage): ImageBlock {
  return { type: 'image', mediaType: image.mediaType, data: image.data }
}

/** The output the model reads: the tool's, then what extensions added, each its own paragraph. */
function withContext(output: string, context: readonly string[]): string {
  const extra = context.filter((text) => text.trim() !== '')
  if (extra.length === 0) return output
  return [output, ...extra].filter((text) => text !== '').join('\n\n')
}

/**
 * A tool's result, or an "aborted" one as soon as the run is aborted: a cancelled run ends now,
 * whatever the tool is doing (a tool that ignores its signal keeps running, unobserved).
 */
function untilAborted(running: Promise<ToolResult>, signal: AbortSignal, tool: string): Promise<ToolResult> {
  if (signal.aborted) return Promise.resolve(abortedResult(tool))
  return new Promise((resolve) => {
    // A tool that honours the signal settles within the same turn of the event loop, with its own
    // details (a command's output so far); one that does not is left behind.
    const onAbort = () => setImmediate(() => resolve(abortedResult(tool)))
    signal.addEventListener('abort', onAbort, { once: true })
    running.then(
      (result) => {
        signal.removeEventListener('abort', onAbort)
        resolve(result)
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort)
        resolve({
          output: `${tool} failed: ${error instanceof Error ? error.message : String(error)}`,
          isError: true,
        })
      },
    )
  })
}

function abortedResult(tool: string): ToolResult {
  return { output: `${tool} was aborted: the run was cancelled.`, isError: true }
}

/** Paths a walking tool must skip: those the rules deny it, or deny reading (grep reads contents). */
function deniedPath(policy: PermissionPolicy, tool: string, path: string): boolean {
  const subject = { access: 'read' as const, subject: path, paths: [path] }
  return policy.evaluate(tool, subject) === 'deny' || policy.evaluate('read_file', subject) === 'deny'
}
