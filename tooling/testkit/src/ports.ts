import { createServer } from 'node:net'

/**
 * A loopback port free right now (bound, noted, closed): for a child server that must be told its
 * port up front. Another process could take it before the child binds it; tests that can let the
 * server pick (`port: 0`) and read it back should. (llm's errors.test.ts keeps a copy: the kit
 * depends on llm, so llm cannot use it.)
 */
export async function freePort(): Promise<number> {
  const probe = createServer()
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve))
  const address = probe.address()
  await new Promise<void>((resolve) => probe.close(() => resolve()))
  if (typeof address !== 'object' || address === null) throw new Error('no port')
  return address.port
}

/** A TCP listener on loopback that answers every connection with one line and counts them. */
export interface HostListener {
  readonly port: number
  /** Connections accepted so far. */
  readonly connections: number
  /**
   * A shell command that connects to it (at `host`) and prints what it says; exits 7 with the
   * error when the connection fails — what a sandboxed command runs to try to reach the host.
   */
  connectCommand(host?: string): string
  close(): Promise<void>
}

export async function hostListener(reply = 'hello from the host\n'): Promise<HostListener> {
  let connections = 0
  const server = createServer((socket) => {
    connections++
    socket.end(reply)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  if (typeof address !== 'object' || address === null) throw new Error('no port')
  return {
    port: address.port,
    get connections() {
      return connections
    },
    connectCommand: (host = '127.0.0.1') =>
      `node -e "require('net').connect(${address.port}, '${host}').on('data', d => process.stdout.write(d)).on('error', e => { console.error(e.message); process.exit(7) })"`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}
