/**
 * Before a call runs: find its tool, validate its arguments, let extensions have their say, and
 * settle permission (rules, the explicit yes `.git/` and `.penguin/` need, asking). Any refusal
 * becomes the result the model reads.
 */
import { randomUUID } from 'node:crypto'
import type { ToolCall } from '@penguin-ai/llm'
import {
  type AccessDefaults,
  commandRunsOutside,
  type DenialReason,
  jsonNestingDepth,
  MAX_ARGUMENT_DEPTH,
  type PermissionPreview,
  type PermissionSubject,
  PROTECTED_FILES,
  type ProtectedTarget,
  protectedTargets,
  resolvePermissionSubject,
  SANDBOXED_DEFAULTS,
  type Tool,
  type ToolResult,
} from '@penguin-ai/tools'
import type { PermissionReply, PermissionRequest } from './events.js'
import type { BeforeCall } from './extension-chain.js'
import type { ToolCallInfo } from './extensions.js'
import type { ToolRunnerOptions } from './tool-runner.js'

/**
 * A call ready to run, or refused (unknown tool, invalid arguments, denied, cannot run) with the
 * result the model gets instead. `args` are the parsed arguments, or the raw ones when parsing failed.
 * `context`: what extensions want the model to read with the result.
 */
export type Prepared = {
  args: unknown
  title: string
  context: string[]
} & (
  | {
      tool: Tool
      refusal?: undefined
      /** The call runs in the OS sandbox (see `EngineOptions.sandbox`). */
      sandboxed: boolean
    }
  | { tool?: undefined; refusal: ToolResult }
)

/** Finds the tool, validates arguments and settles permission; any refusal becomes the result. */
export async function prepare(call: ToolCall, options: ToolRunnerOptions): Promise<Prepared> {
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
  let args = parsed.args
  // Extensions (hooks, plugins) see the call first: they may block it, change its arguments or
  // settle the permission question.
  let verdict: BeforeCall | undefined
  if (options.extensions) {
    const { chain, scope } = options.extensions
    verdict = await chain.beforeToolCall(scope, callInfo(call, args, options))
    if (verdict.stop !== undefined) options.stopped = { reason: verdict.stop }
    if (verdict.args !== args) {
      const again = tool.parse(JSON.stringify(verdict.args ?? {}))
      if (!again.ok) return fail(tool.title(args), verdict.args, again.error, verdict.context)
      args = again.args
    }
  }
  const context = verdict?.context ?? []
  const subject = tool.permission(args, options.workspace)
  const sandboxed = runsSandboxed(tool, subject, options)
  const checked: Checked = { call, tool, args, title: tool.title(args), context, sandboxed }

  if (verdict?.block !== undefined) return deny(checked, subject, 'hook', verdict.block)
  // Rules judge each path as written and as the real path it resolves to: a symlink cannot carry
  // a call past a rule on its target. In the sandbox, commands need no approval unless a rule says so.
  const judged = await resolvePermissionSubject(subject, options.workspace)
  const action = options.policy.evaluate(tool.name, judged, sandboxed ? SANDBOXED_DEFAULTS : undefined)
  const what = describe(tool.name, subject.subject)
  if (action === 'deny') {
    return deny(checked, subject, 'rule', `Permission denied: the permission rules forbid ${what}.`)
  }
  if (verdict?.permission === 'deny') {
    const why = verdict.reason ? `: ${verdict.reason}` : '.'
    return deny(checked, subject, 'hook', `Permission denied for ${what} by a hook${why}`)
  }
  const guarded = await protectedTargets(subject, options.workspace)
  if (guarded.length) return askExplicitly(checked, subject, guarded, options)
  // A hook's "allow" answers what the rules would ask; its "ask" asks even where they would allow.
  const forced = verdict?.permission === 'ask'
  const approved = action === 'ask' && autoApproved(tool.name, judged, options)
  if (forced || (action === 'ask' && !approved && verdict?.permission !== 'allow')) {
    const asking = await permissionRequest(checked, subject, options)
    if (!asking.ok) return asking.refused
    const request = forced && verdict?.reason ? { ...asking.request, reason: verdict.reason } : asking.request
    const answer = options.extensions
      ? await options.extensions.chain.permission(options.extensions.scope, request)
      : undefined
    if (answer === 'deny') {
      return deny(checked, subject, 'hook', `Permission denied for ${what}: an extension refused it.`)
    }
    if (answer === 'allow') return ready(checked)
    const reply = await ask(request, options)
    if (reply === 'reject') {
      const why = options.askPermission
        ? 'the user declined it. Do not retry the same call; choose another approach or ask the user.'
        : `this run is non-interactive and it needs approval (${options.approvalHint ?? 'the user can rerun with --yes to allow it'}).`
      const reason = options.askPermission ? 'user' : 'non_interactive'
      return deny(checked, subject, reason, `Permission denied for ${what}: ${why}`)
    }
    if (reply === 'always' && !forced) options.policy.allowAlways(tool.name, subject)
  }
  return ready(checked)
}

/** Whether `--yes` (or the caller's `AutoApprove`) lets a call the policy asks about run unasked. */
function autoApproved(tool: string, subject: PermissionSubject, options: ToolRunnerOptions): boolean {
  const auto = options.autoApprove
  if (typeof auto === 'boolean') return auto
  // Were every default "allow", would the call still ask? Then a configured rule asks.
  const byRule = options.policy.evaluate(tool, subject, ALLOW_BY_DEFAULT) !== 'allow'
  return auto({ tool, access: subject.access, byRule })
}

const ALLOW_BY_DEFAULT: AccessDefaults = Object.freeze({ read: 'allow', write: 'allow', execute: 'allow' })

/** A call that passed validation, on its way to being asked about or run. */
interface Checked {
  call: ToolCall
  tool: Tool
  args: unknown
  title: string
  /** What extensions want the model to read with the result. */
  context: string[]
  sandboxed: boolean
}

function ready(checked: Checked): Prepared {
  const { tool, args, title, context, sandboxed } = checked
  return { tool, args, title, context, sandboxed }
}

/** A sandboxed tool runs in the sandbox, unless its command line is one the user excluded. */
function runsSandboxed(tool: Tool, subject: PermissionSubject, options: ToolRunnerOptions): boolean {
  if (!options.sandbox || !tool.sandboxed) return false
  return !(
    subject.access === 'execute' && commandRunsOutside(subject.subject, options.excludedCommands ?? [])
  )
}

export function callInfo(call: ToolCall, args: unknown, options: ToolRunnerOptions): ToolCallInfo {
  return { callId: call.id, tool: call.name, args, readOnly: options.tools.get(call.name)?.readOnly ?? true }
}

/**
 * Writes into `.git` or agent configuration (`.penguin/`, `.claude/`, `.mcp.json`, `opencode.json(c)`:
 * hooks, git config, config an agent reads once the workspace is trusted) run only on an explicit
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
  const names = [...new Set(targets.map((target) => target.directory))]
  const inside = names.filter((name) => !PROTECTED_FILES.includes(name)).map((name) => `inside ${name}/`)
  const onto = names
    .filter((name) => PROTECTED_FILES.includes(name))
    .map((name) => `agent configuration ${name}`)
  const reason = `writes ${[...inside, ...onto].join(' and ')}: ${where}`
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
  return ready(checked)
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
  const preview = await checked.tool.preview(checked.args, options.workspace, { files: options.files })
  if (!preview.ok) {
    return { ok: false, refused: fail(checked.title, checked.args, preview.error, checked.context) }
  }
  return { ok: true, request: request(checked, subject, preview.preview) }
}

export function request(
  checked: Pick<Checked, 'call' | 'tool' | 'args'>,
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

export async function ask(request: PermissionRequest, options: ToolRunnerOptions): Promise<PermissionReply> {
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

export function fail(title: string, args: unknown, message: string, context: string[] = []): Prepared {
  return { args, title, refusal: { output: message, isError: true }, context }
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
  return {
    args: checked.args,
    title: checked.title,
    refusal: { output: message, isError: true, details },
    context: checked.context,
  }
}

const DENIED: Record<DenialReason, string> = {
  rule: 'denied by a rule',
  user: 'declined',
  non_interactive: 'denied: needs approval',
  protected: 'denied: writes to .git/ or agent configuration need an explicit yes',
  hook: 'blocked by a hook',
}

function describe(tool: string, subject: string): string {
  return subject ? `${tool} on "${subject}"` : tool
}

/** Arguments as shown in events: parsed when possible, the raw text when too deep to walk safely. */
export function safeJson(text: string): unknown {
  if (jsonNestingDepth(text) > MAX_ARGUMENT_DEPTH) return text
  try {
    return JSON.parse(text)
  } catch {
    return text
  }
}
