#!/usr/bin/env node
/**
 * `mock-llm --script turns.json [--port N] [--host H] [--api-key K] [--models a,b]`
 * Starts the mock server and prints its base URL as one line on stdout, so a shell script or a
 * parent process can read it and point a client at it. Runs until SIGINT/SIGTERM.
 */
import { optionsFromArgs, USAGE } from './cli-args.js'
import { startMockServer } from './server.js'

async function main(argv: string[]): Promise<void> {
  const options = await optionsFromArgs(argv)
  if (!options) {
    process.stdout.write(`${USAGE}\n`)
    return
  }
  const server = await startMockServer(options)
  process.stdout.write(`${server.url}\n`)
  const stop = () => {
    void server.close().then(() => process.exit(0))
  }
  process.once('SIGINT', stop)
  process.once('SIGTERM', stop)
}

main(process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(`mock-llm: ${error instanceof Error ? error.message : String(error)}\n${USAGE}\n`)
  process.exit(1)
})
