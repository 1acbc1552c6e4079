/**
 * `penguin mcp serve`: Penguin as an MCP server over stdio. Each `penguin_run` is a whole run in the
 * given directory with that directory's config (trust included), recorded as a session like
 * `penguin run`; `penguin_reply` continues one. Nobody can answer a permission prompt here, so asks
 * are refused and reported in the answer; without --allow-writes every call that writes or runs
 * something is refused as well, and with it only the built-in file and command tools' default asks
 * are approved. stdout carries the protocol: everything else goes to stderr.
 */
import { stat } from 'node:fs/promises'
import { isAbsolute } from 'node:path'
import { engineOptions } from '@penguin-ai/config'
import type { AutoApprove, EngineExtension, EngineOptions } from '@penguin-ai/engine'
import type { PenguinRunner, PenguinRunOutcome } from '@penguin-ai/mcp'
import { builtinTools } from '@penguin-ai/tools'
import { parseAgentArgs } from '../args.js'
import { CliError, EXIT } from '../cli-error.js'
import { loadExtensions } from '../extensions.js'
import { parseSubcommand } from '../flags.js'
import { DenialLog } from '../render/denials.js'
import { openAgent } from '../session/open.js'
import { prepareAgent } from '../setup.js'
import { version } from '../version.js'
import { printHelp } from './help-text.js'
import { MCP } from './spec/server.js'

export async function mcpServe(argv: string[]): Promise<number> {
  const { values, positionals } = parseSubcommand(argv, MCP, 'serve')
  if (values.help) {
    return printHelp(['mcp'])
  }
  if (positionals.length) throw new CliError('penguin mcp serve takes no arguments.')
  const allowWrites = values['allow-writes'] === true
  const { penguinMcpServer, servePenguinOverStdio } = await import('@penguin-ai/mcp')
  const runner = new Runner(allowWrites, values.db)
  await servePenguinOverStdio(penguinMcpServer(runner, { version: version(), allowWrites }))
  return EXIT.ok
}

/**
 * `--allow-writes`: approves what asks only because writes and commands ask by default, for the
 * built-in tools that write files or run commands. An `ask` rule the user configured, an MCP or
 * plugin tool and any other ask still need a person's yes, so they are refused and reported.
 */
const WRITE_TOOLS: ReadonlySet<string> = new Set(
  builtinTools()
    .filter((tool) => !tool.readOnly)
    .map((tool) => tool.name),
)
const ALLOW_WRITES: AutoApprove = (ask) => !ask.byRule && WRITE_TOOLS.has(ask.tool)

/**
 * Refuses everything that writes or runs: `penguin mcp serve` without --allow-writes. The reason
 * names --allow-writes where that alone would let the call run (a built-in file or command tool).
 */
const READ_ONLY: EngineExtension = {
  name: 'penguin mcp serve',
  beforeToolCall: (_ctx, call) =>
    call.readOnly
      ? undefined
      : {
          permission: 'deny',
          reason: WRITE_TOOLS.has(call.tool)
            ? 'penguin mcp serve was started without --allow-writes, so it only reads'
            : 'penguin mcp serve only reads unless started with --allow-writes, and even then a tool that is not built in needs a permission rule that allows it',
        },
}

/**
 * What the model is told of an ask nobody could answer here (not `penguin run`'s "rerun with
 * --yes": there is no --yes, and --allow-writes does not lift an ask rule or a tool that is not
 * built in).
 */
const APPROVAL_HINT =
  'nobody can approve a call in penguin mcp serve: only a permission rule in the config that allows it lets it run'

class Runner implements PenguinRunner {
  /** Where each session of this server works, for replies. */
  private readonly sessions = new Map<string, { cwd: string; model?: string }>()

  constructor(
    private readonly allowWrites: boolean,
    private readonly db: string | undefined,
  ) {}

  async run(
    input: { prompt: string; cwd: string; model?: string },
    signal: AbortSignal,
  ): Promise<PenguinRunOutcome> {
    if (!isAbsolute(input.cwd)) throw new Error(`cwd must be an absolute path (got "${input.cwd}").`)
    const info = await stat(input.cwd).catch(() => undefined)
    if (!info?.isDirectory()) throw new Error(`cwd ${input.cwd} is not a directory.`)
    const outcome = await this.go(
      input.prompt,
      { cwd: input.cwd, ...(input.model ? { model: input.model } : {}) },
      undefined,
      signal,
    )
    this.sessions.set(outcome.sessionId, { cwd: input.cwd, ...(input.model ? { model: input.model } : {}) })
    return outcome
  }

  async reply(input: { sessionId: string; prompt: string }, signal: AbortSignal): Promise<PenguinRunOutcome> {
    const known = this.sessions.get(input.sessionId) ?? (await this.storedSession(input.sessionId))
    return this.go(input.prompt, known, input.sessionId, signal)
  }

  private async storedSession(id: string): Promise<{ cwd: string }> {
    ;(await import('../store/driver.js')).requireSqliteDriver()
    const { openStore } = await import('@penguin-ai/store')
    const { databaseLocation } = await import('../store/location.js')
    const store = openStore({ path: await databaseLocation(this.db) })
    try {
      return { cwd: store.requireSession(id).workspace }
    } catch {
      throw new Error(`No Penguin session "${id}". Start one with penguin_run.`)
    } finally {
      store.close()
    }
  }

  private async go(
    prompt: string,
    where: { cwd: string; model?: string },
    session: string | undefined,
    signal: AbortSignal,
  ): Promise<PenguinRunOutcome> {
    const args = ['--cwd', where.cwd, ...(where.model ? ['--model', where.model] : [])]
    if (session) args.push('--session', session)
    if (this.db) args.push('--db', this.db)
    const { flags } = parseAgentArgs(args, 'run')
    const warn = (text: string) => process.stderr.write(text.endsWith('\n') ? text : `${text}\n`)
    let setup: Awaited<ReturnType<typeof prepareAgent>>
    try {
      setup = await prepareAgent(flags, { warn })
    } catch (error) {
      throw new Error(error instanceof Error ? error.message : String(error))
    }
    const loaded = await loadExtensions(setup, {
      autoApprove: false,
      // Claude Code's closest modes: read-only is `plan`; --allow-writes approves the file tools
      // (and run_command) as `acceptEdits` does the edits, while other asks are still refused.
      permissionMode: this.allowWrites ? 'acceptEdits' : 'plan',
      warn: (line) => warn(`penguin: ${line}`),
    })
    const extensions = [...(this.allowWrites ? [] : [READ_ONLY]), ...(loaded?.extensions ?? [])]
    // No askPermission: whatever would need a person's yes is refused (reported below).
    const autoApprove = this.allowWrites ? ALLOW_WRITES : false
    const options: EngineOptions = engineOptions(setup, {
      autoApprove,
      approvalHint: APPROVAL_HINT,
      extensions,
    })
    const bound = await openAgent(setup, flags, options, warn)
    if (!bound) {
      await loaded?.close('other')
      throw new Error(
        'penguin mcp serve needs the session database to keep sessions (see the message above).',
      )
    }
    const denials = new DenialLog((tool) => bound.agent.engine.isReadOnlyTool(tool))
    try {
      const result = await bound.agent.run(prompt, { signal, onEvent: (event) => denials.observe(event) })
      const denied = denials.denied.map(
        (denial) => `${denial.tool}${denial.subject ? ` ${denial.subject}` : ''}: ${denial.reason}`,
      )
      const notes = [
        ...(result.error ? [`The run ${result.status}: ${result.error.message}`] : []),
        ...(denied.length
          ? [`Refused calls (nobody can approve them here):\n${denied.map((line) => `- ${line}`).join('\n')}`]
          : []),
      ]
      const text =
        [result.text, ...notes].filter(Boolean).join('\n\n') || `(the run ${result.status} without an answer)`
      return { text, sessionId: bound.agent.session.id, status: result.status, denied }
    } finally {
      await bound.close()
      await loaded?.close('other')
    }
  }
}
