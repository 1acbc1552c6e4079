import { randomUUID } from 'node:crypto'
import { type ToolCall, type ToolResultMessage, toolResultMessage } from '@penguin-ai/llm'
import {
  type DenialReason,
  firstLine,
  jsonNestingDepth,
  MAX_ARGUMENT_DEPTH,
  normalizeDetails,
  type PermissionPolicy,
  type PermissionPreview,
  type PermissionSubject,
  type ProtectedTarget,
  protectedTargets,
  resolvePermissionSubject,
  type Tool,
  type ToolContext,
  type ToolResult,
  type Workspace,
} from '@penguin-ai/tools'
import { capToolResult } from './context.js'
import type { EngineEvent, PermissionReply, PermissionRequest } from './events.js'

/** Distributes an event without run id and time; the engine stamps them. */
export type Emit = (event: DistributiveOmit<EngineEvent, 'runId' | 'time'>) => void
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never

export type AskPermission = (request: PermissionRequest, signal: AbortSignal) => Promise<PermissionReply>

export interface ToolRunnerOptions {
  tools: Map<string, Tool>
  workspace: Workspace
  policy: PermissionPolicy
  /** `--yes`: calls the policy would ask about run without asking. Never lifts `deny` or confinement. */
  autoApprove: boolean
  askPermission: AskPermission | undefined
  /** The environment of commands (already without credentials). */
  env?: NodeJS.ProcessEnv
  emit: Emit
  signal: AbortSignal
}

/**
 * A call ready to run, or refused (unknown tool, invalid arguments, denied, cannot run) with the
 * result the model gets instead. `args` are the parsed arguments, or the raw ones when parsing failed.
 */
type Prepared = { args: unknown; title: string } & (
  | { tool: Tool; refusal?: undefined }
  | { tool?: undefined; refusal: ToolResult }
)

/**
 * Runs one turn's tool calls. Consecutive read-only calls run in parallel; anything that writes or
 * executes runs alone, in order. Results come back in the order the model called them.
 */
export async function runToolCalls(
  calls: ToolCall[],
  options: ToolRunnerOptions,
): Promise<ToolResultMessage[]> {
  const results: ToolResultMessage[] = []
  for (const group of groupCalls(calls, options.tools)) {
    const settled = await Promise.all(group.map((call) => runOne(call, options)))
    results.push(...settled)
  }
  return results
}

/** Splits calls into batches: runs of read-only calls together, every other call on its own. */
export function groupCalls(calls: ToolCall[], tools: Map<string, Tool>): ToolCall[][] {
  const groups: ToolCall[][] = []
  let reads: ToolCall[] = []
  for (const call of calls) {
    if (tools.get(call.name)?.readOnly) {
      reads.push(call)
      continue
    }
    if (reads.length) groups.push(reads)
    reads = []
    groups.push([call])
  }
  if (reads.length) groups.push(reads)
  return groups
}

async function runOne(call: ToolCall, options: ToolRunnerOptions): Promise<ToolResultMessage> {
  const prepared = await prepare(call, options)
  const started = Date.now()
  const { args, title } = prepared
  options.emit({ type: 'tool.started', callId: call.id, tool: call.name, args, title })
  let result: ToolResult
  if (prepared.refusal) {
    result = prepared.refusal
  } else if (options.signal.aborted) {
    result = { output: 'Not run: the run was aborted.', isError: true }
  } else {
    const tool = prepared.tool
    const ctx: ToolContext = {
      workspace: options.workspace,
      signal: options.signal,
      callId: call.id,
      denied: (path) => deniedPath(options.policy, tool.name, path),
      ...(options.env ? { env: options.env } : {}),
    }
    result = await untilAborted(tool.run(args, ctx), options.signal, tool.name)
  }
  const output = capToolResult(result.output)
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
  return toolResultMessage(call, output, { isError: result.isError ?? false })
}

/** Finds the tool, validates arguments and settles permission; any refusal becomes the result. */
async function prepare(call: ToolCall, options: ToolRunnerOptions): Promise<Prepared> {
  const tool = options.tools.get(call.name)
  if (!tool) {
    const names = [...options.tools.keys()].join(', ')
    return fail(
      call.name,
      safeJson(call.arguments),
      `Unknown tool "${call.name}". Available tools: ${names}.`,
    )
  }
  const parsed = tool.parse(call.arguments)
  if (!parsed.ok) return fail(call.name, safeJson(call.arguments), parsed.error)
  const args = parsed.args
  const checked = { call, tool, args, title: tool.title(args) }

  const subject = tool.permission(args, options.workspace)
  // Rules judge each path as written and as the real path it resolves to: a symlink cannot carry
  // a call past a rule on its target.
  const judged = await resolvePermissionSubject(subject, options.workspace)
  const action = options.policy.evaluate(tool.name, judged)
  const what = describe(tool.name, subject.subject)
  if (action === 'deny') {
    return deny(checked, subject, 'rule', `Permission denied: the permission rules forbid ${what}.`)
  }
  const guarded = await protectedTargets(subject, options.workspace)
  if (guarded.length) return askExplicitly(checked, subject, guarded, options)
  if (action === 'ask' && !options.autoApprove) {
    const asking = await permissionRequest(checked, subject, options)
    if (!asking.ok) return asking.refused
    const reply = await ask(asking.request, options)
    if (reply === 'reject') {
      const why = options.askPermission
        ? 'the user declined it. Do not retry the same call; choose another approach or ask the user.'
        : 'this run is non-interactive and it needs approval (the user can rerun with --yes to allow it).'
      const reason = options.askPermission ? 'user' : 'non_interactive'
      return deny(checked, subject, reason, `Permission denied for ${what}: ${why}`)
    }
    if (reply === 'always') options.policy.allowAlways(tool.name, subject)
  }
  return { tool, args, title: checked.title }
}

/** A call that passed validation, on its way to being asked about or run. */
interface Checked {
  call: ToolCall
  tool: Tool
  args: unknown
  title: string
}

/**
 * Writes into `.git` or `.penguin` (hooks, git config, Penguin's own config) run only on an explicit
 * yes to this very call: `--yes`, auto approval, allow rules and earlier "always" answers do not
 * count, an "always" answer counts as "once", and a run that cannot ask is refused.
 */
async function askExplicitly(
  checked: Checked,
  subject: PermissionSubject,
  targets: ProtectedTarget[],
  options: ToolRunnerOptions,
): Promise<Prepared> {
  const where = targets
    .map((target) => (target.realPath ? `${target.path} (a link to ${target.realPath})` : target.path))
    .join(', ')
  const inside = [...new Set(targets.map((target) => `${target.directory}/`))].join(' and ')
  const reason = `writes inside ${inside}: ${where}`
  const what = describe(checked.tool.name, subject.subject)
  if (!options.askPermission) {
    return deny(
      checked,
      subject,
      'protected',
      `Permission denied for ${what}: it ${reason}, which needs the user's explicit approval, and this run cannot ask. Do not retry; tell the user what you wanted to change there and why.`,
    )
  }
  const asking = await permissionRequest(checked, subject, options)
  if (!asking.ok) return asking.refused
  const reply = await ask({ ...asking.request, reason }, options)
  if (reply === 'reject') {
    return deny(
      checked,
      subject,
      'user',
      `Permission denied for ${what}: the user declined it. Do not retry the same call; choose another approach or ask the user.`,
    )
  }
  return { tool: checked.tool, args: checked.args, title: checked.title }
}

/**
 * The ask for a call, with its preview of exactly what will happen. Nobody is asked about a call
 * that cannot run (outside the workspace, an edit that does not match): the model gets the reason.
 */
async function permissionRequest(
  checked: Checked,
  subject: PermissionSubject,
  options: ToolRunnerOptions,
): Promise<{ ok: true; request: PermissionRequest } | { ok: false; refused: Prepared }> {
  const preview = await checked.tool.preview(checked.args, options.workspace)
  if (!preview.ok) return { ok: false, refused: fail(checked.title, checked.args, preview.error) }
  return { ok: true, request: request(checked, subject, preview.preview) }
}

function request(
  checked: Checked,
  subject: PermissionSubject,
  preview: PermissionPreview,
): PermissionRequest {
  return {
    id: randomUUID(),
    callId: checked.call.id,
    tool: checked.tool.name,
    access: subject.access,
    subject: subject.subject,
    args: checked.args,
    preview,
  }
}

async function ask(request: PermissionRequest, options: ToolRunnerOptions): Promise<PermissionReply> {
  if (!options.askPermission) {
    options.emit({ type: 'permission.asked', ...request })
    options.emit({
      type: 'permission.answered',
      id: request.id,
      callId: request.callId,
      tool: request.tool,
      reply: 'reject',
      auto: true,
    })
    return 'reject'
  }
  options.emit({ type: 'permission.asked', ...request })
  let reply: PermissionReply
  try {
    reply = options.signal.aborted ? 'reject' : await options.askPermission(request, options.signal)
  } catch {
    reply = 'reject'
  }
  options.emit({
    type: 'permission.answered',
    id: request.id,
    callId: request.callId,
    tool: request.tool,
    reply,
    auto: false,
  })
  return reply
}

function fail(title: string, args: unknown, message: string): Prepared {
  return { args, title, refusal: { output: message, isError: true } }
}

/** A refused call: the model reads why; `denied` details let UIs and exit codes tell it from a failure. */
function deny(checked: Checked, subject: PermissionSubject, reason: DenialReason, message: string): Prepared {
  const details = {
    kind: 'denied',
    summary: `${checked.title} — ${DENIED[reason]}`,
    denied: reason,
    access: subject.access,
    subject: subject.subject,
  } as const
  return { args: checked.args, title: checked.title, refusal: { output: message, isError: true, details } }
}

const DENIED: Record<DenialReason, string> = {
  rule: 'denied by a rule',
  user: 'declined',
  non_interactive: 'denied: needs approval',
  protected: 'denied: writes inside .git/ or .penguin/ need an explicit yes',
}

function describe(tool: string, subject: string): string {
  return subject ? `${tool} on "${subject}"` : tool
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

/** Arguments as shown in events: parsed when possible, the raw text when too deep to walk safely. */
function safeJson(text: string): unknown {
  if (jsonNestingDepth(text) > MAX_ARGUMENT_DEPTH) return text
  try {
    return JSON.parse(text)
  } catch {
    return text
  }
}
