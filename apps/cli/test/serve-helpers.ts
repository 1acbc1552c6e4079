/**
 * `penguin serve` in a test (cli-serve, cli-serve-postgres, the GitHub webhook tests): started
 * on port 0, driven once it says where it listens, stopped by the driver.
 */
import type { ChildProcess } from 'node:child_process'
import { type CliResult, runPenguin, type SpawnOptions } from './cli-helpers.js'

/**
 * Runs `penguin …args` and calls `drive(url, child)` once it prints `listening on URL`; the driver
 * ends the server (e.g. `child.kill('SIGTERM')`). A driver that throws kills it (SIGKILL) and its
 * error is thrown here, after the process is gone.
 */
export async function runServing(
  args: string[],
  options: Omit<SpawnOptions, 'onStdout'>,
  drive: (url: string, child: ChildProcess) => Promise<void>,
): Promise<CliResult> {
  let failure: unknown
  let started = false
  const result = await runPenguin(args, {
    ...options,
    onStdout: (chunk, child) => {
      const url = chunk.match(/listening on (http:\/\/\S+)/)?.[1]
      if (!url || started) return
      started = true
      drive(url, child).catch((error: unknown) => {
        failure = error
        child.kill('SIGKILL')
      })
    },
  })
  if (failure) throw failure
  return result
}
