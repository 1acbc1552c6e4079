/**
 * What a command hook's exit code and output mean, as Claude Code defines them:
 * - exit 0: go on. stdout may be JSON (`continue`, `stopReason`, `systemMessage`, `decision`,
 *   `reason`, `hookSpecificOutput` with `permissionDecision` / `permissionDecisionReason`,
 *   `updatedInput`, `additionalContext`); plain stdout of UserPromptSubmit and SessionStart is
 *   context for the model.
 * - exit 2: block. stderr goes to the model (PreToolUse: the call is refused; PostToolUse: feedback on
 *   the call that ran; Stop: the model goes on), or to the user (UserPromptSubmit: the prompt is
 *   refused; SessionStart, SessionEnd, PreCompact: a notice).
 * - any other exit, a timeout, a hook that cannot start: a non-blocking error shown to the user.
 */
import { z } from 'zod'
import type { HookRun } from './run.js'

const HookOutputSchema = z.looseObject({
  continue: z.boolean().optional(),
  stopReason: z.string().optional(),
  systemMessage: z.string().optional(),
  decision: z.string().optional(),
  reason: z.string().optional(),
  hookSpecificOutput: z
    .looseObject({
      permissionDecision: z.enum(['allow', 'deny', 'ask']).optional(),
      permissionDecisionReason: z.string().optional(),
      updatedInput: z.record(z.string(), z.unknown()).optional(),
      additionalContext: z.string().optional(),
    })
    .optional(),
})

/** What one hook run says, for its event. */
export interface HookOutcome {
  /** PreToolUse: refuse the call; UserPromptSubmit: refuse the prompt. The text says why. */
  block?: string
  permission?: 'allow' | 'deny' | 'ask'
  reason?: string
  /** PreToolUse: the tool input to use instead. */
  args?: Record<string, unknown>
  /** Text for the model (context, or feedback on a call that ran). */
  context?: string
  /** Stop: the model goes on, reading this. */
  continueWith?: string
  /** `continue: false`: the run ends; the text says why. */
  stop?: string
  /** For the user. */
  notices: { level: 'info' | 'warning' | 'error'; message: string }[]
}

export function interpret(event: string, command: string, run: HookRun): HookOutcome {
  const outcome: HookOutcome = { notices: [] }
  const name = `${event} hook "${command}"`
  if (run.startError) {
    outcome.notices.push({ level: 'error', message: `${name} could not start: ${run.startError}` })
    return outcome
  }
  if (run.timedOut || run.exitCode === null) {
    outcome.notices.push({ level: 'error', message: `${name} timed out and was stopped` })
    return outcome
  }
  const stderr = run.stderr.trim()
  if (run.exitCode === 2) {
    const text = stderr || `${event} hook "${command}" exited with code 2`
    switch (event) {
      case 'PreToolUse':
      case 'UserPromptSubmit':
        outcome.block = text
        break
      case 'PostToolUse':
        outcome.context = `PostToolUse hook feedback:\n${text}`
        break
      case 'Stop':
      case 'SubagentStop':
        outcome.continueWith = `${event} hook feedback:\n${text}`
        break
      default:
        outcome.notices.push({ level: 'warning', message: `${name}: ${text}` })
    }
    return outcome
  }
  if (run.exitCode !== 0) {
    const why = stderr ? `: ${firstLines(stderr)}` : ''
    outcome.notices.push({ level: 'error', message: `${name} failed (exit ${run.exitCode})${why}` })
    return outcome
  }
  const stdout = run.stdout.trim()
  const json = stdout.startsWith('{') ? parseOutput(stdout) : undefined
  if (!json) {
    if (stdout.startsWith('{')) {
      outcome.notices.push({
        level: 'warning',
        message: `${name} printed JSON that could not be read; taken as text`,
      })
    }
    // Claude Code adds plain stdout of these two events to the context.
    if (stdout && (event === 'UserPromptSubmit' || event === 'SessionStart')) outcome.context = stdout
    return outcome
  }
  if (json.systemMessage)
    outcome.notices.push({ level: 'warning', message: `${name}: ${json.systemMessage}` })
  if (json.continue === false) outcome.stop = json.stopReason ?? ''
  const specific = json.hookSpecificOutput
  if (specific?.additionalContext) outcome.context = specific.additionalContext
  const decision = json.decision
  switch (event) {
    case 'PreToolUse': {
      // `decision: approve|block` is the older spelling of `permissionDecision: allow|deny`.
      const legacy = decision === 'approve' ? 'allow' : decision === 'block' ? 'deny' : undefined
      const permission = specific?.permissionDecision ?? legacy
      if (permission) outcome.permission = permission
      const reason = specific?.permissionDecisionReason ?? json.reason
      if (permission && reason) outcome.reason = reason
      if (specific?.updatedInput) outcome.args = specific.updatedInput
      break
    }
    case 'PostToolUse':
      if (decision === 'block')
        outcome.context = joinText(json.reason ?? 'A PostToolUse hook objected.', outcome.context)
      break
    case 'UserPromptSubmit':
      if (decision === 'block') outcome.block = json.reason ?? `blocked by ${name}`
      break
    case 'Stop':
    case 'SubagentStop':
      if (decision === 'block')
        outcome.continueWith = `${event} hook feedback:\n${json.reason ?? 'Keep going.'}`
      break
  }
  return outcome
}

function parseOutput(text: string): z.infer<typeof HookOutputSchema> | undefined {
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch {
    return undefined
  }
  const parsed = HookOutputSchema.safeParse(json)
  return parsed.success ? parsed.data : undefined
}

function joinText(...parts: (string | undefined)[]): string {
  return parts.filter((part): part is string => Boolean(part)).join('\n\n')
}

function firstLines(text: string): string {
  const lines = text.split('\n')
  const shown = lines.slice(0, 5).join('\n')
  return lines.length > 5 ? `${shown}\n…` : shown
}
