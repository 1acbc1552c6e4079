/**
 * ACP session modes = the chat's modes (Shift+Tab in the terminal UI): `ask` before edits (the
 * default), `auto-edit` (file edits in the workspace go ahead; commands and protected writes still
 * ask) and `plan` (read-only tools only, enforced by the same engine extension as the chat's; the
 * agent proposes a plan). The editor switches with `session/set_mode`; when a plan is accepted the
 * agent switches itself and says so with `current_mode_update`.
 */
import type * as acp from '@agentclientprotocol/sdk'
import { MODE_LABEL, MODES, type Mode } from '../tui/modes.js'

export type { Mode }

const DESCRIPTION: Record<Mode, string> = {
  ask: 'Asks before every file edit and command (unless your rules allow it).',
  'auto-edit': 'Edits files in the workspace without asking; commands still ask.',
  plan: 'Read-only: looks around and proposes a plan; nothing is changed or run.',
}

const NAME: Record<Mode, string> = { ask: 'Ask', 'auto-edit': 'Auto-edit', plan: 'Plan' }

export const SESSION_MODES: acp.SessionMode[] = MODES.map((mode) => ({
  id: mode,
  name: NAME[mode],
  description: `${MODE_LABEL[mode][0]!.toUpperCase()}${MODE_LABEL[mode].slice(1)}. ${DESCRIPTION[mode]}`,
}))

export function modeState(mode: Mode): acp.SessionModeState {
  return { currentModeId: mode, availableModes: SESSION_MODES }
}

export function isMode(id: string): id is Mode {
  return (MODES as readonly string[]).includes(id)
}

/** Whether a permission ask is answered by the mode alone: auto-edit allows plain file edits. */
export function modeAllows(mode: Mode, request: { access: string; reason?: string }): boolean {
  return mode === 'auto-edit' && request.access === 'write' && !request.reason
}

const BUILD_ASKING = 'build_ask'
const BUILD_AUTO = 'build_auto_edit'
const KEEP_PLANNING = 'keep_planning'

/** The plan as a tool call of kind `switch_mode`: what the question after a plan is about. */
export function planCall(toolCallId: string, plan: string): acp.ToolCall {
  return {
    toolCallId,
    title: 'Accept this plan and start building?',
    kind: 'switch_mode',
    status: 'pending',
    content: plan ? [{ type: 'content', content: { type: 'text', text: plan } }] : [],
  }
}

/** The question after a plan: build it (asking before edits, or not), or keep planning. */
export function planAcceptance(sessionId: string, call: acp.ToolCall): acp.RequestPermissionRequest {
  return {
    sessionId,
    toolCall: call,
    options: [
      { optionId: BUILD_ASKING, name: 'Yes, ask before edits', kind: 'allow_once' },
      { optionId: BUILD_AUTO, name: 'Yes, auto-accept edits', kind: 'allow_always' },
      { optionId: KEEP_PLANNING, name: 'No, keep planning', kind: 'reject_once' },
    ],
  }
}

/** The mode to build in, or undefined to keep planning. */
export function acceptedMode(response: acp.RequestPermissionResponse): Mode | undefined {
  if (response.outcome.outcome !== 'selected') return undefined
  if (response.outcome.optionId === BUILD_ASKING) return 'ask'
  if (response.outcome.optionId === BUILD_AUTO) return 'auto-edit'
  return undefined
}
