/**
 * A push-based async iterable with a final result: the producer calls `push`, then `end` or
 * `fail`; one consumer iterates and/or awaits `result()`. Events are buffered, so the producer
 * never waits for the consumer.
 */
export class EventStream<T, R> implements AsyncIterable<T> {
  private readonly queue: T[] = []
  private waiting: ((result: IteratorResult<T>) => void) | undefined
  private closed = false
  private readonly resultPromise: Promise<R>
  private resolveResult!: (value: R) => void
  private rejectResult!: (error: unknown) => void
  private readonly onCancel: (() => void) | undefined

  /** `onCancel` runs when the consumer stops iterating before the end (a `break`), to stop the producer. */
  constructor(onCancel?: () => void) {
    this.onCancel = onCancel
    this.resultPromise = new Promise<R>((resolve, reject) => {
      this.resolveResult = resolve
      this.rejectResult = reject
    })
    // A failure nobody asked about must not become an unhandled rejection.
    this.resultPromise.catch(() => {})
  }

  push(event: T): void {
    if (this.closed) return
    const waiting = this.waiting
    if (waiting) {
      this.waiting = undefined
      waiting({ value: event, done: false })
    } else {
      this.queue.push(event)
    }
  }

  end(result: R): void {
    if (this.close()) this.resolveResult(result)
  }

  fail(error: unknown): void {
    if (this.close()) this.rejectResult(error)
  }

  result(): Promise<R> {
    return this.resultPromise
  }

  [Symbol.asyncIterator](): AsyncIterator<T> {
    return {
      next: () => {
        // Checked by length, not by `shift() !== undefined`, so T may itself include undefined.
        if (this.queue.length > 0) return Promise.resolve({ value: this.queue.shift() as T, done: false })
        if (this.closed) return Promise.resolve({ value: undefined, done: true })
        return new Promise((resolve) => {
          this.waiting = resolve
        })
      },
      return: () => {
        if (!this.closed) this.onCancel?.()
        this.queue.length = 0
        return Promise.resolve({ value: undefined, done: true })
      },
    }
  }

  /** Marks the stream finished and releases a waiting consumer; false when already finished. */
  private close(): boolean {
    if (this.closed) return false
    this.closed = true
    const waiting = this.waiting
    this.waiting = undefined
    waiting?.({ value: undefined, done: true })
    return true
  }
}
