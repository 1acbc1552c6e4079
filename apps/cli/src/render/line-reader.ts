import { createInterface, type Interface } from 'node:readline'

/**
 * One reader for everything typed at the terminal — chat prompts and permission questions alike —
 * so the two never fight over stdin.
 */
export class LineReader {
  private readonly rl: Interface
  private readonly queue: string[] = []
  private waiting: ((line: string | undefined) => void) | undefined
  private closed = false

  constructor(input: NodeJS.ReadableStream, output: NodeJS.WritableStream, terminal: boolean) {
    this.rl = createInterface({ input, output, terminal })
    this.rl.on('line', (line) => {
      if (this.waiting) {
        const resolve = this.waiting
        this.waiting = undefined
        resolve(line)
      } else {
        this.queue.push(line)
      }
    })
    this.rl.on('close', () => {
      this.closed = true
      this.waiting?.(undefined)
      this.waiting = undefined
    })
  }

  /** Ctrl-C at the terminal: readline swallows SIGINT while it owns the terminal. */
  onInterrupt(handler: () => void): () => void {
    this.rl.on('SIGINT', handler)
    return () => this.rl.off('SIGINT', handler)
  }

  /** The next line, or undefined at end of input. */
  read(prompt = ''): Promise<string | undefined> {
    const queued = this.queue.shift()
    if (queued !== undefined) return Promise.resolve(queued)
    if (this.closed) return Promise.resolve(undefined)
    this.rl.setPrompt(prompt)
    this.rl.prompt()
    return new Promise((resolve) => {
      this.waiting = resolve
    })
  }

  /** Gives up a pending read (e.g. a permission question whose run was aborted). */
  cancelPending(): void {
    this.waiting?.(undefined)
    this.waiting = undefined
  }

  close(): void {
    this.rl.close()
  }
}
