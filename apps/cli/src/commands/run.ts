import { Engine, type EngineOptions } from '@penguin-ai/engine'
import { parseAgentArgs } from '../args.js'
import { EXIT, usageError } from '../cli-error.js'
import { RUN_HELP } from '../help.js'
import { exitCodeFor, onInterrupt } from '../interrupt.js'
import { createHumanRenderer, useColor } from '../render/human.js'
import { createJsonRenderer } from '../render/json.js'
import { LineReader } from '../render/line-reader.js'
import { terminalPermissionPrompt } from '../render/permission-prompt.js'
import { planRunTelemetry } from '../run-telemetry.js'
import { openAgent } from '../session/open.js'
import { prepareAgent } from '../setup.js'

/** `penguin run "task"`: one task, to completion, then exit with a status-specific code. */
export async function runCommand(argv: string[]): Promise<number> {
  const { flags, positionals } = parseAgentArgs(argv, 'run')
  if (flags.help) {
    process.stdout.write(`${RUN_HELP}\n`)
    return EXIT.ok
  }
  const task = positionals.join(' ').trim()
  if (!task) throw usageError('penguin run needs a task, e.g. penguin run "fix the failing test".')
  // Off unless --trace FILE or OTEL_EXPORTER_OTLP_* ask: only then is @penguin-ai/telemetry loaded.
  const tracing = planRunTelemetry(flags)

  const setup = await prepareAgent(flags)
  const interactive = !flags.yes && !flags.json && Boolean(process.stdin.isTTY && process.stderr.isTTY)
  const reader = interactive ? new LineReader(process.stdin, process.stderr, true) : undefined
  const engineOptions: EngineOptions = {
    model: setup.model,
    workspace: setup.workspace,
    policy: setup.policy,
    autoApprove: flags.yes,
    ...(reader
      ? { askPermission: terminalPermissionPrompt(reader, (text) => process.stderr.write(text)) }
      : {}),
    ...(setup.maxIterations ? { maxIterations: setup.maxIterations } : {}),
    ...(setup.budget ? { budget: setup.budget } : {}),
  }
  const warn = (text: string) => process.stderr.write(text)
  const bound = await openAgent(setup, flags, engineOptions, warn)
  const engine = bound?.agent.engine ?? new Engine(engineOptions)
  const telemetry = await tracing?.start(engine, bound?.agent.session.id)

  const controller = new AbortController()
  const interrupt = onInterrupt(
    () => controller.abort(),
    (text) => process.stderr.write(text),
  )
  reader?.onInterrupt(interrupt.handle)
  const render = flags.json
    ? createJsonRenderer((text) => process.stdout.write(text))
    : createHumanRenderer({
        text: process.stdout,
        info: process.stderr,
        color: useColor(process.stderr),
      })
  try {
    const runOptions = { signal: controller.signal, onEvent: render }
    const result = bound ? await bound.agent.run(task, runOptions) : await engine.run(task, runOptions)
    if (bound && !flags.json) {
      const id = bound.agent.session.id
      process.stderr.write(`session ${id} · continue with: penguin run --session ${id} "…"\n`)
    }
    return exitCodeFor(result.status)
  } finally {
    interrupt.dispose()
    reader?.close()
    await telemetry?.finish(warn)
    bound?.close()
  }
}
