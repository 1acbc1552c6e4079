/**
 * What the terminal UI adds to the engine it drives: plan mode, the reasons a person gives with a
 * refusal (for the model to read), and "always in this workspace" answers written to the
 * workspace's config once the engine has recorded the rule.
 */
import type { EngineExtension } from '@penguin-ai/engine'
import type { AgentSetup } from '../setup.js'
import type { ChatApp } from './app.js'
import { planModeExtension } from './modes.js'

export function tuiExtensions(app: ChatApp): EngineExtension[] {
  return [
    planModeExtension(() => app.mode),
    {
      name: 'your answers',
      afterToolCall: (_ctx, call) => {
        const note = app.refusalNotes.get(call.callId)
        if (note === undefined) return undefined
        app.refusalNotes.delete(call.callId)
        return { context: `The user declined this call and said: ${note}` }
      },
    },
  ]
}

/** "Always in this workspace": the rule the engine just recorded goes into the workspace config too. */
export async function persistAlways(app: ChatApp, setup: AgentSetup, callId: string): Promise<void> {
  if (!app.workspaceAlways.delete(callId)) return
  const { paint } = app
  const rule = setup.policy.sessionRules.at(-1)
  if (!rule) return
  try {
    const { saveWorkspaceRule } = await import('./workspace-rule.js')
    const path = await saveWorkspaceRule(setup.workspace.root, rule)
    const trusted = setup.resolved.trust.state === 'trusted'
    app.say(
      paint.dim(
        `  saved "${rule.tool} ${rule.pattern}" to ${path}${trusted ? '' : ' — it applies once you trust this workspace (penguin trust)'}`,
      ),
    )
  } catch (error) {
    app.say(paint.red(`Could not save the rule: ${error instanceof Error ? error.message : String(error)}`))
  }
}
