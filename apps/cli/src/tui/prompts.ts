/**
 * What a submitted prompt does: a turn of the agent (with the `@files` it mentions and the output
 * of earlier `!commands`), a `!command` the person runs themselves, or a slash command.
 */
import { runChatCommand } from '../chat/commands.js'
import type { ChatApp } from './app.js'
import { askPlanAcceptance } from './asks.js'
import { attachMentions, runShell, shellContext } from './attachments.js'
import { PLAN_ACCEPTED } from './modes.js'
import { localCommand } from './tui-commands.js'
import { TurnView } from './turn-view.js'

/** The prompt as sent, into the scrollback. */
function echo(app: ChatApp, text: string): void {
  const [first, ...rest] = text.split('\n')
  app.screen.print([`${app.style.bold('›')} ${first ?? ''}`, ...rest.map((line) => `  ${line}`)].join('\n'))
}

export async function runTurn(app: ChatApp, text: string): Promise<void> {
  echo(app, text)
  const { text: withFiles, attached } = await attachMentions(text, app.workspace)
  for (const file of attached) {
    app.say(app.paint.dim(`  ⎿ attached ${file.path} (${file.bytes} bytes${file.truncated ? ', cut' : ''})`))
  }
  const prompt = [...app.shellNotes.splice(0), withFiles].join('\n\n')
  const view = new TurnView({
    style: app.style,
    paint: app.paint,
    width: () => app.width,
    print: (rows) => app.screen.print(rows.join('\n')),
    hideReasoning: app.flags.hideReasoning === true,
  })
  app.showTurn(view)
  const result = await app.abortable((signal) =>
    app.backend.run(prompt, {
      signal,
      onEvent: (event) => {
        view.onEvent(event)
        if (event.type === 'message.delivered') app.delivered(event.text)
        app.place.onEvent?.(event)
        app.render()
      },
    }),
  )
  app.showTurn(undefined)
  for (const text of result.undelivered ?? [])
    app.say(app.paint.yellow(`! not delivered (the turn ended first): ${text}`))
  if (app.mode === 'plan' && result.status === 'completed') {
    const accepted = await askPlanAcceptance(app)
    if (accepted) {
      app.mode = accepted
      app.followWith(PLAN_ACCEPTED)
    }
  }
}

export async function runShellCommand(app: ChatApp, command: string): Promise<void> {
  if (!command) {
    app.say('Type a command after !, e.g. !git status')
    return
  }
  if (app.place.noShell) {
    app.say(app.paint.yellow(`!command is not available here: ${app.place.noShell}.`))
    return
  }
  app.screen.print(`${app.style.bold('!')} ${command}`)
  const bar = app.paint.dim('│')
  let partial = ''
  const run = await app.abortable((signal) =>
    runShell(
      command,
      app.workspace,
      (text) => {
        const lines = (partial + text).split('\n')
        partial = lines.pop() ?? ''
        if (lines.length) app.screen.print(lines.map((line) => `  ${bar} ${line}`).join('\n'))
      },
      signal,
    ),
  )
  if (partial) app.screen.print(`  ${bar} ${partial}`)
  const how = run.signal ? `killed by ${run.signal}` : `exit ${run.exitCode}`
  app.say(app.paint.dim(`  ${how} · the agent sees this with your next message`))
  app.shellNotes.push(shellContext(run))
}

export async function runCommand(app: ChatApp, input: string): Promise<void> {
  echo(app, input)
  const handled = await localCommand(app, input)
  if (handled) return
  const keepGoing = await runChatCommand(app, input)
  if (!keepGoing) app.exit()
}
