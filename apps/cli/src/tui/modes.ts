/**
 * Chat modes, switched with Shift+Tab: ask before edits (the default), accept edits without asking,
 * and plan (read-only: the agent looks around and proposes a plan; nothing is changed or run).
 * Plan mode is enforced by an engine extension that refuses every call that is not read-only, not
 * by asking the model nicely.
 */
import type { EngineExtension } from '@penguin-ai/engine'

export type Mode = 'ask' | 'auto-edit' | 'plan'

export const MODES: readonly Mode[] = ['ask', 'auto-edit', 'plan']

export const MODE_LABEL: Record<Mode, string> = {
  ask: 'ask before edits',
  'auto-edit': 'auto-accept edits',
  plan: 'plan mode',
}

export function nextMode(mode: Mode): Mode {
  return MODES[(MODES.indexOf(mode) + 1) % MODES.length] as Mode
}

export function parseMode(word: string | undefined): Mode | undefined {
  switch (word?.toLowerCase()) {
    case 'ask':
    case 'default':
      return 'ask'
    case 'auto':
    case 'auto-edit':
    case 'accept':
      return 'auto-edit'
    case 'plan':
      return 'plan'
    default:
      return undefined
  }
}

export const PLAN_REFUSAL =
  'Refused: plan mode is on, so only read-only tools may run. Do not try to change files or run commands. ' +
  'Finish exploring with read-only tools, then answer with your plan; the user will accept it to switch to building.'

const PLAN_CONTEXT =
  'Plan mode is on: you may only use read-only tools (read, list, search). Do not edit files or run commands. ' +
  'Investigate, then reply with a concise, numbered plan of the changes you propose. The user will accept it to let you build.'

/** The extension behind plan mode: refuses every call that is not read-only while `mode()` is plan. */
export function planModeExtension(mode: () => Mode): EngineExtension {
  return {
    name: 'plan mode',
    beforeToolCall: (_ctx, call) =>
      mode() === 'plan' && !call.readOnly ? { block: PLAN_REFUSAL } : undefined,
    promptSubmit: () => (mode() === 'plan' ? { context: PLAN_CONTEXT } : undefined),
  }
}

/** What the model is told when the user accepts its plan. */
export const PLAN_ACCEPTED = 'The user accepted the plan. Plan mode is off: implement it now.'
