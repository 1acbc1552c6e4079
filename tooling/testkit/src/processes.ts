import { readdirSync, readFileSync } from 'node:fs'

/**
 * Alive and not a zombie: a reparented child may linger as one until init reaps it, and it still
 * answers `kill(pid, 0)`. (Linux: reads /proc/PID/stat.)
 */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
  } catch {
    return false
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z'
  } catch {
    return true
  }
}

/** The pids of the processes whose command line contains `marker` (Linux: reads /proc). */
export function pidsWith(marker: string): number[] {
  const pids: number[] = []
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    try {
      if (readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(marker)) pids.push(Number(entry))
    } catch {}
  }
  return pids
}
