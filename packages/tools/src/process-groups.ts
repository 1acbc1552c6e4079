import { readFileSync } from 'node:fs'

/**
 * The process groups (and plain child processes) this process started that must not outlive it,
 * and a guard against signalling someone else's.
 *
 * A group is remembered by its leader's pid, and pids are reused: on Linux pid_max is often 32768,
 * and a busy machine (a test suite, a build) goes round it in minutes. A group whose members have
 * all exited frees its number; a new process can take it and lead a group of its own (every task a
 * build tool starts, every detached command). Signalling the old number then kills a stranger's
 * whole group. So each group is remembered with its leader's start time (from /proc) and signalled
 * only while the number is still ours: the leader we started is alive (same start time), or no
 * process holds that pid (the leader exited; a group with members left keeps its number reserved,
 * so those members are ours). Where /proc cannot be read, the number alone is trusted.
 */

/** What the guard needs from the system; tests give a fake one to play pid reuse out. */
export interface ProcessSystem {
  /** `process.kill`: throws when there is no such process or group. */
  kill(pid: number, signal: NodeJS.Signals | 0): void
  /**
   * The start time of the process with this pid (any string that differs between two processes
   * that held the same pid), `null` when no process has it, `undefined` when it cannot be known.
   */
  startTime(pid: number): string | null | undefined
}

/** The start time in clock ticks since boot (field 22 of /proc/<pid>/stat). */
function procStartTime(pid: number): string | null | undefined {
  let stat: string
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    // No such entry: no process has this pid (where /proc is mounted at all).
    return code === 'ENOENT' && procMounted() ? null : undefined
  }
  // The command name (field 2) is in parentheses and may hold spaces: count from the last `)`.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  return fields[19]
}

let mounted: boolean | undefined
function procMounted(): boolean {
  if (mounted === undefined) {
    try {
      readFileSync('/proc/self/stat')
      mounted = true
    } catch {
      mounted = false
    }
  }
  return mounted
}

const realSystem: ProcessSystem = {
  kill: (pid, signal) => {
    process.kill(pid, signal)
  },
  startTime: procStartTime,
}

export class ProcessGroups {
  /** Leader pid → the leader's start time when it was tracked (undefined: unknown). */
  private readonly groups = new Map<number, string | null | undefined>()
  private readonly children = new Map<number, string | null | undefined>()
  private hooked = false

  constructor(
    private readonly system: ProcessSystem = realSystem,
    private readonly onExit: (listener: () => void) => void = (listener) => process.on('exit', listener),
  ) {}

  /** Remembers the group `pid` leads (a `detached` spawn), killed when this process exits. */
  track(pid: number): void {
    this.prune()
    this.groups.set(pid, this.system.startTime(pid))
    this.hook()
  }

  /** Remembers a child that leads no group; call the returned function once it has exited. */
  trackChild(pid: number): () => void {
    this.children.set(pid, this.system.startTime(pid))
    this.hook()
    return () => {
      this.children.delete(pid)
    }
  }

  /** Signals the group `pid` leads, if the number is still ours; false when it was not signalled. */
  signal(pid: number, signal: NodeJS.Signals): boolean {
    const started = this.groups.get(pid)
    if (this.groups.has(pid) && !this.stillOurs(pid, started)) {
      this.groups.delete(pid)
      return false
    }
    try {
      this.system.kill(-pid, signal)
      return true
    } catch {
      return false
    }
  }

  /** Sends `signal` to every group still ours and alive; returns how many were signalled. */
  signalAll(signal: NodeJS.Signals): number {
    let count = 0
    for (const pid of [...this.groups.keys()]) {
      if (this.signal(pid, signal)) count++
      else this.groups.delete(pid)
    }
    return count
  }

  private hook(): void {
    if (this.hooked) return
    this.hooked = true
    this.onExit(() => {
      this.signalAll('SIGKILL')
      for (const [pid, started] of this.children) {
        // A child's pid is its own: signalled only while the process we started holds it.
        if (started !== undefined && this.system.startTime(pid) !== started) continue
        try {
          this.system.kill(pid, 'SIGKILL')
        } catch {
          // Already gone.
        }
      }
    })
  }

  /**
   * The number still names the group we started: its leader is the process we started (same start
   * time), or no process holds the pid any more (the number stays reserved while members live).
   */
  private stillOurs(pid: number, started: string | null | undefined): boolean {
    if (started === undefined) return true
    const now = this.system.startTime(pid)
    if (now === undefined) return true
    return now === null || now === started
  }

  /** Forgets groups with no member left, or whose number another process has taken. */
  private prune(): void {
    for (const [pid, started] of this.groups) {
      if (!this.stillOurs(pid, started)) {
        this.groups.delete(pid)
        continue
      }
      try {
        this.system.kill(-pid, 0)
      } catch {
        this.groups.delete(pid)
      }
    }
  }
}

const processGroups = new ProcessGroups()

/** Registers a process group started elsewhere (a `detached` spawn) with `killProcessTrees`. */
export function trackProcessGroup(pid: number): void {
  processGroups.track(pid)
}

/** Signals one group this process started (see `trackProcessGroup`) while its number is ours. */
export function signalProcessGroup(pid: number, signal: NodeJS.Signals): boolean {
  return processGroups.signal(pid, signal)
}

/**
 * Signals the process group of every command started by this process that may still be running,
 * background processes included (`SIGKILL` is also sent to all of them when this process exits).
 * Returns how many groups were signalled. The CLI calls it on SIGTERM and SIGHUP.
 */
export function killProcessTrees(signal: NodeJS.Signals = 'SIGTERM'): number {
  return processGroups.signalAll(signal)
}

/**
 * Registers a child process that is not a group leader — e.g. an MCP stdio server spawned by its
 * SDK, whose own shutdown waits on timers that an exiting CLI never fires: it is SIGKILLed when this
 * process exits, for whatever reason. Call the returned function once the child has exited, so a
 * reused pid is never signalled.
 */
export function trackChildProcess(pid: number): () => void {
  return processGroups.trackChild(pid)
}
