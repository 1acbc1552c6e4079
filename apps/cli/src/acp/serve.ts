import { Readable, Writable } from 'node:stream'
import * as acp from '@agentclientprotocol/sdk'
import type { AgentFlags } from '../args.js'
import { PenguinAcpAgent } from './agent.js'

/** Speaks ACP on stdin/stdout until the client closes the stream (or a signal ends the process). */
export async function serveAcp(flags: AgentFlags): Promise<void> {
  const log = (line: string) => process.stderr.write(`penguin: ${line}\n`)
  const stream = acp.ndJsonStream(
    Writable.toWeb(process.stdout) as WritableStream<Uint8Array>,
    Readable.toWeb(process.stdin) as ReadableStream<Uint8Array>,
  )
  let agent: PenguinAcpAgent | undefined
  const connection = new acp.AgentSideConnection((conn) => {
    agent = new PenguinAcpAgent(conn, flags, log)
    return agent
  }, stream)
  const stop = () => connection.signal.aborted || process.stdin.destroy()
  process.once('SIGTERM', stop)
  process.once('SIGINT', stop)
  try {
    await connection.closed
  } finally {
    process.off('SIGTERM', stop)
    process.off('SIGINT', stop)
    await agent?.close()
  }
}
