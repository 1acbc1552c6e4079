/** The slash commands only the terminal UI has, or does its own way: /help, /undo, /redo, /diff, /mode. */

import { numberedDiff } from '../render/numbered-diff.js'
import { paintVisible } from '../render/visible.js'
import { describeChanges } from '../session/confirm.js'
import type { ChatApp } from './app.js'
import { SLASH_COMMANDS } from './completion.js'
import { MODE_LABEL, parseMode } from './modes.js'

export const TUI_HELP = `Keys:
  Enter               send            Shift+Enter, Alt+Enter, Ctrl+J or \\ then Enter: new line
  Up / Down           earlier prompts (kept per workspace)        Tab: complete / commands and @paths
  Esc or Ctrl-C       interrupt the agent (Ctrl-C twice when idle: exit; Ctrl-D on an empty prompt too)
  Shift+Tab           switch mode: ask before edits → auto-accept edits → plan (read-only) → …
  Ctrl+O              expand the last tool call (whole diff, whole command output)
  Pasted text stays one prompt, however many lines it has.
Typing while the agent works queues a follow-up: it is sent when the agent stops (Esc drops the queue).
  @path               attach a workspace file to your message
  !command            run a shell command yourself; the agent sees it with your next message
Commands:`

export async function localCommand(app: ChatApp, input: string): Promise<boolean> {
  const [name, ...args] = input.split(/\s+/)
  switch (name) {
    case '/help':
      app.say(
        `${TUI_HELP}\n${SLASH_COMMANDS.map((c) => `  ${(c.args ? `${c.name} ${c.args}` : c.name).padEnd(20)}${c.help}`).join('\n')}`,
      )
      return true
    case '/mode': {
      const mode = parseMode(args[0])
      if (args[0] && !mode) app.say('Modes: ask, auto, plan')
      if (mode) app.mode = mode
      app.say(`Mode: ${MODE_LABEL[app.mode]}`)
      return true
    }
    case '/undo':
      await undo(app)
      return true
    case '/redo':
      await redo(app)
      return true
    case '/diff':
      await diff(app)
      return true
    default:
      return false
  }
}

async function undo(app: ChatApp): Promise<void> {
  const agent = app.agent
  if (!agent?.checkpoints) {
    app.say('Undo needs checkpoints, which are off for this session.')
    return
  }
  if (!app.turns.canUndo) {
    app.say(
      'Nothing to undo: no turn of this chat changed files. (/checkpoints and /restore reach older ones.)',
    )
    return
  }
  const outcome = await app.turns.undo(agent)
  if (!outcome) return
  app.say(
    `Undid “${outcome.turn.prompt}”:\n${describeChanges(outcome.changes)}\n  conversation: ${outcome.messagesBefore} → ${outcome.messagesAfter} messages\n${app.paint.dim('/redo brings it back.')}`,
  )
}

async function redo(app: ChatApp): Promise<void> {
  const agent = app.agent
  if (!agent || !app.turns.canRedo) {
    app.say('Nothing to redo.')
    return
  }
  const outcome = await app.turns.redo(agent)
  if (!outcome) return
  app.say(
    `Redid “${outcome.turn.prompt}”:\n${describeChanges(outcome.changes)}\n  conversation: ${outcome.messagesBefore} → ${outcome.messagesAfter} messages`,
  )
}

/** Everything changed in the workspace since this session's first checkpoint. */
async function diff(app: ChatApp): Promise<void> {
  const checkpointer = app.agent?.checkpoints
  const first = checkpointer?.list().at(-1)
  if (!checkpointer || !first) {
    app.say('No changes in this session yet.')
    return
  }
  const patch = await checkpointer.diff(first.id)
  if (!patch.trim()) {
    app.say('No changes in this session (the workspace is as it was before the first change).')
    return
  }
  const { paint } = app
  const rows: string[] = []
  for (const file of patch.split(/^(?=diff --git )/m)) {
    if (!file.trim()) continue
    const name = /^\+\+\+ (?:b\/)?(.*)$/m.exec(file)?.[1] ?? /^--- (?:a\/)?(.*)$/m.exec(file)?.[1] ?? '?'
    const added = (file.match(/^\+(?!\+\+ )/gm) ?? []).length
    const removed = (file.match(/^-(?!-- )/gm) ?? []).length
    rows.push(
      `${paint.bold(paintVisible(name === '/dev/null' ? (/^--- (?:a\/)?(.*)$/m.exec(file)?.[1] ?? name) : name, paint))} ${paint.dim(`(+${added} -${removed})`)}`,
    )
    rows.push(...numberedDiff(file, { paint, width: app.width, indent: '  ' }))
  }
  app.say(rows.join('\n'))
}
