import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { describe, expect, it } from 'vitest'
import { ProcessGroups, type ProcessSystem } from '../src/process-groups.js'

/**
 * A pretend machine: pids with start times, and process groups with members, so that pid reuse can
 * be played out (a real machine reuses a pid only after going round pid_max).
 */
function fakeSystem() {
  const processes = new Map<number, string>()
  const groups = new Map<number, Set<number>>()
  const signalled: number[] = []
  let clock = 0
  const system: ProcessSystem = {
    kill(pid, signal) {
      const alive = pid < 0 ? (groups.get(-pid)?.size ?? 0) > 0 : processes.has(pid)
      if (!alive) throw Object.assign(new Error('kill ESRCH'), { code: 'ESRCH' })
      if (signal !== 0) signalled.push(pid)
    },
    startTime: (pid) => processes.get(pid) ?? null,
  }
  return {
    system,
    signalled,
    /** A process, leading a new group when `group` is true, else joining group `group`. */
    start(pid: number, group: true | number) {
      processes.set(pid, String(++clock))
      const id = group === true ? pid : group
      if (!groups.has(id)) groups.set(id, new Set())
      groups.get(id)?.add(pid)
    },
    exit(pid: number) {
      processes.delete(pid)
      for (const members of groups.values()) members.delete(pid)
    },
  }
}

function withExitHook(system: ProcessSystem) {
  let atExit: () => void = () => {}
  const groups = new ProcessGroups(system, (listener) => {
    atExit = listener
  })
  return { groups, exit: () => atExit() }
}

describe('process groups killed when Penguin exits', () => {
  it('never signals a group whose number another process has taken since (pid reuse)', () => {
    const machine = fakeSystem()
    const { groups, exit } = withExitHook(machine.system)
    machine.start(100, true)
    groups.track(100)
    machine.exit(100)
    // The number goes round pid_max and comes back as another program's group leader.
    machine.start(100, true)
    machine.start(101, 100)
    exit()
    expect(machine.signalled).toEqual([])
  })

  it('signals the groups still ours: the leader we started, or members left after it exited', () => {
    const machine = fakeSystem()
    const { groups, exit } = withExitHook(machine.system)
    machine.start(200, true)
    groups.track(200)
    machine.start(300, true)
    machine.start(301, 300)
    groups.track(300)
    // The leader exits; its background process keeps the group (and so its number) alive.
    machine.exit(300)
    exit()
    expect(machine.signalled).toEqual([-200, -300])
  })

  it('forgets a reused number before signalling on request, and says so', () => {
    const machine = fakeSystem()
    const { groups } = withExitHook(machine.system)
    machine.start(400, true)
    groups.track(400)
    expect(groups.signal(400, 'SIGTERM')).toBe(true)
    machine.exit(400)
    machine.start(400, true)
    expect(groups.signal(400, 'SIGKILL')).toBe(false)
    expect(groups.signalAll('SIGKILL')).toBe(0)
    expect(machine.signalled).toEqual([-400])
  })

  it('a tracked child whose pid another process has taken is left alone', () => {
    const machine = fakeSystem()
    const { groups, exit } = withExitHook(machine.system)
    machine.start(500, 1)
    groups.trackChild(500)
    machine.start(600, 1)
    groups.trackChild(600)
    machine.exit(500)
    machine.start(500, 1)
    exit()
    expect(machine.signalled).toEqual([600])
  })

  it('without start times (no /proc) the number alone is trusted, as before', () => {
    const machine = fakeSystem()
    const blind: ProcessSystem = { kill: machine.system.kill, startTime: () => undefined }
    const { groups, exit } = withExitHook(blind)
    machine.start(700, true)
    groups.track(700)
    exit()
    expect(machine.signalled).toEqual([-700])
  })

  it('on this machine: kills a real group it started', async () => {
    const real = new ProcessGroups(undefined, () => {})
    const child = spawn('sleep', ['60'], { detached: true, stdio: 'ignore' })
    const exited = once(child, 'exit')
    real.track(child.pid as number)
    expect(real.signalAll('SIGKILL')).toBe(1)
    const [, signal] = await exited
    expect(signal).toBe('SIGKILL')
    expect(real.signalAll('SIGKILL')).toBe(0)
  })
})
