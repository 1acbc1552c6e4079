/**
 * A real MCP server from npm (`@modelcontextprotocol/server-everything`) for CLI tests: its entry
 * file for stdio, or a running streamable-HTTP instance on a free loopback port.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { once } from 'node:events'
import { fileURLToPath } from 'node:url'
import { freePort } from '@penguin-ai/testkit'

export const EVERYTHING = fileURLToPath(
  new URL('../node_modules/@modelcontextprotocol/server-everything/dist/index.js', import.meta.url),
)

/** Starts server-everything over streamable HTTP; resolves once it listens. */
export async function everythingOverHttp(): Promise<{ url: string; stop(): Promise<void> }> {
  const port = await freePort()
  const child: ChildProcess = spawn(process.execPath, [EVERYTHING, 'streamableHttp'], {
    env: { PATH: process.env.PATH ?? '', PORT: String(port) },
    stdio: ['ignore', 'ignore', 'pipe'],
  })
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return
    const exited = once(child, 'exit')
    child.kill('SIGKILL')
    await exited
  }
  let output = ''
  try {
    await new Promise<void>((resolve, reject) => {
      child.stderr?.on('data', (chunk: Buffer) => {
        output += chunk.toString()
        if (output.includes('listening on port')) resolve()
      })
      child.once('exit', (code) => reject(new Error(`server-everything exited (${code}): ${output}`)))
    })
  } catch (error) {
    await stop()
    throw error
  }
  return { url: `http://127.0.0.1:${port}/mcp`, stop }
}
