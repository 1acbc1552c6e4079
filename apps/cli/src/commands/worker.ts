import { stat } from 'node:fs/promises'
import { resolve } from 'node:path'
import { parseSandboxMode } from '../args.js'
import { CliError, EXIT, usageError } from '../cli-error.js'
import { parseCommand, parseWholeNumber } from '../flags.js'
import { configured, flagLayer } from '../setup.js'
import { dataHome } from '../store/location.js'
import { databaseUrl } from './db.js'
import { printHelp } from './help-text.js'
import { WORKER } from './spec/server.js'

/** `penguin worker`: executes queued runs until SIGTERM / SIGINT (then exit 0). */
export async function workerCommand(argv: string[]): Promise<number> {
  const { values } = parseCommand(argv, WORKER)
  if (values.help) {
    return printHelp(['worker'])
  }
  const url = databaseUrl(values.database)
  if (url === undefined)
    throw usageError(
      'penguin worker needs the shared database: --database postgres://… (or PENGUIN_DATABASE_URL).',
    )
  const roots = (values.root ?? []).map((root) => resolve(root))
  if (roots.length === 0)
    throw usageError('Give at least one --root DIR: the workspaces this worker can reach.')
  for (const root of roots)
    if (!(await isDirectory(root))) throw usageError(`--root ${root} does not exist or is not a directory.`)
  const concurrency =
    values.concurrency === undefined ? 1 : parseWholeNumber('--concurrency', values.concurrency, 1)
  const heartbeatSeconds =
    values.heartbeat === undefined ? undefined : parseWholeNumber('--heartbeat', values.heartbeat, 1)
  const graceSeconds = values.grace === undefined ? undefined : parseWholeNumber('--grace', values.grace, 0)
  const sandboxFlags = {
    ...(values.sandbox !== undefined ? { mode: parseSandboxMode(values.sandbox) } : {}),
    ...(values.network ? { network: true } : {}),
  }
  const [
    { startWorker },
    { describeSandbox, resolveConfig, sandboxSetup },
    { StoreError },
    { createRedactor },
  ] = await Promise.all([
    import('@penguin-ai/server'),
    import('@penguin-ai/config'),
    import('@penguin-ai/store'),
    import('@penguin-ai/telemetry'),
  ])
  // Like the server: flags, else the user's config (and the first root's, as far as it is trusted).
  const resolved = await configured(() =>
    resolveConfig({
      workspace: roots[0] as string,
      env: process.env,
      flags: flagLayer({
        baseUrl: values['base-url'],
        sandbox: sandboxFlags.mode,
        network: sandboxFlags.network,
      }),
    }),
  )
  // Refuse to start (rather than fail every run) when runs' commands cannot be sandboxed.
  const sandbox = await configured(() => sandboxSetup(resolved, { roots, env: process.env }))
  const { baseUrl } = resolved.config
  let worker: Awaited<ReturnType<typeof startWorker>>
  try {
    worker = await startWorker({
      databaseUrl: url,
      roots,
      concurrency,
      ...(heartbeatSeconds !== undefined ? { heartbeatSeconds } : {}),
      ...(graceSeconds !== undefined ? { graceSeconds } : {}),
      ...(baseUrl ? { baseUrl } : {}),
      ...(Object.keys(sandboxFlags).length ? { sandbox: sandboxFlags } : {}),
      dataDir: dataHome(),
      redact: createRedactor({ env: process.env }).text,
      handleSignals: true,
    })
  } catch (error) {
    // An unreachable or failing database: one line, exit 1.
    if (error instanceof StoreError) throw new CliError(error.message, EXIT.failed)
    throw new CliError(
      `cannot start the worker: ${error instanceof Error ? error.message : String(error)}`,
      EXIT.failed,
    )
  }
  process.stdout.write(
    `Penguin worker ${worker.id} taking runs under ${worker.roots.join(', ')} (concurrency ${concurrency})\n`,
  )
  process.stdout.write(`  ${describeSandbox(sandbox)}\n`)
  await worker.closed
  return EXIT.ok
}

async function isDirectory(path: string): Promise<boolean> {
  return stat(path).then(
    (info) => info.isDirectory(),
    () => false,
  )
}
