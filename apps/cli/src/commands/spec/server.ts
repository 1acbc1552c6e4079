/** The server and integration commands: serve, mcp, github, bench. */
import {
  agentFlags,
  BASE_URL,
  CWD,
  DATABASE,
  DB,
  DEBUG,
  HELP,
  JSON_OUT,
  MAX_ITERATIONS,
  MODEL,
  NETWORK,
  SANDBOX,
} from './flags.js'
import type { CommandSpec } from './types.js'

export const SERVE = {
  name: 'serve',
  args: '[options]',
  summary: 'the HTTP API server (see penguin serve --help)',
  about: `Runs Penguin's HTTP API (REST + SSE + WebSocket, docs/api.md) on one port. The OpenAPI document is
GET /api/v1/openapi.json, a docs page GET /api/v1/docs. Stops gracefully on SIGTERM / Ctrl-C:
running sessions are aborted after storing what they said.`,
  flags: [
    { name: 'host', value: 'HOST', help: 'address to bind (default 127.0.0.1)' },
    { name: 'port', value: 'N', help: 'port (default 8787; 0 picks a free one)' },
    {
      name: 'root',
      value: 'DIR',
      help: "sessions' workspaces must lie under it (default: current directory)",
    },
    { name: 'no-auth', help: 'no bearer tokens (refused unless the host is loopback)' },
    DB,
    {
      ...DATABASE,
      help: `${DATABASE.help}, shared by several servers; docs/scale.md. Prompts are then queued for workers ("penguin worker")`,
    },
    {
      name: 'workers',
      value: 'N',
      help: 'with --database: also run N queued runs at once in this process (workspaces under --root); default 0',
    },
    { ...MODEL, help: 'default model for sessions that name none (or PENGUIN_MODEL / config)' },
    { ...BASE_URL, help: 'OpenAI-compatible endpoint for every model' },
    {
      ...SANDBOX,
      help: "how sessions' commands run: workspace-write (default), read-only, or off (or PENGUIN_SANDBOX; e.g. off in a container that cannot create namespaces). The server will not start if the sandbox cannot.",
    },
    NETWORK,
    { name: 'cors-origin', value: 'URL', multiple: true, help: 'allow this browser origin (repeatable)' },
    {
      name: 'public-host',
      value: 'NAME',
      multiple: true,
      help: 'a host name clients use to reach the server, e.g. behind a proxy (repeatable; or PENGUIN_PUBLIC_HOST=a,b); other Host headers than loopback ones are refused (/healthz and /readyz answer any)',
    },
    {
      name: 'metrics-token',
      value: 'TOKEN',
      help: 'a bearer token (16+ characters) that opens GET /metrics and nothing else, for a Prometheus scraper (or PENGUIN_METRICS_TOKEN)',
    },
    {
      name: 'rate-limit',
      value: 'N/min',
      help: 'requests a minute per API token (default 600/min; also N/s, N/h); 0 turns it off, for trusted networks. Over it: 429 with Retry-After. Config: "serve": { "rateLimit": "600/min" }',
    },
    DEBUG,
    HELP,
  ],
  footer: `Auth is on unless --no-auth: create a token with "penguin token create --name N" and send it as
Authorization: Bearer <token>. A deployment can provision one instead: PENGUIN_SERVE_TOKEN (16+
characters, e.g. from a Kubernetes Secret) is stored as the token named PENGUIN_SERVE_TOKEN at
startup, replacing its previous value. Cross-site requests are refused: the Host header must be
loopback, the bound address or a --public-host; an Origin header must be the server's own or a
--cors-origin; JSON bodies need Content-Type: application/json. GET /metrics (Prometheus text) takes
an API token or the metrics token.
GitHub webhooks (docs/github.md): with PENGUIN_GITHUB_WEBHOOK_SECRET (or config "github":
{"webhookSecret"}) and GITHUB_TOKEN set, POST /api/v1/github/webhook takes signed deliveries; a
"/penguin" comment by a user with write access runs "penguin github run" and edits one comment.
Logs are JSON lines on stderr (human on a terminal), level PENGUIN_LOG_LEVEL (default info); traces
and metrics also go over OTLP when OTEL_EXPORTER_OTLP_ENDPOINT is set.`,
  load: async () => (await import('../serve.js')).serveCommand,
} as const satisfies CommandSpec

export const WORKER = {
  name: 'worker',
  args: '[options]',
  summary: 'execute runs queued by servers sharing a PostgreSQL database',
  usage: ['worker --database URL --root DIR [options]'],
  about: `Executes runs that "penguin serve --database URL" servers queue (pg-boss queue penguin.run in the
same PostgreSQL database), recording them exactly as a server would. Runs whose workspace lies under
none of this worker's roots are left to other workers. A worker that dies (SIGKILL, lost machine)
stops refreshing its leases; after the heartbeat timeout another worker resumes its runs from the
last completed turn. SIGTERM / Ctrl-C: stop taking runs, let running ones finish within the grace
period, hand the rest back to the queue. docs/scale.md`,
  flags: [
    { ...DATABASE, help: 'the shared PostgreSQL database (or PENGUIN_DATABASE_URL)' },
    {
      name: 'root',
      value: 'DIR',
      multiple: true,
      help: 'a directory whose workspaces this worker can reach, at the same path as on the servers (repeatable; shared volume)',
    },
    { name: 'concurrency', value: 'N', help: 'runs at once (default 1)' },
    {
      name: 'heartbeat',
      value: 'SECONDS',
      help: "a lease not refreshed for this long is a dead worker's (default 30; refreshed every third of it)",
    },
    {
      name: 'grace',
      value: 'SECONDS',
      help: 'how long SIGTERM lets runs finish before handing them back (default 20)',
    },
    { ...BASE_URL, help: 'OpenAI-compatible endpoint for every model' },
    { ...SANDBOX, help: "how runs' commands run: workspace-write (default), read-only, or off" },
    NETWORK,
    DEBUG,
    HELP,
  ],
  footer: `Model API keys come from the environment, as for "penguin serve". Checkpoints' shadow repositories
live in $PENGUIN_HOME on the worker's machine.`,
  load: async () => (await import('../worker.js')).workerCommand,
} as const satisfies CommandSpec

const MCP_SCOPE = {
  name: 'scope',
  value: 'SCOPE',
  values: ['user', 'project'],
  help: "add/remove in your config (user, the default) or in the workspace's .mcp.json (project)",
} as const

export const MCP = {
  name: 'mcp',
  args: '…',
  summary: 'MCP servers: list, add, remove, test; serve (Penguin as an MCP server)',
  subcommands: [
    {
      name: 'list',
      aliases: ['ls'],
      args: '[--json]',
      summary: 'the MCP servers configured here: status and tools',
      flags: [CWD, JSON_OUT],
    },
    {
      name: 'add',
      args: 'NAME [options] -- CMD ARGS… | NAME --url URL [options]',
      summary: 'add a stdio server (run as CMD ARGS…), or a streamable HTTP server (falls back to SSE)',
      flags: [
        CWD,
        MCP_SCOPE,
        { name: 'url', value: 'URL', help: 'a streamable HTTP server (falls back to SSE)' },
        {
          name: 'env',
          short: 'e',
          value: 'KEY=VALUE',
          multiple: true,
          help: `a variable for a stdio server (repeatable; \${VAR} is expanded at start)`,
        },
        {
          name: 'header',
          short: 'H',
          value: '"K: V"',
          multiple: true,
          help: `an HTTP header (repeatable), e.g. -H "Authorization: Bearer \${TOKEN}"`,
        },
        {
          name: 'transport',
          value: 'TRANSPORT',
          values: ['http', 'sse'],
          help: 'with --url: sse only, for servers that speak nothing else',
        },
        { name: 'timeout-ms', value: 'N', help: 'handshake and call timeout for this server' },
      ],
    },
    {
      name: 'remove',
      aliases: ['rm'],
      args: 'NAME [--scope S]',
      summary: 'remove a server',
      flags: [CWD, MCP_SCOPE],
    },
    {
      name: 'test',
      args: 'NAME',
      summary: 'start one server and list its tools (exit 1 if it fails)',
      flags: [CWD, JSON_OUT],
    },
    {
      name: 'serve',
      args: '[--allow-writes]',
      summary: 'Penguin itself as an MCP server over stdio',
      flags: [{ name: 'allow-writes', help: 'offer the tools that change files and run commands' }, DB],
    },
  ],
  flags: [DEBUG, HELP],
  footer: `Servers come from "mcpServers" in your config (~/.config/penguin/config.json) and, in a trusted
workspace, from .penguin/config.json, .mcp.json and opencode.json ("mcp"). Each server's tools reach
the model as mcp__<server>__<tool>; they ask before running unless a permission rule allows them,
e.g. {"tool": "mcp__github__*", "action": "allow"}. Per server: "enabled", "include" / "exclude"
(tool name patterns), "timeout_ms".`,
  load: async () => (await import('../mcp.js')).mcpCommand,
} as const satisfies CommandSpec

export const GITHUB = {
  name: 'github',
  args: 'run|review …',
  summary: 'issues to pull requests, pull request reviews (penguin github --help)',
  subcommands: [
    {
      name: 'run',
      args: '--repo OWNER/NAME --issue N [options]',
      summary:
        'read the issue and its comments, work on branch penguin/issue-N (in this checkout when it is OWNER/NAME, else in a fresh clone), run the agent until the verify command passes, commit, push, open a pull request "Closes #N" and comment on the issue with its link. On failure, comment what went wrong; the branch is kept (and pushed, when it has commits).',
    },
    {
      name: 'review',
      args: '--repo OWNER/NAME --pr N [--verdict] [options]',
      summary:
        "the review agent reads the pull request's diff and posts a review with line comments: a COMMENT, or with --verdict the agent's verdict (APPROVE or REQUEST_CHANGES)",
    },
  ],
  flags: [
    { name: 'repo', value: 'OWNER/NAME', help: 'the repository (required)' },
    { name: 'issue', value: 'N', help: 'run: the issue to work on' },
    { name: 'pr', value: 'N', help: 'review: the pull request' },
    {
      name: 'token',
      value: 'TOKEN',
      help: 'GitHub token (default: GITHUB_TOKEN). Never passed to the agent, its commands or hooks, never logged or stored.',
    },
    {
      name: 'api-url',
      value: 'URL',
      help: "GitHub's REST API (default: GITHUB_API_URL, else https://api.github.com)",
    },
    {
      name: 'verify',
      value: 'CMD',
      help: 'run: the command that must pass (default: config "testCommand", else "npm test" when package.json has a test script)',
    },
    {
      name: 'attempts',
      value: 'N',
      help: 'run: agent rounds before giving up on the verify command (default 3)',
    },
    { name: 'dir', value: 'DIR', help: 'run: clone here instead of a new temporary directory' },
    {
      name: 'comment-id',
      value: 'ID',
      help: "run: report progress by editing this issue comment (the webhook's)",
    },
    {
      name: 'verdict',
      help: "review: post the agent's verdict as the review (APPROVE when it says approve, REQUEST_CHANGES when it asks for changes; else COMMENT)",
    },
    // The agent's, as for `penguin run`.
    ...agentFlags(
      'model',
      'base-url',
      'api',
      'reasoning',
      'agent',
      'yes',
      'sandbox',
      'network',
      'max-iterations',
      'db',
      'debug',
      'help',
    ),
  ],
  footer: `Exit codes: 0 pull request opened (or review posted), 1 the agent could not finish (verify still
failing, run failed: the issue says why), 2 usage or configuration error, 3 GitHub or git failed
(token, permissions, clone or push), 130 interrupted.`,
  load: async () => (await import('../github.js')).githubCommand,
} as const satisfies CommandSpec

export const BENCH = {
  name: 'bench',
  args: '…',
  summary: 'benchmarks: humaneval, swebench (see penguin bench --help)',
  usage: [
    'bench humaneval [--data PATH] [--limit N] [--samples K] [--mode completion|agent] [options]',
    'bench swebench --instances FILE.jsonl --repos DIR [options]',
    'bench swebench --make-suite DIR [--gold | --model M …]',
  ],
  subcommands: [
    {
      name: 'humaneval',
      args: '[--data PATH] [--limit N] [--samples K] [--mode completion|agent] [options]',
      summary:
        "HumanEval through Penguin. Without --data the official HumanEval.jsonl.gz is downloaded once to Penguin's data directory. Each candidate runs with python3 in a scratch directory with a timeout, a memory limit, in the OS sandbox: read-only, no network. Reports pass@k (unbiased estimator).",
      flags: [
        { name: 'data', value: 'PATH', help: 'HumanEval.jsonl(.gz)' },
        {
          name: 'samples',
          value: 'K',
          help: 'samples per problem (default 1); pass@k for k in 1, 10, 100 up to K',
        },
        {
          name: 'mode',
          value: 'MODE',
          values: ['completion', 'agent'],
          help: 'completion: one model call per sample (default); agent: the Penguin agent with tools writing solution.py in a scratch workspace',
        },
        { name: 'timeout', value: 'SECONDS', help: 'per candidate (default 10)' },
        { name: 'memory', value: 'MB', help: 'address-space limit per candidate (default 1024)' },
        { name: 'temperature', value: 'T', help: 'sent to the model only when given' },
        { name: 'python', value: 'PATH', help: 'interpreter (default python3)' },
      ],
    },
    {
      name: 'swebench',
      args: '--instances FILE.jsonl --repos DIR [options]',
      summary:
        "SWE-bench-format instances through the Penguin agent. Each repo is cloned from a local mirror, DIR/<owner>__<name> or DIR/<owner>/<name>, at base_commit; the agent's changes become predictions.jsonl for the official evaluator, and a local evaluator runs the hidden tests where the instance has a test_cmd, in the OS sandbox (read-only, no network).",
      flags: [
        { name: 'instances', value: 'FILE', help: 'instances (JSONL, .jsonl.gz or a JSON array)' },
        { name: 'repos', value: 'DIR', help: 'local mirrors' },
        { name: 'ids', value: 'ID,ID', help: 'only these instances' },
        { name: 'gold', help: "use each instance's known fix instead of a model (checks the setup)" },
        { name: 'no-eval', help: 'write predictions only' },
        { name: 'test-timeout', value: 'SECONDS', help: 'per test command (default 300)' },
        {
          name: 'make-suite',
          value: 'DIR',
          help: "write Penguin's own SWE-style suite (repos + instances.jsonl) to DIR; with --model or --gold, then run it",
        },
      ],
    },
  ],
  flags: [
    { ...MODEL, help: 'any model penguin run accepts (or PENGUIN_MODEL / config "model")' },
    { ...BASE_URL, help: 'OpenAI-compatible endpoint' },
    {
      name: 'concurrency',
      value: 'N',
      help: 'problems or instances in flight (default 4 for humaneval, 2 for swebench)',
    },
    { ...MAX_ITERATIONS, help: 'agent: model calls per problem/instance (default 20 / 40)' },
    { name: 'limit', value: 'N', help: 'only the first N problems or instances' },
    { name: 'out', value: 'DIR', help: 'results folder (default penguin-bench/<benchmark>/<run>)' },
    { name: 'resume', help: 'continue the run in --out, skipping what it already finished' },
    {
      name: 'sandbox',
      value: 'off',
      values: ['off'],
      help: "run candidates, tests and the agent's commands without the sandbox",
    },
    { name: 'json', help: 'one JSON object per line on stdout instead of progress and a table' },
    DEBUG,
    HELP,
  ],
  footer: `Outputs in the results folder: results.jsonl (per problem/instance: model, tokens, cost, wall time,
turns, outcome), summary.json, report.md, chart.svg; swebench also predictions.jsonl.`,
  load: async () => (await import('../bench.js')).benchCommand,
} as const satisfies CommandSpec
