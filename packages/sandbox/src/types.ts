/** The sandbox's public contract: modes, network settings, policies and what a refusal looks like. */
import { z } from 'zod'

/**
 * - `read-only`: commands read the filesystem (secrets hidden) and write only a private temp dir.
 * - `workspace-write`: also write the workspace (and allowed paths); `.git/hooks`, `.git/config` and
 *   `.penguin/` stay read-only.
 * - `off`: no sandbox; commands run with the user's full rights.
 */
export const SandboxModeSchema = z.enum(['read-only', 'workspace-write', 'off'])
export type SandboxMode = z.infer<typeof SandboxModeSchema>

/** The modes that start a sandbox. */
export type SandboxedMode = Exclude<SandboxMode, 'off'>

const DOMAIN =
  /^(\*\.)?(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/i

/** A host the filtering proxy lets through: `registry.npmjs.org`, or `*.example.com` for its subdomains. */
export const NetworkDomainSchema = z
  .string()
  .regex(DOMAIN, 'a host name such as "registry.npmjs.org" or "*.example.com" (no scheme, port or path)')
  .transform((domain) => domain.toLowerCase())

/**
 * Network inside the sandbox: `false` (none, the default), `true` (the host's network), or a list of
 * domains reachable through a filtering HTTP(S) proxy (programs that honour `HTTPS_PROXY` reach them;
 * nothing else leaves the sandbox).
 */
export const SandboxNetworkSchema = z.union([z.boolean(), z.array(NetworkDomainSchema)])
export type SandboxNetwork = boolean | readonly string[]

/** What a sandbox allows. */
export interface SandboxPolicy {
  mode: SandboxedMode
  /**
   * The workspace and the other directories the agent works in (allowed paths): visible in both
   * modes, writable in `workspace-write`. The first one is where relative `denyRead` patterns start.
   */
  roots: readonly string[]
  network: SandboxNetwork
  /**
   * More paths never readable inside, besides the built-in secrets: `~/x`, absolute, or relative to
   * the first root; `*`, `?` and `**` globs (`**` patterns are expanded once per sandbox).
   */
  denyRead?: readonly string[]
  /**
   * Directories writable inside whatever the mode, outside the roots' protections (a program's own
   * cache, such as the npm cache of a workspace's MCP servers). Each must exist.
   */
  writable?: readonly string[]
  /** Where `HOME`, `XDG_*`, `PENGUIN_HOME`, `PENGUIN_DB` and `SSH_AUTH_SOCK` are read. Default process.env. */
  env?: NodeJS.ProcessEnv
}

/** What the sandbox refused a command, as far as its output shows. */
export type RefusalKind = 'write' | 'read' | 'network' | 'start'

export interface SandboxRefusal {
  /** Each kind of thing refused, most telling first. */
  kinds: RefusalKind[]
  /** One line for the model and the user: what was refused, with the evidence. */
  summary: string
  /** Up to three output lines that show it. */
  evidence: string[]
  /** Hosts the filtering proxy turned away. */
  domains?: string[]
}

/** How a finished command ended, as far as telling a refusal needs. */
export interface CommandOutcome {
  exitCode: number | null
  signal?: NodeJS.Signals | null
  stdout: string
  stderr: string
  timedOut?: boolean
  aborted?: boolean
}

/** Whether the sandbox can run here, and if not, why and what to do. */
export type SandboxSupport =
  | { available: true; platform: NodeJS.Platform; bwrap: string; version: string }
  | { available: false; platform: NodeJS.Platform; cause: string; fix: string; bwrap?: string }
