import { killProcessTrees } from '@penguin-ai/tools'
import { CliError, EXIT } from './cli-error.js'

/** How long SIGTERM / SIGHUP wait for the run to wind down before the process leaves anyway. */
const TERMINATION_GRACE_MS = 2_000

/**
 * Ctrl-C once aborts the current run (tools kill their process trees, the run ends as
 * interrupted); twice within two seconds exits at once. SIGTERM and SIGHUP (a closed terminal)
 * abort too and exit; see `onTermination`.
 */
export function onInterrupt(
  abort: () => void,
  notice: (text: string) => void,
): { dispose(): void; handle(): void } {
  let last = 0
  const handle = () => {
    const now = Date.now()
    if (now - last < 2000) {
      process.exit(EXIT.interrupted)
    }
    last = now
    notice('\n■ interrupting… (Ctrl-C again to quit)\n')
    abort()
  }
  process.on('SIGINT', handle)
  const stopTermination = onTermination(abort)
  return {
    handle,
    dispose: () => {
      process.off('SIGINT', handle)
      stopTermination()
    },
  }
}

/**
 * SIGTERM and SIGHUP: abort the run so what it did is stored, stop every command's process tree
 * (commands lead process groups of their own, so the signal never reached them), and exit with
 * 130 once `settled` resolves (by default never: the command exits by itself when its aborted run
 * returns) or after a short grace period. Whatever is still running is SIGKILLed on exit by
 * `@penguin-ai/tools`. Without this the default action killed Penguin alone and orphaned them.
 */
export function onTermination(
  abort: () => void,
  settled: () => Promise<unknown> = () => new Promise(() => {}),
): () => void {
  const terminate = () => {
    abort()
    killProcessTrees('SIGTERM')
    const leave = () => process.exit(EXIT.interrupted)
    setTimeout(leave, TERMINATION_GRACE_MS)
    settled().then(leave, leave)
  }
  process.on('SIGTERM', terminate)
  process.on('SIGHUP', terminate)
  return () => {
    process.off('SIGTERM', terminate)
    process.off('SIGHUP', terminate)
  }
}

/**
 * For a command's start-up (config, extensions, the session), before its run can be aborted: each
 * step raced against `signal`, so Ctrl-C, SIGTERM or SIGHUP then stop the command at once (exit
 * 130) rather than after start-up or not at all. What a step that lost the race still produces is
 * handed to `dispose` when it arrives.
 */
export function untilInterrupted(
  signal: AbortSignal,
  what = 'the run',
): <T>(work: Promise<T>, dispose?: (late: T) => unknown) => Promise<T> {
  return (work, dispose) =>
    new Promise((resolve, reject) => {
      let lost = false
      const stop = () => {
        lost = true
        reject(new CliError(`interrupted before ${what} started.`, EXIT.interrupted))
      }
      if (signal.aborted) stop()
      else signal.addEventListener('abort', stop, { once: true })
      work.then(
        (value) => {
          signal.removeEventListener('abort', stop)
          if (lost) void Promise.resolve(dispose?.(value)).catch(() => undefined)
          else resolve(value)
        },
        (error: unknown) => {
          signal.removeEventListener('abort', stop)
          reject(error)
        },
      )
    })
}

/**
 * A command's start-up before it installs handlers of its own (the chat's come with its prompt):
 * Ctrl-C (a signal, or the key while `reader` owns the terminal), SIGTERM and SIGHUP abort
 * `signal`, so the steps raced with `untilInterrupted` stop at once. `dispose` removes the
 * handlers; call it before the command's own take over.
 */
export function interruptStartUp(reader?: { onInterrupt(handler: () => void): () => void }): {
  signal: AbortSignal
  dispose(): void
} {
  const controller = new AbortController()
  const stop = () => controller.abort()
  for (const name of START_UP_SIGNALS) process.on(name, stop)
  const offReader = reader?.onInterrupt(stop)
  return {
    signal: controller.signal,
    dispose: () => {
      for (const name of START_UP_SIGNALS) process.off(name, stop)
      offReader?.()
    },
  }
}

const START_UP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const

export function exitCodeFor(status: string): number {
  switch (status) {
    case 'completed':
      return EXIT.ok
    case 'aborted':
      return EXIT.interrupted
    default:
      return EXIT.failed
  }
}
