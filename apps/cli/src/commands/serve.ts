import { stat } from 'node:fs/promises'
import { parseSandboxMode } from '../args.js'
import { CliError, EXIT, usageError } from '../cli-error.js'
import { parseCommand, parseWholeNumber } from '../flags.js'
import { configured, flagLayer } from '../setup.js'
import { requireSqliteDriver } from '../store/driver.js'
import { databaseLocation, dataHome } from '../store/location.js'
import { databaseUrl } from './db.js'
import { printHelp } from './help-text.js'
import { SERVE } from './spec/server.js'

/** `penguin serve`: the HTTP API on @hono/node-server until SIGTERM / SIGINT (then exit 0). */
export async function serveCommand(argv: string[]): Promise<number> {
  const { values } = parseCommand(argv, SERVE)
  if (values.help) {
    return printHelp(['serve'])
  }
  const port = values.port === undefined ? 8787 : parseWholeNumber('--port', values.port, 0)
  if (port > 65_535) throw usageError(`--port must be at most 65535 (got ${port}).`)
  const corsOrigins = (values['cors-origin'] ?? []).map(originOf)
  // Flags and PENGUIN_PUBLIC_HOST (comma-separated; deployments set it beside the token) add up.
  const publicHosts = [
    ...(values['public-host'] ?? []).map((raw) => publicHostOf(raw, '--public-host')),
    ...(process.env.PENGUIN_PUBLIC_HOST ?? '')
      .split(',')
      .filter((raw) => raw.trim() !== '')
      .map((raw) => publicHostOf(raw, 'PENGUIN_PUBLIC_HOST')),
  ]
  const root = values.root ?? process.cwd()
  // PostgreSQL (`--database URL` / PENGUIN_DATABASE_URL), shared with other servers and workers;
  // else the SQLite file, which needs the native driver.
  const url = databaseUrl(values.database)
  if (url !== undefined && values.db !== undefined)
    throw usageError('Give --database (PostgreSQL) or --db (SQLite), not both.')
  if (url === undefined) requireSqliteDriver()
  const workers = values.workers === undefined ? undefined : parseWholeNumber('--workers', values.workers, 0)
  if (workers !== undefined && workers > 0 && url === undefined)
    throw usageError(
      '--workers takes runs from the queue, which needs --database postgres://… (or PENGUIN_DATABASE_URL).',
    )
  const sandboxFlags = {
    ...(values.sandbox !== undefined ? { mode: parseSandboxMode(values.sandbox) } : {}),
    ...(values.network ? { network: true } : {}),
  }
  const [
    { DEFAULT_RATE_LIMIT_PER_MINUTE, serve, ServeConfigError },
    { describeSandbox, formatRateLimit, ignoredWarning, parseRateLimit, resolveConfig, sandboxSetup },
    { StoreError, UnusableDatabaseError },
  ] = await Promise.all([
    import('@penguin-ai/server'),
    import('@penguin-ai/config'),
    import('@penguin-ai/store'),
  ])
  const flagRate = values['rate-limit']
  const flagRatePerMinute = flagRate === undefined ? undefined : parseRateLimit(flagRate)
  if (flagRate !== undefined && flagRatePerMinute === undefined) {
    throw usageError(
      `--rate-limit takes requests a minute per API token, such as 600/min or 10/s (0 turns the limit off); got "${flagRate}".`,
    )
  }
  if (!(await isDirectory(root))) throw usageError(`--root ${root} does not exist or is not a directory.`)
  // The defaults for sessions that name no model: flags, else config (the user's, and the root's
  // own as far as it is trusted). Each session's workspace config is read again when it runs.
  const resolved = await configured(() =>
    resolveConfig({
      workspace: root,
      env: process.env,
      flags: flagLayer({
        model: values.model,
        baseUrl: values['base-url'],
        sandbox: sandboxFlags.mode,
        network: sandboxFlags.network,
      }),
    }),
  )
  const warning = ignoredWarning(resolved)
  if (warning) process.stderr.write(`penguin: ${warning}\n`)
  // Refuse to start (rather than fail every session) when sessions' commands cannot be sandboxed.
  const sandbox = await configured(() =>
    sandboxSetup(resolved, { roots: [resolved.workspace], env: process.env }),
  )
  const { model, baseUrl } = resolved.config
  // The flag, else config (`serve.rateLimit`, checked when it was read), else the default.
  const configRate = resolved.config.serve?.rateLimit
  const rateLimitPerMinute =
    flagRatePerMinute ??
    (configRate === undefined ? undefined : parseRateLimit(configRate)) ??
    DEFAULT_RATE_LIMIT_PER_MINUTE
  const host = values.host ?? '127.0.0.1'
  // The environment is the better place for a secret (a flag shows in `ps`); the flag wins.
  const metricsToken = values['metrics-token'] ?? process.env.PENGUIN_METRICS_TOKEN
  // A deployment's API token (a Kubernetes Secret, a compose env file): provisioned at startup.
  const token = process.env.PENGUIN_SERVE_TOKEN?.trim() || undefined
  // `penguin github run` children (webhooks) keep their sessions in the SQLite file.
  const dbPath = await databaseLocation(values.db)
  // GitHub webhooks: on when a secret is set. The token leaves this process's environment (server
  // sessions never see it) and goes only to the `penguin github run` children.
  const webhookSecret =
    process.env.PENGUIN_GITHUB_WEBHOOK_SECRET?.trim() || resolved.config.github?.webhookSecret
  const githubToken = process.env.GITHUB_TOKEN?.trim() || undefined
  delete process.env.GITHUB_TOKEN
  const github = webhookSecret
    ? (await import('../github/webhook-runs.js')).webhookOptions({
        secret: webhookSecret,
        ...(githubToken ? { token: githubToken } : {}),
        apiUrl: process.env.GITHUB_API_URL ?? resolved.config.github?.apiUrl ?? 'https://api.github.com',
        ...(model ? { model } : {}),
        ...(baseUrl ? { baseUrl } : {}),
        db: dbPath,
        ...(sandboxFlags.mode ? { sandbox: sandboxFlags.mode } : {}),
        ...(sandboxFlags.network ? { network: true } : {}),
      })
    : undefined
  let server: Awaited<ReturnType<typeof serve>>
  try {
    server = await serve({
      host,
      port,
      root,
      auth: !values['no-auth'],
      // On PostgreSQL checkpoints' shadow repositories stay on this machine, in the data directory.
      ...(url !== undefined ? { databaseUrl: url, dataDir: dataHome() } : { dbPath }),
      ...(workers ? { workers } : {}),
      ...(model ? { model } : {}),
      ...(baseUrl ? { baseUrl } : {}),
      ...(Object.keys(sandboxFlags).length ? { sandbox: sandboxFlags } : {}),
      corsOrigins,
      publicHosts,
      ...(metricsToken ? { metricsToken } : {}),
      ...(token ? { token } : {}),
      rateLimitPerMinute,
      web: await webUi(),
      ...(github ? { github } : {}),
    })
  } catch (error) {
    if (error instanceof ServeConfigError || error instanceof UnusableDatabaseError)
      throw usageError(error.message)
    // An unreachable or failing database: one line, exit 1.
    if (error instanceof StoreError) throw new CliError(error.message, EXIT.failed)
    throw error
  }
  const limits = values['no-auth']
    ? 'auth off'
    : `auth on, rate limit ${rateLimitPerMinute === 0 ? 'off' : `${formatRateLimit(rateLimitPerMinute)} per token`}`
  process.stdout.write(`Penguin API listening on ${server.url} (${limits})\n`)
  process.stdout.write(
    `  ui: ${server.url}/   docs: ${server.url}/api/v1/docs   model: ${model ?? 'none (sessions must name one)'}\n`,
  )
  process.stdout.write(`  ${describeSandbox(sandbox)}\n`)
  if (url !== undefined)
    process.stdout.write(
      `  runs: queued for workers${workers ? ` (${workers} in this process)` : ' (start some: penguin worker --database … --root …)'}\n`,
    )
  if (github) process.stdout.write(`  github webhook: ${server.url}/api/v1/github/webhook\n`)
  if (!values['no-auth'] && !(await server.store.listTokens()).some((t) => t.revokedAt === null)) {
    process.stdout.write(
      '  no API token yet: every API request gets 401 until you create one (penguin token create --name N) or set PENGUIN_SERVE_TOKEN\n',
    )
  }
  // serve() logs its own shutdown (a JSON line when stderr is not a terminal).
  await server.closed
  return EXIT.ok
}

/** Browsers send the bare origin (`https://ui.example.com`), so that is what is compared. */
function originOf(raw: string): string {
  try {
    const url = new URL(raw)
    if (url.protocol === 'http:' || url.protocol === 'https:') return url.origin
  } catch {
    // falls through to the usage error
  }
  throw usageError(`--cors-origin must be an origin such as https://ui.example.com (got "${raw}").`)
}

/** A host name as browsers send it in Host (`penguin.example.com`, optionally with a port). */
function publicHostOf(raw: string, source: string): string {
  const value = raw.trim()
  if (
    /^(?:[a-z0-9-]+\.)*[a-z0-9-]+(?::\d{1,5})?$/i.test(value) ||
    /^\[[0-9a-f:.]+\](?::\d{1,5})?$/i.test(value)
  )
    return value
  throw usageError(`${source} must be a host name such as penguin.example.com (got "${raw}").`)
}

/** The web UI's static files, served at `/` beside the API. */
async function webUi(): Promise<(request: Request) => Promise<Response | undefined>> {
  const { webAssetResponse } = await import('@penguin-ai/web')
  return (request) => webAssetResponse(request)
}

async function isDirectory(path: string): Promise<boolean> {
  return stat(path).then(
    (info) => info.isDirectory(),
    () => false,
  )
}
