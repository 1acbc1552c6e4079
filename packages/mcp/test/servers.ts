/** Real MCP servers from npm for the tests: server-everything over stdio and streamable HTTP. */
import { type ChildProcess, spawn } from 'node:child_process'
import { once } from 'node:events'
import { fileURLToPath } from 'node:url'
import { freePort } from '@penguin-ai/testkit'

export const EVERYTHING = fileURLToPath(
  new URL('../node_modules/@modelcontextprotocol/server-everything/dist/index.js', import.meta.url),
)
export const FILESYSTEM = fileURLToPath(
  new URL('../node_modules/@modelcontextprotocol/server-filesystem/dist/index.js', import.meta.url),
)

export function baseEnv(): Record<string, string> {
  return { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' }
}

/** server-everything's streamable HTTP (or SSE) transport on a free port, once it is listening. */
export async function everythingOverHttp(
  transport: 'streamableHttp' | 'sse' = 'streamableHttp',
): Promise<{ url: string; close(): Promise<void> }> {
  const port = await freePort()
  const child: ChildProcess = spawn(process.execPath, [EVERYTHING, transport], {
    env: { ...baseEnv(), PORT: String(port) },
    stdio: ['ignore', 'ignore', 'pipe'],
  })
  let output = ''
  await new Promise<void>((resolve, reject) => {
    child.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString()
      if (/listening on port|running on port/.test(output)) resolve()
    })
    child.once('exit', (code) => reject(new Error(`server-everything exited (${code}): ${output}`)))
  })
  return {
    url: `http://127.0.0.1:${port}/${transport === 'sse' ? 'sse' : 'mcp'}`,
    async close() {
      if (child.exitCode !== null || child.signalCode !== null) return
      const exited = once(child, 'exit')
      child.kill('SIGKILL')
      await exited
    },
  }
}
