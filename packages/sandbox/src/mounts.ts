/**
 * The sandbox's view of the filesystem, as a plan (gathered from the disk) and as bubblewrap's
 * arguments (a pure function of the plan). Later mounts cover earlier ones, so the order is the
 * policy: everything read-only, then a private /tmp, then the roots (writable or not), then what must
 * stay read-only inside them, then the secrets hidden on top of all.
 */
import { lstat, realpath, stat } from 'node:fs/promises'
import { isAbsolute, relative } from 'node:path'
import { type Protection, protectRoot } from './protect.js'

/** Where the proxy's socket directory appears inside the sandbox. */
export const PROXY_MOUNT = '/tmp/.penguin-proxy'

export interface MountPlan {
  writableRoots: boolean
  /** Host directory mounted as /tmp. */
  tmp: string
  /** An empty host directory, mounted read-only where a protected directory is missing. */
  empty: string
  roots: string[]
  /** Directories writable whatever the mode (bound after the roots and their protections). */
  writable: string[]
  protection: Protection
  hiddenDirs: string[]
  hiddenFiles: string[]
  network: 'none' | 'host' | 'proxy'
  /** Host directory holding the proxy's socket (network `proxy`). */
  proxyDir?: string
}

export interface CommandSpec {
  argv: string[]
  cwd: string
  /** Start a new session (setsid) so the command cannot reach the caller's terminal. */
  newSession: boolean
}

/** bubblewrap's arguments for one command. Pure. */
export function bwrapArguments(plan: MountPlan, command: CommandSpec): string[] {
  const args = ['--die-with-parent', '--unshare-pid', '--unshare-ipc', '--unshare-uts']
  if (plan.network !== 'host') args.push('--unshare-net')
  if (command.newSession) args.push('--new-session')
  // Without a user namespace (Penguin running as root) bubblewrap would keep every capability.
  args.push('--cap-drop', 'ALL')
  args.push('--ro-bind', '/', '/', '--dev', '/dev', '--proc', '/proc', '--bind', plan.tmp, '/tmp')
  for (const root of plan.roots) args.push(plan.writableRoots ? '--bind' : '--ro-bind', root, root)
  if (plan.writableRoots) {
    for (const dir of plan.protection.writable) args.push('--bind', dir, dir)
    for (const dir of plan.protection.pinned) args.push('--bind', dir, dir)
    for (const path of plan.protection.readOnly) args.push('--ro-bind', path, path)
    for (const path of plan.protection.missing) args.push('--ro-bind', plan.empty, path)
  }
  for (const dir of plan.writable) args.push('--bind', dir, dir)
  if (plan.network === 'proxy' && plan.proxyDir) args.push('--ro-bind', plan.proxyDir, PROXY_MOUNT)
  for (const dir of plan.hiddenDirs) args.push('--tmpfs', dir, '--remount-ro', dir)
  for (const file of plan.hiddenFiles) args.push('--ro-bind', '/dev/null', file)
  args.push('--chdir', command.cwd, '--', ...command.argv)
  return args
}

export interface PlanInput {
  writableRoots: boolean
  roots: string[]
  writable?: string[]
  tmp: string
  empty: string
  network: MountPlan['network']
  proxyDir?: string
  /** Absolute paths to hide; missing ones are skipped. */
  hide: string[]
}

/** Reads what the plan depends on from the disk: protected entries, which secrets exist and what they are. */
export async function planMounts(input: PlanInput): Promise<MountPlan> {
  const protection = input.writableRoots
    ? mergeProtections(await Promise.all(input.roots.map((root) => protectRoot(root))))
    : { writable: [], pinned: [], readOnly: [], missing: [] }
  // A missing directory under a read-only one cannot get a mount point (and needs none).
  protection.missing = protection.missing.filter(
    (path) => !protection.readOnly.some((dir) => isInside(path, dir)),
  )
  const { dirs, files } = await hiddenEntries(input.hide, input.roots)
  return {
    writableRoots: input.writableRoots,
    tmp: input.tmp,
    empty: input.empty,
    roots: input.roots,
    writable: input.writable ?? [],
    protection,
    hiddenDirs: dirs,
    hiddenFiles: files,
    network: input.network,
    ...(input.proxyDir ? { proxyDir: input.proxyDir } : {}),
  }
}

function mergeProtections(list: Protection[]): Protection {
  const unique = (paths: string[]) => [...new Set(paths)]
  return {
    writable: unique(list.flatMap((item) => item.writable)),
    pinned: unique(list.flatMap((item) => item.pinned)),
    readOnly: unique(list.flatMap((item) => item.readOnly)),
    missing: unique(list.flatMap((item) => item.missing)),
  }
}

/**
 * The existing paths to hide, by their real paths (a link is hidden where it leads), split into
 * directories and files. Skipped: paths the sandbox does not show anyway (the host's /tmp outside the
 * roots), paths inside another hidden directory, and a directory holding a root (hiding it would
 * hide the workspace).
 */
async function hiddenEntries(
  candidates: string[],
  roots: string[],
): Promise<{ dirs: string[]; files: string[] }> {
  const resolved = await Promise.all(
    candidates.map(async (path) => {
      try {
        await lstat(path)
        const real = await realpath(path)
        return { path: real, dir: (await stat(real)).isDirectory() }
      } catch {
        return undefined
      }
    }),
  )
  const entries = [...new Map(resolved.filter((e) => e !== undefined).map((e) => [e.path, e])).values()]
    .filter(({ path }) => visible(path, roots))
    .filter(({ path, dir }) => !(dir && roots.some((root) => isInside(root, path))))
    .sort((a, b) => a.path.length - b.path.length)
  const dirs: string[] = []
  const files: string[] = []
  for (const entry of entries) {
    if (dirs.some((dir) => isInside(entry.path, dir))) continue
    ;(entry.dir ? dirs : files).push(entry.path)
  }
  return { dirs, files }
}

/** Whether the sandbox shows the host's `path` (its /tmp, /dev and /proc are its own). */
function visible(path: string, roots: string[]): boolean {
  if (roots.some((root) => isInside(path, root))) return true
  return !['/tmp', '/dev', '/proc'].some((dir) => isInside(path, dir))
}

export function isInside(path: string, dir: string): boolean {
  const rel = relative(dir, path)
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel))
}
