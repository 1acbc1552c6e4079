import { describeSandbox, engineOptions } from '@penguin-ai/config'
import { Engine, type EngineEvent, type EngineOptions, environmentPrompt } from '@penguin-ai/engine'
import { preloadModel } from '@penguin-ai/llm'
import { parseAgentArgs } from '../args.js'
import { EXIT, usageError } from '../cli-error.js'
import { type LoadedExtensions, loadExtensions } from '../extensions.js'
import { exitCodeFor, onInterrupt, untilInterrupted } from '../interrupt.js'
import { DenialLog } from '../render/denials.js'
import { createHumanRenderer, painter, useColor } from '../render/human.js'
import type { LineReader } from '../render/line-reader.js'
import { planRunTelemetry, type RunTelemetry } from '../run-telemetry.js'
import { type OpenedAgent, openAgent, type StartedAgent, startAgent } from '../session/open.js'
import { modelNotes, prepareAgent } from '../setup.js'
import type { RunView } from '../tui/run-view.js'

/** `penguin run "task"`: one task, to completion, then exit with a status-specific code. */
export async function runCommand(argv: string[]): Promise<number> {
  const { flags, positionals } = parseAgentArgs(argv, 'run')
  // The help text needs the whole command table: loaded only when asked for.
  if (flags.help) return (await import('./help-text.js')).printHelp(['run'])
  const task = positionals.join(' ').trim()
  if (!task) throw usageError('penguin run needs a task, e.g. penguin run "fix the failing test".')
  // Off unless --trace FILE or OTEL_EXPORTER_OTLP_* ask: only then is @penguin-ai/telemetry loaded.
  const tracing = planRunTelemetry(flags)

  // Ctrl-C, SIGTERM and SIGHUP count from here: during start-up (config, extensions, the session)
  // they stop the command at once, exit 130; once the run is under way they abort it.
  const controller = new AbortController()
  let view: RunView | undefined
  const interrupt = onInterrupt(
    () => controller.abort(),
    (text) => (view ? view.note(text) : process.stderr.write(text)),
  )
  const starting = untilInterrupted(controller.signal)
  const warn = (text: string) => process.stderr.write(text)
  let reader: LineReader | undefined
  let loaded: LoadedExtensions | undefined
  let bound: OpenedAgent | StartedAgent | undefined
  let telemetry: RunTelemetry | undefined
  try {
    const setup = await starting(prepareAgent(flags))
    if (flags.debug) for (const note of modelNotes(setup)) process.stderr.write(`penguin: ${note}\n`)
    // The run header: commands without a sandbox are worth a line, every time.
    if (!setup.sandbox.instance) {
      const paint = painter(useColor(process.stderr))
      process.stderr.write(`${paint.yellow(`! ${describeSandbox(setup.sandbox)}`)}\n`)
    }
    // At a terminal Penguin asks; --yes answers what the rules would ask, but a write inside .git/ or
    // .penguin/ still needs an explicit yes, so the prompt stays available.
    // The reader and the prompt (node:readline, the preview renderers) load only at a terminal.
    const prompting = !flags.json && Boolean(process.stdin.isTTY && process.stderr.isTTY)
    const interactive = prompting
      ? await starting(
          Promise.all([import('../render/line-reader.js'), import('../render/permission-prompt.js')]),
        )
      : undefined
    if (interactive) {
      reader = new interactive[0].LineReader(process.stdin, process.stderr, true)
      reader.onInterrupt(interrupt.handle)
    }
    loaded = await starting(
      loadExtensions(setup, { autoApprove: flags.yes, warn: (line) => warn(`penguin: ${line}\n`) }),
      (late) => late?.close('other'),
    )
    // Both outputs on a real terminal: the live view (Markdown, diffs, command tails, status line).
    const live =
      !flags.json && process.stdout.isTTY && process.stderr.isTTY && process.env.TERM !== 'dumb'
        ? (await starting(import('../tui/run-view.js'))).createRunView
        : undefined
    const prompt = interactive?.[1]
    const ask =
      reader && prompt
        ? prompt.terminalPermissionPrompt(
            reader,
            (text) => process.stderr.write(text),
            prompt.promptOn(process.stderr),
          )
        : undefined
    const options: EngineOptions = engineOptions(setup, {
      autoApprove: flags.yes,
      ...(loaded ? { extensions: loaded.extensions } : {}),
      ...(ask
        ? {
            // The live area steps aside while the question is on screen.
            askPermission: async (request, signal) => {
              view?.pause()
              try {
                return await ask(request, signal)
              } finally {
                view?.resume()
              }
            },
          }
        : {}),
    })
    // The model's SDK loads and the system prompt's git probe runs while the session is set up.
    void preloadModel(setup.model)
    options.systemPrompt ??= environmentPrompt(options)
    // A resumed session needs its conversation first; a new one opens the database only once the
    // first model request is on its way (startAgent).
    bound = await starting<OpenedAgent | StartedAgent | undefined>(
      flags.continue || flags.session
        ? openAgent(setup, flags, options, warn)
        : startAgent(setup, flags, options, warn),
      (late) => late?.close(),
    )
    const agent = bound?.agent
    const engine = agent?.engine ?? new Engine(options)
    const denials = new DenialLog((tool) => engine.isReadOnlyTool(tool))
    // From here a signal aborts the run (which then ends as interrupted) rather than start-up.
    telemetry = await tracing?.start(engine, agent?.sessionId)
    if (live) view = live({ model: setup.model.id, denials, hideReasoning: flags.hideReasoning })
    const render = flags.json
      ? (await import('../render/json.js')).createJsonRenderer((text) => process.stdout.write(text))
      : (view ??
        createHumanRenderer({
          text: process.stdout,
          info: process.stderr,
          color: useColor(process.stderr),
          denials,
          hideReasoning: flags.hideReasoning,
        }))
    const onEvent = (event: EngineEvent) => {
      denials.observe(event)
      render(event)
    }
    const runOptions = { signal: controller.signal, onEvent }
    const result = agent ? await agent.run(task, runOptions) : await engine.run(task, runOptions)
    view?.close()
    // A session whose database could not open ran unrecorded: there is nothing to continue.
    if (agent && !flags.json && (await agent.whenStored())) {
      const id = agent.sessionId
      process.stderr.write(`session ${id} · continue with: penguin run --session ${id} "…"\n`)
    }
    // A run that could change nothing it tried to did not do its task, whatever the model said.
    if (result.status === 'completed' && denials.blocked) {
      if (flags.json)
        process.stderr.write(`penguin: not done: every change it tried was denied; ${denials.describe()}\n`)
      return EXIT.failed
    }
    if (flags.json && denials.describe()) process.stderr.write(`penguin: ${denials.describe()}\n`)
    return exitCodeFor(result.status)
  } finally {
    view?.close()
    interrupt.dispose()
    reader?.close()
    await telemetry?.finish(warn)
    await bound?.close()
    await loaded?.close('other')
  }
}
