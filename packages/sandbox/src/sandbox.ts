import { existsSync, mkdirSync, rmSync } from 'node:fs'
import { chmod, mkdir, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { absolutePattern, expandPattern, hasGlob } from './glob.js'
import { bwrapArguments, isInside, PROXY_MOUNT, planMounts } from './mounts.js'
import { type PlaceholderJournal, placeholderJournal } from './placeholders.js'
import { checkSandbox, unavailableMessage } from './probe.js'
import { FORWARDER_SCRIPT, PROXY_PORT } from './proxy.js'
import type { FilteringProxy } from './proxy-server.js'
import { detectRefusal } from './refusal.js'
import { homeOf, penguinDataHome, secretPaths, socketPaths } from './secrets.js'
import type { CommandOutcome, SandboxedMode, SandboxNetwork, SandboxPolicy, SandboxRefusal } from './types.js'

export interface WrapOptions {
  /** Working directory (inside a root, normally). */
  cwd: string
  /** The command's environment (already without credentials). Default process.env. */
  env?: NodeJS.ProcessEnv
  /**
   * The caller spawns the command in a session of its own (`detached: true`), away from any terminal.
   * Otherwise the sandbox starts a new session, so the command cannot push input into the caller's
   * terminal.
   */
  detached?: boolean
}

/** A command made ready to spawn in the sandbox: spawn `command` with `args` and `env`. */
export interface SandboxedCommand {
  command: string
  args: string[]
  env: NodeJS.ProcessEnv
  /** What the sandbox refused this command, judged from how it ended; undefined when nothing shows. */
  refusal(outcome: CommandOutcome): SandboxRefusal | undefined
  /** Removes the mount points made for this command (empty protected directories); call after it exits. */
  release(): Promise<void>
}

/** The sandbox could not start (see `checkSandbox`); the message names the cause and the ways forward. */
export class SandboxUnavailableError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'SandboxUnavailableError'
  }
}

interface Scratch {
  dir: string
  tmp: string
  empty: string
  proxyDir: string
}

/** Private directories of every sandbox of this process, removed when the process exits. */
const scratchDirs = new Set<string>()
let cleanupHooked = false

/**
 * One sandbox policy, ready to wrap commands: each runs in bubblewrap with its own PID, IPC and
 * (unless the network is on) network namespace, no capabilities, the filesystem read-only except the
 * roots (in `workspace-write`) and a private /tmp shared by this sandbox's commands, and the secret
 * paths hidden. Nothing is created until the first command.
 */
export class Sandbox {
  readonly mode: SandboxedMode
  readonly network: SandboxNetwork
  readonly roots: readonly string[]
  private readonly env: NodeJS.ProcessEnv
  private readonly denyRead: readonly string[]
  /** Where the placeholders of missing protected entries are written down (see placeholders.ts). */
  private readonly placeholders: PlaceholderJournal
  private readonly writable: readonly string[]
  private scratch: Promise<Scratch> | undefined
  private proxy: Promise<FilteringProxy> | undefined
  private deepMatches: Promise<string[]> | undefined
  private closed = false
  /** Sandboxes made by `withAccess`, closed with this one. */
  private readonly derived: Sandbox[] = []

  constructor(policy: SandboxPolicy) {
    if (policy.roots.length === 0) throw new Error('A sandbox needs at least one root (the workspace).')
    this.mode = policy.mode
    this.network = Array.isArray(policy.network) ? [...policy.network] : policy.network
    this.roots = [...policy.roots]
    this.env = policy.env ?? process.env
    this.denyRead = [...(policy.denyRead ?? [])]
    this.placeholders = placeholderJournal(join(penguinDataHome(this.env), 'sandbox-placeholders'))
    // What a Penguin killed mid-command left behind goes now, before anything is planned.
    void this.placeholders.sweep()
    this.writable = [...(policy.writable ?? [])]
  }

  /**
   * The same policy for other roots (a project task's git worktree instead of the workspace): a new
   * sandbox with its own private /tmp, to be closed by whoever asked for it.
   */
  withRoots(roots: readonly string[]): Sandbox {
    return new Sandbox({
      mode: this.mode,
      network: this.network,
      roots,
      env: this.env,
      denyRead: this.denyRead,
      writable: this.writable,
    })
  }

  /**
   * The same policy (mode, roots, hidden paths) with another network setting and more writable
   * directories: a new sandbox with its own private /tmp, closed with this one.
   */
  withAccess(access: { network: SandboxNetwork; writable: readonly string[] }): Sandbox {
    if (this.closed) throw new Error('This sandbox was closed.')
    const sandbox = new Sandbox({
      mode: this.mode,
      network: access.network,
      roots: this.roots,
      env: this.env,
      denyRead: this.denyRead,
      writable: [...this.writable, ...access.writable],
    })
    this.derived.push(sandbox)
    return sandbox
  }

  /** `workspace-write, network off` — for headers and reports. */
  describe(): string {
    const network =
      this.network === true
        ? 'network on'
        : this.network === false || this.network.length === 0
          ? 'network off'
          : `network: ${this.network.join(', ')}`
    return `${this.mode}, ${network}`
  }

  /** What commands may do inside, as a sentence for the model and the user. */
  rules(): string {
    const writes =
      this.mode === 'workspace-write'
        ? `may write only inside the workspace${this.roots.length > 1 ? ' (and the allowed paths)' : ''} and /tmp, where .git/hooks, .git/config and the workspace root's agent configuration (.penguin/, .claude/, .opencode/, .mcp.json, opencode.json) stay read-only`
        : 'may write only /tmp'
    const network =
      this.network === true
        ? 'may use the network'
        : Array.isArray(this.network) && this.network.length
          ? `may reach only ${this.network.join(', ')}, over HTTP(S) through a proxy`
          : 'have no network'
    return `Commands run in a sandbox (${this.mode}): they ${writes}; they ${network}; credential files (~/.ssh, ~/.aws, ~/.npmrc, …) are hidden; other processes are invisible, and background processes end with the command.`
  }

  /**
   * Prepares `argv` to run in the sandbox. Throws SandboxUnavailableError when bubblewrap cannot
   * start here.
   */
  async wrap(argv: string[], options: WrapOptions): Promise<SandboxedCommand> {
    if (this.closed) throw new Error('This sandbox was closed.')
    const support = await checkSandbox()
    if (!support.available) throw new SandboxUnavailableError(unavailableMessage(support))
    const scratch = await this.ensureScratch()
    const proxied = Array.isArray(this.network) && this.network.length > 0
    const proxy = proxied ? await this.ensureProxy(scratch) : undefined
    const hide = await this.hiddenCandidates()
    await this.placeholders.sweep()
    const plan = await planMounts({
      writableRoots: this.mode === 'workspace-write',
      roots: [...this.roots],
      writable: [...this.writable],
      tmp: scratch.tmp,
      empty: scratch.empty,
      network: this.network === true ? 'host' : proxied ? 'proxy' : 'none',
      ...(proxy ? { proxyDir: scratch.proxyDir } : {}),
      hide,
    })
    const inner = proxy
      ? [process.execPath, '-e', FORWARDER_SCRIPT, String(PROXY_PORT), `${PROXY_MOUNT}/proxy.sock`, ...argv]
      : argv
    const args = bwrapArguments(plan, { argv: inner, cwd: options.cwd, newSession: !options.detached })
    const env: NodeJS.ProcessEnv = { ...(options.env ?? process.env), TMPDIR: '/tmp' }
    if (proxy) Object.assign(env, proxyEnvironment())
    // Written down before the command can create them, so that they go even if Penguin is killed.
    const placeholders = plan.writableRoots
      ? await this.placeholders.record(plan.protection.missing, plan.protection.readOnly)
      : undefined
    const started = Date.now()
    const hidden = [...new Set([...hide, ...plan.hiddenDirs, ...plan.hiddenFiles])]
    return {
      command: support.bwrap,
      args,
      env,
      refusal: (outcome) =>
        detectRefusal(outcome, {
          network: this.network,
          hidden,
          hostOnly: (path) => this.hostOnly(path),
          ...(proxy ? { blockedDomains: proxy.blockedSince(started) } : {}),
        }),
      // Only still-empty directories go: the mount points of missing protected entries.
      release: async () => placeholders?.release(),
    }
  }

  /** A path under the host's /tmp, outside the roots, that exists there (or whose folder does). */
  private hostOnly(path: string): boolean {
    if (!isInside(path, '/tmp') || path === '/tmp') return false
    if ([...this.roots, ...this.writable].some((root) => isInside(path, root))) return false
    const parent = dirname(path)
    return existsSync(path) || (parent !== '/tmp' && existsSync(parent))
  }

  /** Stops the proxy and removes the private /tmp. Commands still running lose them. */
  async close(): Promise<void> {
    this.closed = true
    await Promise.all(this.derived.splice(0).map((sandbox) => sandbox.close()))
    const proxy = await this.proxy?.catch(() => undefined)
    await proxy?.close()
    const scratch = await this.scratch?.catch(() => undefined)
    if (scratch) {
      scratchDirs.delete(scratch.dir)
      await rm(scratch.dir, { recursive: true, force: true })
    }
  }

  private ensureScratch(): Promise<Scratch> {
    this.scratch ??= makeScratch()
    return this.scratch
  }

  private ensureProxy(scratch: Scratch): Promise<FilteringProxy> {
    // Loaded here, by the first networked command: node:http is not needed before then.
    this.proxy ??= import('./proxy-server.js').then(({ FilteringProxy }) =>
      FilteringProxy.listen(this.network as string[], join(scratch.proxyDir, 'proxy.sock')),
    )
    return this.proxy
  }

  /** Built-in secrets, sockets, and `denyRead` (globs with `**` expanded once, the others every time). */
  private async hiddenCandidates(): Promise<string[]> {
    const home = homeOf(this.env)
    const base = this.roots[0]!
    const patterns = this.denyRead.map((entry) => absolutePattern(entry, home, base))
    const deep = patterns.filter((pattern) => pattern.includes('**'))
    this.deepMatches ??= Promise.all(deep.map(expandPattern)).then((list) => list.flatMap((e) => e.paths))
    const shallow = await Promise.all(
      patterns
        .filter((pattern) => !pattern.includes('**'))
        .map(async (pattern) => (hasGlob(pattern) ? (await expandPattern(pattern)).paths : [pattern])),
    )
    return [
      ...secretPaths(this.env),
      ...socketPaths(this.env),
      ...shallow.flat(),
      ...(await this.deepMatches),
    ]
  }
}

/** `HTTP_PROXY` and friends, pointing at the forwarder inside the sandbox. */
function proxyEnvironment(): NodeJS.ProcessEnv {
  const url = `http://127.0.0.1:${PROXY_PORT}`
  return {
    HTTP_PROXY: url,
    HTTPS_PROXY: url,
    http_proxy: url,
    https_proxy: url,
    ALL_PROXY: url,
    all_proxy: url,
    NO_PROXY: '',
    no_proxy: '',
  }
}

async function makeScratch(): Promise<Scratch> {
  const dir = await mkdtemp(join(tmpdir(), 'penguin-sandbox-'))
  scratchDirs.add(dir)
  if (!cleanupHooked) {
    cleanupHooked = true
    process.once('exit', () => {
      for (const path of scratchDirs) rmSync(path, { recursive: true, force: true })
    })
  }
  const scratch = { dir, tmp: join(dir, 'tmp'), empty: join(dir, 'empty'), proxyDir: join(dir, 'proxy') }
  mkdirSync(scratch.tmp)
  await Promise.all([mkdir(scratch.empty), mkdir(scratch.proxyDir)])
  // Like the real /tmp (the directory above is private to this user).
  await chmod(scratch.tmp, 0o1777)
  return scratch
}

/** A sandbox for `policy`; nothing is started or created until its first command. */
export function createSandbox(policy: SandboxPolicy): Sandbox {
  return new Sandbox(policy)
}
