import type { EngineEvent } from '@penguin-ai/engine'

/**
 * `--json`: one engine event per line, exactly as the engine emitted it — except live command output
 * (`tool.output`), which only the terminal shows: `tool.finished` carries all of it.
 */
export function createJsonRenderer(write: (text: string) => void): (event: EngineEvent) => void {
  return (event) => {
    if (event.type !== 'tool.output') write(`${JSON.stringify(event)}\n`)
  }
}
