/** The slash commands only the terminal UI has, or does its own way: /help, /mode. */

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
While the agent works, type to it:
  Enter               steer: read before the agent's next step (after the tool calls it is running)
  Tab                 follow-up: read when the agent would stop; the turn goes on with it
  /commands and !commands typed meanwhile run once the turn is over. Esc drops what is still waiting.
  @path               attach a workspace file to your message
  !command            run a shell command yourself; the agent sees it with your next message
Commands:`

export async function localCommand(app: ChatApp, input: string): Promise<boolean> {
  const [name, ...args] = input.split(/\s+/)
  switch (name) {
    case '/help':
      app.say(
        `${TUI_HELP}\n${SLASH_COMMANDS.map((c) => `  ${(c.args ? `${c.name} ${c.args}` : c.name).padEnd(20)}${c.help}`).join('\n')}${app.place.help ? `\n${app.place.help}` : ''}`,
      )
      return true
    case '/mode': {
      const mode = parseMode(args[0])
      if (args[0] && !mode) app.say('Modes: ask, auto, plan')
      if (mode) app.mode = mode
      app.say(`Mode: ${MODE_LABEL[app.mode]}`)
      return true
    }
    default:
      return false
  }
}
