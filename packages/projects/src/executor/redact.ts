import { createRedactor } from '@penguin-ai/telemetry/redact'
import type { RunProjectOptions } from './types.js'

/** What a run stores passes through this: see `RunProjectOptions.redact`. */
export function storedText(options: Pick<RunProjectOptions, 'redact'>): (text: string) => string {
  return options.redact ?? createRedactor({ env: process.env }).text
}
