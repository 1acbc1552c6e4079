import { readFileSync } from 'node:fs'
import { commandList } from './commands/table.js'

// Kept free of imports beyond node:fs and the (import-free) command table so `penguin --version`
// and `--help` cost almost nothing.

export function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
    version: string
  }
  return pkg.version
}

export const MAIN_HELP = `penguin — an AI software-engineering agent

Usage:
${commandList(undefined, [['penguin', 'interactive chat in this directory']])}

Options for run and chat:
  -m, --model provider/model   e.g. openai/gpt-4o, anthropic/claude-sonnet-4-5, ollama/llama3.1
      --base-url URL           the provider's endpoint, or any OpenAI-compatible one
      --api chat|responses|anthropic   the wire to speak (default: the provider's native API)
      --reasoning off|minimal|low|medium|high   how hard a reasoning model thinks
      --hide-reasoning         do not print the model's reasoning (shown dimmed otherwise)
      --agent NAME             run as an agent: build, plan, explore, test, review, or a file's
      --cwd DIR                workspace directory (default: current directory)
  -y, --yes                    allow writes and commands without asking
      --sandbox MODE           how commands run: workspace-write (default), read-only, or off
      --network                let sandboxed commands use the network for this run
      --max-iterations N       model calls per run (default 50)
  -c, --continue               resume the latest session of this workspace
  -s, --session ID             resume a session (see penguin sessions list)
      --db FILE                session database (default ~/.local/share/penguin/penguin.db)
      --json                   print one JSON event per line (run only)
      --server URL [--token T] run on a Penguin server (or PENGUIN_SERVER, PENGUIN_TOKEN)
      --debug                  show stack traces for errors
  -h, --help                   show help
  -v, --version                show the version

Commands run in an OS sandbox (bubblewrap): they write only the workspace and a private /tmp,
never read ~/.ssh, ~/.aws and other secrets, and have no network — so they run without asking.
When the sandbox refuses one, Penguin says so and (at a terminal) asks before re-running it outside.

Configuration: ~/.config/penguin/config.json, then <workspace>/.penguin/config.json,
then environment (PENGUIN_MODEL, PENGUIN_SANDBOX, OPENAI_API_KEY, …), then flags. In a workspace
you have not trusted (penguin trust --help), its baseUrl, allowedPaths, allow rules and whatever
widens the sandbox are ignored.

Exit codes: 0 finished, 1 run failed, 2 usage or configuration error, 130 interrupted.`

export const ACP_HELP = `Usage: penguin acp [options]

Speaks the Agent Client Protocol (ACP) on stdin/stdout, so an editor runs Penguin as its agent:
Zed, JetBrains IDEs, Neovim plugins. The editor starts it; see docs/editors.md for the settings.
Every session the editor opens is an ordinary saved Penguin session (penguin sessions list).

Options (apply to every session of the connection; the editor gives the workspace):
  -m, --model provider/model   the model (default: config, then the environment)
      --base-url URL           the provider's endpoint
      --api chat|responses|anthropic   the wire to speak
      --reasoning off|minimal|low|medium|high
      --agent NAME             run as an agent (build, plan, explore, test, review, or a file's)
      --sandbox MODE           how commands run: read-only, workspace-write, off
      --network                commands in the sandbox may use the network
      --db FILE                the session database (else PENGUIN_DB, else the default)
  -y, --yes                    allow writes and commands without asking the editor
      --debug                  more detail on stderr

Permission questions go to the editor (allow once, always for this session, reject).`

export const RUN_HELP = `Usage: penguin run [options] "task"

Runs one task to completion and exits. The assistant's text streams to stdout; tool calls and
a summary (tokens, cost, time) go to stderr. Commands run in the sandbox without asking; without
--yes, file writes (and commands when the sandbox is off) are denied unless you are at a terminal,
where Penguin asks. A command the sandbox refused is re-run outside it only on your yes at a
terminal; unattended, use --sandbox off or "sandbox.excluded_commands".

Options:
  -m, --model provider/model   model to use (or PENGUIN_MODEL / config "model")
      --base-url URL           the provider's endpoint (Anthropic: the host root), or any
                               OpenAI-compatible one
      --api chat|responses|anthropic   the wire to speak (default: Anthropic Messages for
                               anthropic/*, Responses for openai/* on OpenAI, else Chat Completions)
      --reasoning off|minimal|low|medium|high   thinking budget / reasoning effort (config "reasoning")
      --hide-reasoning         do not print the model's reasoning (shown dimmed on stderr otherwise)
      --agent NAME             run as this agent (penguin agents list): its tools, prompt, model
      --cwd DIR                workspace directory (default: current directory)
  -y, --yes                    allow what the permission rules would ask about
      --sandbox MODE           workspace-write (default), read-only, or off (commands with your full rights)
      --network                let sandboxed commands use the network
      --max-iterations N       model calls per run (default 50)
  -c, --continue               resume the latest session of this workspace
  -s, --session ID             resume a session (id or unique prefix)
      --db FILE                session database (default $PENGUIN_DB or ~/.local/share/penguin/penguin.db)
      --json                   one JSON event per line on stdout instead of human output
      --server URL [--token T] run on a Penguin server (or PENGUIN_SERVER, PENGUIN_TOKEN)
      --trace FILE             write the run's spans to FILE as JSON (OTLP: OTEL_EXPORTER_OTLP_ENDPOINT)
      --debug                  show stack traces for errors`

export const DEMO_HELP = `Usage: penguin demo [--fast]

Copies a small sample repository to a temporary directory and runs a complete agent session on it
with a built-in scripted model: real tools, real edits, the sample's tests passing at the end.
No API key needed.`

export const DOCTOR_HELP = `Usage: penguin doctor [--cwd DIR] [--json]

Checks what Penguin needs on this machine and says how to fix what is missing: Node.js, your config
and the workspace's (and whether it is trusted), the sandbox (bubblewrap found, a trial command run
in this workspace with the mode it would get, Penguin's own process invisible to it), the model and
its key, the SQLite driver, PostgreSQL when PENGUIN_DATABASE_URL is set (reachable, schema current),
git. Exits 1 when something needed is broken.`
