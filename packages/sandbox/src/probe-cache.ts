/**
 * The sandbox probe's answer, remembered per user until the next boot: the probe spawns bubblewrap
 * twice, which every `penguin run` would otherwise pay before its first request. Only a working
 * sandbox is remembered, under a key of everything that could change the answer — the bwrap binary
 * (path, inode, size, mtime), the user, the boot, and the kernel's user-namespace switches — so a
 * changed machine is probed again. A stale "works" cannot open anything up: commands then fail to
 * start in bubblewrap, they never run unsandboxed.
 */
import { createHash } from 'node:crypto'
import { lstat, mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { SandboxSupport } from './types.js'

type Available = Extract<SandboxSupport, { available: true }>

/** Kernel switches that decide whether unprivileged user namespaces work. */
const SWITCHES = [
  '/proc/sys/kernel/random/boot_id',
  '/proc/sys/kernel/unprivileged_userns_clone',
  '/proc/sys/user/max_user_namespaces',
  '/proc/sys/kernel/apparmor_restrict_unprivileged_userns',
]

const FILE = 'sandbox-probe.json'

/**
 * A private directory of this user's: `$XDG_RUNTIME_DIR/penguin` (a per-user tmpfs), else
 * `<tmpdir>/penguin-<uid>`; used only if it is a real directory owned by this user that nobody else
 * can write or read.
 */
async function cacheDir(env: NodeJS.ProcessEnv): Promise<string | undefined> {
  const uid = process.getuid?.()
  if (uid === undefined) return undefined
  const runtime = env.XDG_RUNTIME_DIR?.trim()
  const dir = runtime ? join(runtime, 'penguin') : join(tmpdir(), `penguin-${uid}`)
  await mkdir(dir, { recursive: true, mode: 0o700 }).catch(() => undefined)
  const info = await lstat(dir).catch(() => undefined)
  if (!info?.isDirectory() || info.uid !== uid || (info.mode & 0o077) !== 0) return undefined
  return dir
}

/** Everything the answer depends on, hashed; undefined when bwrap cannot be looked at. */
async function probeKey(bwrap: string): Promise<string | undefined> {
  const binary = await stat(bwrap).catch(() => undefined)
  if (!binary) return undefined
  const switches = await Promise.all(SWITCHES.map((file) => readFile(file, 'utf8').catch(() => '-')))
  const facts = [
    bwrap,
    binary.ino,
    binary.size,
    binary.mtimeMs,
    process.getuid?.(),
    ...switches.map((s) => s.trim()),
  ]
  return createHash('sha256').update(JSON.stringify(facts)).digest('hex')
}

/** The remembered answer for this bwrap, if the machine is still as it was when it was probed. */
export async function rememberedSupport(
  bwrap: string,
  env: NodeJS.ProcessEnv,
): Promise<Available | undefined> {
  try {
    const [dir, key] = await Promise.all([cacheDir(env), probeKey(bwrap)])
    if (!dir || !key) return undefined
    const saved = JSON.parse(await readFile(join(dir, FILE), 'utf8')) as { key?: unknown; version?: unknown }
    if (saved.key !== key || typeof saved.version !== 'string') return undefined
    return { available: true, platform: process.platform, bwrap, version: saved.version }
  } catch {
    return undefined
  }
}

/** Remembers a working sandbox (best effort: a failure to write only means probing next time). */
export async function rememberSupport(support: Available, env: NodeJS.ProcessEnv): Promise<void> {
  try {
    const [dir, key] = await Promise.all([cacheDir(env), probeKey(support.bwrap)])
    if (!dir || !key) return
    const temp = join(dir, `${FILE}.${process.pid}.tmp`)
    await writeFile(temp, JSON.stringify({ key, version: support.version }), { mode: 0o600 })
    await rename(temp, join(dir, FILE))
  } catch {}
}
