import { realpath } from 'node:fs/promises'
import { resolve } from 'node:path'
import { PenguinApiError, PenguinClient, type Session } from '@penguin-ai/sdk'
import type { AgentFlags } from '../args.js'
import { CliError, EXIT, usageError } from '../cli-error.js'

export interface Remote {
  client: PenguinClient
  /** The server's address as given. */
  server: string
  /** The workspace sent to the server: --cwd (default: here) as an absolute, real path. */
  workspace: string
}

/** Flags that configure a local engine; on a server, its own configuration decides. */
const LOCAL_ONLY: Array<[keyof AgentFlags, string, string]> = [
  ['baseUrl', '--base-url', 'start the server with "penguin serve --base-url URL"'],
  ['maxIterations', '--max-iterations', 'the server decides'],
  ['api', '--api', 'the server\'s config "api" decides'],
  ['reasoning', '--reasoning', 'the server\'s config "reasoning" decides'],
  ['db', '--db', 'the server has its own database'],
]

/** The client for `--server` / PENGUIN_SERVER with `--token` / PENGUIN_TOKEN. */
export async function connectRemote(flags: AgentFlags, env: NodeJS.ProcessEnv): Promise<Remote> {
  const server = flags.server ?? env.PENGUIN_SERVER?.trim()
  if (!server) throw usageError('--token needs a server: pass --server URL or set PENGUIN_SERVER.')
  if (!flags.server && !/^https?:\/\//i.test(server)) {
    throw usageError(`PENGUIN_SERVER must be an http:// or https:// URL (got "${server}").`)
  }
  for (const [key, flag, why] of LOCAL_ONLY) {
    if (flags[key] !== undefined) throw usageError(`${flag} does not apply to a remote server (${why}).`)
  }
  const token = flags.token ?? (env.PENGUIN_TOKEN?.trim() || undefined)
  const client = new PenguinClient({ baseUrl: server, ...(token ? { token } : {}) })
  const requested = resolve(flags.cwd ?? process.cwd())
  // The server stores real paths; a local symlink (macOS /tmp) would not match --continue otherwise.
  const workspace = await realpath(requested).catch(() => requested)
  return { client, server, workspace }
}

/**
 * The session of this run: the one asked for (--session), the workspace's latest (--continue, a new
 * one when there is none), or a new one.
 */
export async function openRemoteSession(
  remote: Remote,
  flags: AgentFlags,
  warn: (text: string) => void,
): Promise<{ session: Session; resumed: boolean }> {
  const { client, workspace } = remote
  let existing: Session | undefined
  if (flags.session) existing = await client.sessions.get(flags.session)
  else if (flags.continue) existing = (await client.sessions.list({ workspace, limit: 1 })).items[0]
  if (existing) {
    if (flags.model && existing.model && flags.model !== existing.model) {
      warn(`--model is ignored: the resumed session ${existing.id} keeps its model ${existing.model}.\n`)
    }
    return { session: existing, resumed: true }
  }
  const session = await client.sessions.create({
    workspace,
    ...(flags.model ? { model: flags.model } : {}),
    ...(flags.yes ? { auto_approve: true } : {}),
  })
  return { session, resumed: false }
}

/**
 * A server's refusal as a one-line CLI error. Exit 2 for what the user must fix (address, token,
 * workspace, unknown session or model); 1 when the server could not do it (unreachable, busy, 5xx).
 */
export function remoteError(error: unknown, server: string): unknown {
  if (!(error instanceof PenguinApiError)) return error
  const { status, message } = error
  if (status === 0) {
    return new CliError(
      `${message}. Is "penguin serve" running there? (--server / PENGUIN_SERVER)`,
      EXIT.failed,
    )
  }
  if (status === 401) {
    return new CliError(
      `the server at ${server} refused the request: ${message}. Pass --token TOKEN or set PENGUIN_TOKEN ` +
        '(create one on the server with "penguin token create --name NAME").',
      EXIT.usage,
    )
  }
  if (status === 403) {
    return new CliError(
      `${message} (the server sees --cwd as this path; it must lie under its --root).`,
      EXIT.usage,
    )
  }
  if (status === 429) {
    const wait = error.retryAfter === undefined ? '' : ` Retry in ${Math.ceil(error.retryAfter)} s.`
    return new CliError(`the server is rate limiting this token: ${message}.${wait}`, EXIT.failed)
  }
  if (status === 409) return new CliError(message, EXIT.failed)
  if (status >= 400 && status < 500) return new CliError(message, EXIT.usage)
  return new CliError(`the server at ${server} failed: ${message} (HTTP ${status})`, EXIT.failed)
}
