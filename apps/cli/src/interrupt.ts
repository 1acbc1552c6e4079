import { killProcessTrees } from '@penguin-ai/tools'
import { EXIT } from './cli-error.js'

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
