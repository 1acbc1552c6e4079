import { statSync } from 'node:fs'
import { writeFile } from 'node:fs/promises'
import { dirname, resolve } from 'node:path'
import type { Engine } from '@penguin-ai/engine'
import type { AgentFlags } from './args.js'
import { usageError } from './cli-error.js'
import { version } from './version.js'

type Env = Record<string, string | undefined>

/**
 * Telemetry is off in the CLI unless `--trace FILE` or the standard OTLP variables ask for it. A
 * cheap check, so `@penguin-ai/telemetry` (and the OpenTelemetry SDK) load only then.
 */
export function wantsTelemetry(flags: AgentFlags, env: Env = process.env): boolean {
  if (flags.trace !== undefined) return true
  if (env.OTEL_SDK_DISABLED?.trim().toLowerCase() === 'true') return false
  return [
    'OTEL_EXPORTER_OTLP_ENDPOINT',
    'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT',
    'OTEL_EXPORTER_OTLP_METRICS_ENDPOINT',
  ].some((name) => Boolean(env[name]?.trim()))
}

export interface RunTelemetry {
  /** Ends the instrumentation, flushes OTLP, writes the trace file. Never throws: problems are warned. */
  finish(warn: (text: string) => void): Promise<void>
}

/** The trace file's folder must exist: better a usage error now than a lost trace after the run. */
function tracePath(flags: AgentFlags): string | undefined {
  if (flags.trace === undefined) return undefined
  const path = resolve(flags.trace)
  let folder: ReturnType<typeof statSync> | undefined
  try {
    folder = statSync(dirname(path))
  } catch {
    folder = undefined
  }
  if (!folder?.isDirectory()) throw usageError(`--trace ${flags.trace}: no such directory ${dirname(path)}.`)
  return path
}

export interface RunTelemetryPlan {
  /** Starts recording the engine's runs (loading `@penguin-ai/telemetry` now). */
  start(engine: Engine, sessionId: string | undefined): Promise<RunTelemetry>
}

/**
 * Undefined when telemetry is off (nothing is loaded); otherwise a plan whose `start` records the
 * engine's runs as spans and metrics: kept in memory for `--trace FILE` (with the prompt and tool
 * input and output, redacted, unless OTLP export is on too) and exported over OTLP when the
 * environment says where. A `--trace` path in a missing folder is a usage error before anything runs.
 */
export function planRunTelemetry(flags: AgentFlags, env: Env = process.env): RunTelemetryPlan | undefined {
  if (!wantsTelemetry(flags, env)) return undefined
  const path = tracePath(flags)
  return { start: (engine, sessionId) => startRunTelemetry(engine, path, sessionId) }
}

async function startRunTelemetry(
  engine: Engine,
  path: string | undefined,
  sessionId: string | undefined,
): Promise<RunTelemetry> {
  const { createTelemetry, instrumentEngine, otlpRequested, captureContentFromEnv } = await import(
    '@penguin-ai/telemetry'
  )
  const telemetry = await createTelemetry({
    serviceVersion: version(),
    memorySpans: path !== undefined,
    prometheus: false,
    captureContent: captureContentFromEnv() || (path !== undefined && !otlpRequested()),
  })
  const stop = instrumentEngine(engine, telemetry, {
    ...(sessionId ? { attributes: { 'gen_ai.conversation.id': sessionId } } : {}),
  })
  return {
    async finish(warn) {
      stop()
      const spans = path ? telemetry.spans() : []
      await telemetry.shutdown()
      if (!path) return
      try {
        await writeFile(path, `${JSON.stringify(spans, null, 2)}\n`)
      } catch (error) {
        warn(
          `penguin: cannot write the trace to ${path}: ${error instanceof Error ? error.message : error}\n`,
        )
      }
    },
  }
}
