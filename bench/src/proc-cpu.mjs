// CPU time of processes from Linux's /proc/<pid>/stat, for bench:scale's "CPU per run": a process's
// own user+system time and, separately, that of its children it has waited for (a worker's git,
// a PostgreSQL server's exited backends).
import { readdirSync, readFileSync } from 'node:fs'

/** Clock ticks per second of /proc/<pid>/stat's times (USER_HZ): 100 on every Linux Node runs on. */
const TICKS_PER_SECOND = 100

/** `{ own, children }` CPU milliseconds of `pid` so far; undefined once it is gone (or without /proc). */
export function processCpu(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    // Fields after the command name (which may hold spaces) in parentheses: state is field 3.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    const [utime, stime, cutime, cstime] = fields.slice(11, 15).map(Number)
    const ms = (ticks) => (ticks * 1000) / TICKS_PER_SECOND
    return { own: ms(utime + stime), children: ms(cutime + cstime), ppid: Number(fields[1]) }
  } catch {
    return undefined
  }
}

/** CPU milliseconds of `pid` and every process it started (running ones and those it waited for). */
export function treeCpu(pid) {
  const root = processCpu(pid)
  if (!root) return undefined
  return root.own + root.children + runningChildrenCpu(pid)
}

/**
 * `processCpu(pid)`, with `children` also counting the children still running (their own CPU and
 * their waited-for children's): a worker's long-lived checkpoint shells run its git commands.
 */
export function processTreeCpu(pid) {
  const root = processCpu(pid)
  if (!root) return undefined
  return { ...root, children: root.children + runningChildrenCpu(pid) }
}

/** Own and waited-for children's CPU ms of the processes running whose parent is `pid`. */
function runningChildrenCpu(pid) {
  let total = 0
  // One level is enough: PostgreSQL's backends are direct children of the postmaster, a worker's
  // shells reap the git commands they run.
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === pid) continue
    const cpu = processCpu(Number(entry))
    if (cpu && cpu.ppid === pid) total += cpu.own + cpu.children
  }
  return total
}
