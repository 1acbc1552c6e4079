/**
 * One attempt's cancellation: follows the caller's AbortSignal and adds an inactivity timeout that
 * every sign of life (`touch`) re-arms, so it bounds both the wait for the first byte and the gaps
 * between chunks — a total-duration timeout would kill long but healthy answers.
 */
export class AttemptSignal {
  private readonly controller = new AbortController()
  private timer: NodeJS.Timeout | undefined
  private firedTimeout = false
  private readonly onParentAbort = () => this.controller.abort()

  constructor(
    private readonly timeoutMs: number,
    private readonly parent: AbortSignal | undefined,
  ) {
    if (parent?.aborted) this.controller.abort()
    else parent?.addEventListener('abort', this.onParentAbort, { once: true })
    this.touch()
  }

  get signal(): AbortSignal {
    return this.controller.signal
  }

  /** Why the attempt was cancelled, if it was: the caller aborted, or it went quiet too long. */
  get reason(): 'aborted' | 'timeout' | undefined {
    if (this.parent?.aborted) return 'aborted'
    return this.firedTimeout ? 'timeout' : undefined
  }

  touch(): void {
    clearTimeout(this.timer)
    if (this.controller.signal.aborted) return
    this.timer = setTimeout(() => {
      this.firedTimeout = true
      this.controller.abort()
    }, this.timeoutMs)
  }

  /** Stops the timer and cancels whatever is still in flight (a consumer that stopped early). */
  dispose(): void {
    clearTimeout(this.timer)
    this.parent?.removeEventListener('abort', this.onParentAbort)
    this.controller.abort()
  }
}
