import type { EngineEvent } from '@penguin-ai/engine'

/** `--json`: one engine event per line, exactly as the engine emitted it. */
export function createJsonRenderer(write: (text: string) => void): (event: EngineEvent) => void {
  return (event) => write(`${JSON.stringify(event)}\n`)
}
