/**
 * `penguin-server`: the API server for deployments (containers, systemd) that do not want the whole
 * CLI. Flags mirror `penguin serve`; each has an environment variable for container setups. The
 * node-server glue, signals and graceful shutdown are `serve()` from @penguin-ai/server.
 */
import { parseArgs } from 'node:util'
import { isLoopback, ServeConfigError, serve } from '@penguin-ai/server'
import { resolveDbPath } from '@penguin-ai/store'

const HELP = `Usage: penguin-server [--host H] [--port N] [--root DIR] [--no-auth] [--db FILE]
                      [--model M] [--base-url URL] [--cors-origin URL]... [--metrics-token T]

Environment: PENGUIN_HOST, PENGUIN_PORT, PENGUIN_ROOT, PENGUIN_NO_AUTH=1, PENGUIN_DB,
PENGUIN_MODEL, PENGUIN_BASE_URL, PENGUIN_CORS_ORIGINS (comma-separated), PENGUIN_METRICS_TOKEN
(opens GET /metrics only, for a scraper), PENGUIN_SERVE_TOKEN (an API token to provision, 16+
characters). Flags win. Logs: JSON on stderr, PENGUIN_LOG_LEVEL;
OTLP export when OTEL_EXPORTER_OTLP_ENDPOINT is set.
Tokens: penguin token create --name N (same database).`

async function main(): Promise<number> {
  const env = process.env
  const { values } = parseArgs({
    options: {
      host: { type: 'string' },
      port: { type: 'string' },
      root: { type: 'string' },
      'no-auth': { type: 'boolean' },
      db: { type: 'string' },
      model: { type: 'string', short: 'm' },
      'base-url': { type: 'string' },
      'cors-origin': { type: 'string', multiple: true },
      'metrics-token': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  })
  if (values.help) {
    process.stdout.write(`${HELP}\n`)
    return 0
  }
  const portText = values.port ?? env.PENGUIN_PORT ?? '8787'
  const port = Number(portText)
  if (!/^\d+$/.test(portText) || port > 65_535) throw new ServeConfigError(`invalid port "${portText}"`)
  const host = values.host ?? env.PENGUIN_HOST ?? '127.0.0.1'
  const model = values.model ?? env.PENGUIN_MODEL
  const baseUrl = values['base-url'] ?? env.PENGUIN_BASE_URL
  const metricsToken = values['metrics-token'] ?? env.PENGUIN_METRICS_TOKEN
  const token = env.PENGUIN_SERVE_TOKEN?.trim() || undefined
  const server = await serve({
    host,
    port,
    root: values.root ?? env.PENGUIN_ROOT ?? process.cwd(),
    auth: !(values['no-auth'] ?? env.PENGUIN_NO_AUTH === '1'),
    dbPath: values.db ?? resolveDbPath(env),
    ...(model ? { model } : {}),
    ...(baseUrl ? { baseUrl } : {}),
    corsOrigins: values['cors-origin'] ?? (env.PENGUIN_CORS_ORIGINS ?? '').split(',').filter(Boolean),
    ...(metricsToken ? { metricsToken } : {}),
    ...(token ? { token } : {}),
  })
  process.stdout.write(
    `Penguin API listening on ${server.url}${isLoopback(host) ? '' : ' (all interfaces)'}\n`,
  )
  await server.closed
  return 0
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    const message = error instanceof Error ? error.message : String(error)
    process.stderr.write(`penguin-server: ${message}\n`)
    process.exit(
      error instanceof ServeConfigError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')
        ? 2
        : 1,
    )
  },
)
