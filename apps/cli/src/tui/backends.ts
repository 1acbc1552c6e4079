/**
 * The terminal UI over either chat backend: the engine in this process, or a session on a Penguin
 * server (`penguin --server URL` at a terminal). The slash commands and the turn loop are the same;
 * what differs is said here, each with the reason a person sees when something cannot work:
 * - plan mode: locally an engine extension refuses every call that is not read-only; on a server
 *   (which cannot run the UI's extension) prompts run as the server's read-only `plan` agent.
 * - a refusal's message: locally it reaches the model with the refusal; a server's permission
 *   answer carries no message, so it is sent with the next prompt.
 * - "always in this workspace": written to the workspace's config here; not offered for a server
 *   (its workspace config is the server's to change).
 * - `!command`: runs in the workspace on this machine; not for a server session, whose agent works
 *   in the server's copy of the workspace.
 * - `@path`: attaches the file from this machine, in both cases — for a server, from the session's
 *   workspace folder (the --cwd it was given) as it is here, sent with the prompt as text: the
 *   person mentions what they see, and the server has no route to read files for a client.
 */
import type { EngineEvent, PermissionRequest } from '@penguin-ai/engine'
import type { Session } from '@penguin-ai/sdk'
import type { AgentFlags } from '../args.js'
import type { ChatBackend } from '../chat/backend.js'
import { LocalBackend } from '../chat/local-backend.js'
import { RemoteBackend } from '../chat/remote-backend.js'
import { type Remote, remoteError } from '../remote/connect.js'
import type { AgentSetup } from '../setup.js'
import { ChatApp } from './app.js'
import { askPermission } from './asks.js'
import { persistAlways, tuiExtensions } from './engine-hooks.js'

/** What the terminal UI needs from where the session runs. */
export interface TuiBackend {
  readonly backend: ChatBackend
  open(): Promise<void>
  /** The line under the header: how commands run (a warning when nothing contains them). */
  sandboxLine(): { text: string; warn: boolean }
  /** Why `!command` cannot run here; undefined when it runs in the workspace on this machine. */
  readonly noShell?: string
  /** Whether an ask offers "always in this workspace". */
  readonly workspaceRules: boolean
  /** Extra lines for /help: what works differently here. */
  readonly help?: string
  /** Every event of a turn, after the screen got it. */
  onEvent?(event: EngineEvent): void
  /** The person refused `request` and told the agent `note`: delivers it; returns the line to show. */
  refusalNote(request: PermissionRequest, note: string): string
  /** A failure as the error to show (a server's refusal, said the CLI's way). */
  explain?(error: unknown): unknown
}

/**
 * `penguin` at a terminal. `opened` is handed the opening (the extensions, the session) and what
 * closes it, to race it against start-up signals (chat.ts); the terminal is not the UI's until then.
 */
export async function runLocalTui(
  setup: AgentSetup,
  flags: AgentFlags,
  opened: (opening: Promise<void>, close: () => Promise<void>) => Promise<void> = (opening) => opening,
): Promise<number> {
  const app = new ChatApp(flags, (app) => {
    const backend = new LocalBackend(setup, flags, {
      askPermission: (request, signal) => askPermission(app, request, signal),
      extensions: () => tuiExtensions(app),
      warn: (text) => app.say(app.paint.yellow(text.replace(/\n$/, ''))),
    })
    return {
      backend,
      open: () => backend.open(),
      sandboxLine: () => backend.sandboxLine(),
      workspaceRules: true,
      // The engine records an "always" once the answer is in; the call starts right after.
      onEvent: (event) => {
        if (event.type === 'tool.started') void persistAlways(app, backend.setup, event.callId)
      },
      refusalNote: (request, note) => {
        app.refusalNotes.set(request.callId, note)
        return `told the agent: ${note}`
      },
    }
  })
  await opened(app.open(), () => app.backend.close())
  return app.start()
}

/** `penguin --server URL` at a terminal. */
export async function runRemoteTui(
  remote: Remote,
  opened: { session: Session; resumed: boolean },
  flags: AgentFlags,
): Promise<number> {
  let sandbox: string | undefined
  const app = new ChatApp(flags, (app) => {
    const backend = new RemoteBackend(
      remote,
      opened.session,
      {
        yes: flags.yes,
        askPermission: (request, signal) => askPermission(app, request, signal),
        planMode: () => app.mode === 'plan',
      },
      opened.resumed,
    )
    return {
      backend,
      open: async () => {},
      sandboxLine: () => ({
        text: `Commands run on the server (${remote.server}), under its sandbox and permission rules.`,
        warn: false,
      }),
      noShell: `the agent works in the server's copy of the workspace; ask it to run the command`,
      workspaceRules: false,
      help:
        'On a server: plan mode runs your prompts as its read-only "plan" agent; a reason you give with a ' +
        '"no" reaches the agent with your next message; @path attaches the file from this machine; ' +
        '!command and "always in this workspace" are not available; /model is fixed per session.',
      // How the server runs commands is known from its first run: said once, and again if it changes.
      onEvent: (event) => {
        if (event.type !== 'run.started' || !event.sandbox || event.sandbox === sandbox) return
        sandbox = event.sandbox
        app.say(
          event.sandbox === 'off'
            ? app.paint.yellow('! The server runs commands without a sandbox, with its full rights.')
            : app.paint.dim(`  The server runs commands in its sandbox: ${event.sandbox}.`),
        )
      },
      refusalNote: (request, note) => {
        app.shellNotes.push(
          `Earlier you asked to run ${request.tool} (${request.subject}); I declined and said: ${note}`,
        )
        return `the agent sees this with your next message: ${note}`
      },
      explain: (error) => remoteError(error, remote.server),
    }
  })
  await app.open()
  return app.start()
}
