/**
 * The questions the chat asks: may this call run (after showing exactly what it will do), accept
 * the plan, and plain yes/no confirmations.
 */
import type { PermissionReply, PermissionRequest } from '@penguin-ai/engine'
import type { ChatApp } from './app.js'
import type { Mode } from './modes.js'
import { type Choice, choiceQuestion } from './questions.js'

type Answer = 'once' | 'reject' | 'always' | 'workspace'

/**
 * Asks about one call: yes / no (then an optional message for the model) / always for this session /
 * always in this workspace. In auto-accept mode edits are not asked about (a write inside `.git/`
 * or `.penguin/` still is). An interrupted run answers no.
 */
export async function askPermission(
  app: ChatApp,
  request: PermissionRequest,
  signal: AbortSignal,
): Promise<PermissionReply> {
  if (app.mode === 'auto-edit' && request.access === 'write' && !request.reason) return 'once'
  if (signal.aborted) return 'reject'
  app.screen.print(app.previewText(request))
  app.view?.sawPreview(request.callId)
  const choices: Choice<Answer>[] = [
    { key: 'y', label: 'yes', value: 'once' },
    { key: 'n', label: 'no', value: 'reject' },
  ]
  // A call outside the sandbox is asked about every time.
  if (!request.reason) {
    choices.push({ key: 'a', label: 'always (this session)', value: 'always' })
    if (app.place.workspaceRules)
      choices.push({ key: 'w', label: 'always in this workspace', value: 'workspace' })
  }
  const answer = await new Promise<Answer>((resolve) => {
    const question = choiceQuestion(
      app.style,
      app.style.bold('Allow?'),
      choices,
      'reject',
      (value, label) => {
        signal.removeEventListener('abort', onAbort)
        app.setQuestion(undefined)
        app.screen.print(app.paint.dim(`  → ${label}`))
        resolve(value)
      },
    )
    const onAbort = () => question.cancel()
    signal.addEventListener('abort', onAbort, { once: true })
    app.setQuestion(question)
  })
  if (answer === 'reject') {
    if (signal.aborted) return 'reject'
    const note = await app.textQuestion(
      app.paint.dim('Tell the agent why or what to do instead (Enter to skip):'),
    )
    if (note) app.screen.print(app.paint.dim(`  → ${app.place.refusalNote(request, note)}`))
    return 'reject'
  }
  if (answer === 'workspace') {
    app.workspaceAlways.add(request.callId)
    return 'always'
  }
  return answer
}

/** After a plan: build it (asking before edits, or accepting them), or keep planning. */
export function askPlanAcceptance(app: ChatApp): Promise<Mode | undefined> {
  return new Promise((resolve) => {
    app.setQuestion(
      choiceQuestion<Mode | undefined>(
        app.style,
        app.style.bold('Accept this plan and start building?'),
        [
          { key: 'y', label: 'yes, ask before edits', value: 'ask' },
          { key: 'a', label: 'yes, auto-accept edits', value: 'auto-edit' },
          { key: 'n', label: 'no, keep planning', value: undefined },
        ],
        undefined,
        (value, label) => {
          app.setQuestion(undefined)
          app.screen.print(app.paint.dim(`  → ${label}`))
          resolve(value)
        },
      ),
    )
  })
}

/** A yes/no question; Esc is no. */
export function confirm(app: ChatApp, title: string): Promise<boolean> {
  return new Promise((resolve) => {
    app.setQuestion(
      choiceQuestion(
        app.style,
        title.replace(/\s*\[y\/N\]\s*$/, ''),
        [
          { key: 'y', label: 'yes', value: true },
          { key: 'n', label: 'no', value: false },
        ],
        false,
        (value, label) => {
          app.setQuestion(undefined)
          app.screen.print(app.paint.dim(`  → ${label}`))
          resolve(value)
        },
      ),
    )
  })
}
