// Help texts for `penguin serve` and `penguin token`; plain strings so --help loads nothing heavy.

export const SERVE_HELP = `Usage: penguin serve [options]

Runs Penguin's HTTP API (REST + SSE + WebSocket, docs/api.md) on one port. The OpenAPI document is
GET /api/v1/openapi.json, a docs page GET /api/v1/docs. Stops gracefully on SIGTERM / Ctrl-C:
running sessions are aborted after storing what they said.

Options:
      --host HOST              address to bind (default 127.0.0.1)
      --port N                 port (default 8787; 0 picks a free one)
      --root DIR               sessions' workspaces must lie under it (default: current directory)
      --no-auth                no bearer tokens (refused unless the host is loopback)
      --db FILE                database (default $PENGUIN_DB, else $PENGUIN_HOME/penguin.db,
                               else ~/.local/share/penguin/penguin.db)
      --database URL           PostgreSQL instead (postgres://user:pass@host:5432/name, or
                               PENGUIN_DATABASE_URL), shared by several servers; docs/scale.md.
                               Prompts are then queued for workers ("penguin worker")
      --workers N              with --database: also run N queued runs at once in this process
                               (workspaces under --root); default 0
  -m, --model provider/model   default model for sessions that name none (or PENGUIN_MODEL / config)
      --base-url URL           OpenAI-compatible endpoint for every model
      --sandbox MODE           how sessions' commands run: workspace-write (default), read-only, or
                               off (or PENGUIN_SANDBOX; e.g. off in a container that cannot create
                               namespaces). The server will not start if the sandbox cannot.
      --network                let sandboxed commands use the network
      --cors-origin URL        allow this browser origin (repeatable)
      --public-host NAME       a host name clients use to reach the server, e.g. behind a proxy
                               (repeatable; or PENGUIN_PUBLIC_HOST=a,b); other Host headers than
                               loopback ones are refused (/healthz and /readyz answer any)
      --metrics-token TOKEN    a bearer token (16+ characters) that opens GET /metrics and nothing
                               else, for a Prometheus scraper (or PENGUIN_METRICS_TOKEN)
      --rate-limit N/min       requests a minute per API token (default 600/min; also N/s, N/h);
                               0 turns it off, for trusted networks. Over it: 429 with Retry-After.
                               Config: "serve": { "rateLimit": "600/min" }
      --debug                  show stack traces for errors

Auth is on unless --no-auth: create a token with "penguin token create --name N" and send it as
Authorization: Bearer <token>. A deployment can provision one instead: PENGUIN_SERVE_TOKEN (16+
characters, e.g. from a Kubernetes Secret) is stored as the token named PENGUIN_SERVE_TOKEN at startup,
replacing its previous value. Cross-site requests are refused: the Host header must be loopback, the
bound address or a --public-host; an Origin header must be the server's own or a --cors-origin; JSON
bodies need Content-Type: application/json. GET /metrics (Prometheus text) takes an API token or the
metrics token.
GitHub webhooks (docs/github.md): with PENGUIN_GITHUB_WEBHOOK_SECRET (or config "github":
{"webhookSecret"}) and GITHUB_TOKEN set, POST /api/v1/github/webhook takes signed deliveries; a
"/penguin" comment by a user with write access runs "penguin github run" and edits one comment.
Logs are JSON lines on stderr (human on a terminal), level PENGUIN_LOG_LEVEL (default info); traces
and metrics also go over OTLP when OTEL_EXPORTER_OTLP_ENDPOINT is set.`

export const TOKEN_HELP = `Usage: penguin token <command> [options]

API tokens for "penguin serve" (stored hashed; the token itself is shown once).

Commands:
  create --name N              create a token and print it (once)
  list [--json]                every token: id, name, prefix, created, last used, revoked
  revoke ID|NAME               revoke a token; requests with it get 401 from then on

Options:
      --db FILE                database (default $PENGUIN_DB, else $PENGUIN_HOME/penguin.db)
      --json                   machine-readable output
      --debug                  show stack traces for errors`

export const DB_HELP = `Usage: penguin db <command> [options]

The database: SQLite (a file, the default) or PostgreSQL (for several servers sharing one).

Commands:
  migrate                      apply pending schema changes (every open applies them too; run this
                               before starting several servers on a new Penguin version)
  copy --from sqlite:PATH --to postgres://…
                               copy an installation into an EMPTY PostgreSQL database: every row,
                               ids kept, in one transaction; the row counts of both sides are
                               compared before it commits. The SQLite file is not changed.

Options:
      --database URL           PostgreSQL database, postgres://user:password@host:port/name (or
                               PENGUIN_DATABASE_URL); without one, the SQLite file below
      --db FILE                SQLite database (default $PENGUIN_DB, else $PENGUIN_HOME/penguin.db)
      --from sqlite:PATH       copy: the SQLite file to read (default: the --db file)
      --to URL                 copy: the PostgreSQL database to fill (default PENGUIN_DATABASE_URL)
      --json                   machine-readable output
      --debug                  show stack traces for errors

Exit codes: 0 done, 2 bad usage or a database this command refuses (not empty, newer, damaged),
1 the database could not be reached or failed.`

export const WORKER_HELP = `Usage: penguin worker --database URL --root DIR [options]

Executes runs that "penguin serve --database URL" servers queue (pg-boss queue penguin.run in the
same PostgreSQL database), recording them exactly as a server would. Runs whose workspace lies under
none of this worker's roots are left to other workers. A worker that dies (SIGKILL, lost machine) stops
refreshing its leases; after the heartbeat timeout another worker resumes its runs from the last
completed turn. SIGTERM / Ctrl-C: stop taking runs, let running ones finish within the grace period,
hand the rest back to the queue. docs/scale.md

Options:
      --database URL           the shared PostgreSQL database (or PENGUIN_DATABASE_URL)
      --root DIR               a directory whose workspaces this worker can reach, at the same path
                               as on the servers (repeatable; shared volume)
      --concurrency N          runs at once (default 1)
      --heartbeat SECONDS      a lease not refreshed for this long is a dead worker's (default 30;
                               refreshed every third of it)
      --grace SECONDS          how long SIGTERM lets runs finish before handing them back (default 20)
      --base-url URL           OpenAI-compatible endpoint for every model
      --sandbox MODE           how runs' commands run: workspace-write (default), read-only, or off
      --network                let sandboxed commands use the network
      --debug                  show stack traces for errors

Model API keys come from the environment, as for "penguin serve". Checkpoints' shadow repositories
live in $PENGUIN_HOME on the worker's machine.`
