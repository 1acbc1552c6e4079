/**
 * The telemetry `serve()` creates for itself. The SDK loads in `createTelemetry`, so `createApp`
 * used alone (tests, embedders) never loads it.
 */
import { createTelemetry, type Redactor, type Telemetry } from '@penguin-ai/telemetry'
import { SERVER_VERSION } from './version.js'

/** Prometheus text for `/metrics` always; OTLP when the standard `OTEL_*` variables of `env` say where. */
export function openTelemetry(
  env: Record<string, string | undefined>,
  redactor: Redactor,
): Promise<Telemetry> {
  return createTelemetry({
    // OTEL_SERVICE_NAME wins, as operators expect of any OpenTelemetry service.
    serviceName: env.OTEL_SERVICE_NAME?.trim() || 'penguin-server',
    serviceVersion: SERVER_VERSION,
    env,
    redactor,
  })
}
