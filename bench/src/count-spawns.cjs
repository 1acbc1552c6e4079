// Preloaded (`node --require`) into the processes bench:scale and bench:parallel start: counts the
// child processes this process starts (every `child_process` API goes through ChildProcess#spawn)
// and keeps the count in the file PENGUIN_BENCH_SPAWNS_FILE names, rewritten after each spawn, so
// the bench can read it between rounds while the process runs. Starting a child from a big Node
// process is one of a run's costs (the fork copies its page tables), which is why the bench counts
// them. Its worker threads (which preload this too) count theirs into `<file>.thread-<id>`.
const { ChildProcess } = require('node:child_process')
const { writeFileSync } = require('node:fs')
const { isMainThread, threadId } = require('node:worker_threads')

const OWNER = 'PENGUIN_BENCH_SPAWNS_OWNER'
let file = process.env.PENGUIN_BENCH_SPAWNS_FILE
if (file) {
  // Children of this process (git, …) must not count into this file; its threads (same pid) do.
  delete process.env.PENGUIN_BENCH_SPAWNS_FILE
  process.env[OWNER] = `${process.pid}:${file}`
} else if (!isMainThread && process.env[OWNER]?.startsWith(`${process.pid}:`)) {
  file = `${process.env[OWNER].slice(`${process.pid}:`.length)}.thread-${threadId}`
}
if (file) {
  let spawned = 0
  const spawn = ChildProcess.prototype.spawn
  ChildProcess.prototype.spawn = function countedSpawn(...args) {
    spawned++
    writeFileSync(file, String(spawned))
    return spawn.apply(this, args)
  }
  writeFileSync(file, '0')
}
