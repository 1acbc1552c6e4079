import type { Gate } from './types.js'

/** A promise the test opens by hand, to hold a scripted response until something has happened. */
export function createGate(): Gate {
  let open = () => {}
  const promise = new Promise<void>((resolve) => {
    open = resolve
  })
  return { promise, open: () => open() }
}
