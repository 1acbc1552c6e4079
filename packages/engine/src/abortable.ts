/**
 * Work the run waits for, or `'aborted'` as soon as the run is aborted: a cancelled run ends now,
 * whatever it was waiting for (the work itself is left to finish unobserved; its errors are dropped
 * only once nobody waits for it any more).
 */
export function unlessAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T | 'aborted'> {
  if (signal.aborted) {
    work.catch(() => {})
    return Promise.resolve('aborted')
  }
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      work.catch(() => {})
      resolve('aborted')
    }
    signal.addEventListener('abort', onAbort, { once: true })
    work.then(
      (value) => {
        signal.removeEventListener('abort', onAbort)
        resolve(value)
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort)
        reject(error)
      },
    )
  })
}
