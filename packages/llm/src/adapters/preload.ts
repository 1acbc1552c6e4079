/**
 * Loads an adapter's SDK and Node's fetch implementation (undici, loaded by Node on first use of
 * `Headers`/`fetch`) before the first request needs them. Start-up work that waits on child
 * processes or files can then overlap with the loading. Failures are left for the request to report.
 */
export async function preloadSdk(load: () => Promise<unknown>): Promise<void> {
  try {
    await load()
    // Reading the global is what makes Node load undici; the value itself is not needed.
    void globalThis.Headers
  } catch {
    // The request will import the SDK again and report what is wrong there.
  }
}
