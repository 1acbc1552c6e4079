import { type RedactText, secretRedactor } from '@penguin-ai/sessions'
import type { ServerDeps } from '../deps.js'

/**
 * How runs redact what they store: the server's own redactor when it has one (`serve()`), else the
 * secrets of its environment and of this process.
 */
export function storedTextRedactor(deps: Pick<ServerDeps, 'env' | 'redact'>): RedactText {
  return deps.redact ?? secretRedactor({ ...process.env, ...deps.env })
}
