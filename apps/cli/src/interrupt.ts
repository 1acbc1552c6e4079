import { EXIT } from './cli-error.js'

/**
 * Ctrl-C once aborts the current run (tools kill their process trees, the run ends as
 * interrupted); twice within two seconds exits at once.
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
  return { handle, dispose: () => process.off('SIGINT', handle) }
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
