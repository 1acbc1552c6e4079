/**
 * Telling, from a failed command's output, that the sandbox refused it something. The kernel does not
 * say which mount refused a write, so this reads the messages programs print for the errors the
 * sandbox causes: a read-only file system (a write outside the writable places), an unreachable or
 * unresolvable network, a missing secret path, bubblewrap's own failure to start. Pure.
 */
import type { CommandOutcome, RefusalKind, SandboxNetwork, SandboxRefusal } from './types.js'

export interface RefusalContext {
  network: SandboxNetwork
  /** Paths hidden inside the sandbox: a message naming one is a refused read. */
  hidden: readonly string[]
  /** Hosts the filtering proxy refused while the command ran. */
  blockedDomains?: readonly string[]
  /**
   * Whether an absolute path exists on the host but not in the sandbox's view (the host's /tmp,
   * which the sandbox replaces with its own): a "No such file" about it is a refused read.
   */
  hostOnly?: (path: string) => boolean
}

const WRITE = /Read-only file system|\bEROFS\b/i
const NETWORK =
  /Network is unreachable|\bENETUNREACH\b|Could not resolve (host|proxy)|Temporary failure in name resolution|Name or service not known|No address associated with hostname|\bEAI_AGAIN\b|\bENOTFOUND\b|nodename nor servname|Failed to establish a new connection|Connection refused|\bECONNREFUSED\b|Failed to connect to/i
const PROXY_REFUSAL =
  /response 403|403 Forbidden|Penguin's sandbox blocked|Tunnel connection failed: 403|HTTP code 403 from proxy/i
const START = /^(bwrap|penguin sandbox): /
const MISSING = /No such file or directory|\bENOENT\b|can't cd to|cannot access/i

/** What the sandbox refused, or undefined when the outcome does not show it (or the command succeeded). */
export function detectRefusal(outcome: CommandOutcome, context: RefusalContext): SandboxRefusal | undefined {
  const lines = `${outcome.stderr}\n${outcome.stdout}`.split('\n').map((line) => line.trim())
  const firstError =
    outcome.stderr
      .split('\n')
      .find((line) => line.trim())
      ?.trim() ?? ''
  if (outcome.exitCode !== 0 && START.test(firstError)) {
    return {
      kinds: ['start'],
      summary: `the sandbox could not start the command (${clip(firstError)})`,
      evidence: [clip(firstError)],
    }
  }
  const failed = outcome.exitCode !== 0 && !outcome.aborted && !outcome.timedOut
  const domains = [...new Set(context.blockedDomains ?? [])]
  if (!failed && domains.length === 0) return undefined

  const found = new Map<RefusalKind, string[]>()
  const note = (kind: RefusalKind, line: string) => {
    const list = found.get(kind) ?? []
    if (list.length < 3 && !list.includes(line)) list.push(clip(line))
    found.set(kind, list)
  }
  const networkRestricted = context.network !== true
  for (const line of lines) {
    if (!line) continue
    if (WRITE.test(line)) note('write', line)
    else if (context.hidden.some((path) => mentions(line, path))) note('read', line)
    else if (context.hostOnly && MISSING.test(line) && absolutePaths(line).some(context.hostOnly))
      note('read', line)
    else if (networkRestricted && (NETWORK.test(line) || PROXY_REFUSAL.test(line))) note('network', line)
  }
  if (domains.length) {
    const list = found.get('network') ?? []
    found.set('network', [`blocked: ${domains.join(', ')}`, ...list].slice(0, 3))
  }
  if (!failed && !found.has('network')) return undefined
  if (found.size === 0) return undefined

  const kinds = (['write', 'network', 'read'] as const).filter((kind) => found.has(kind))
  const parts = kinds.map((kind) => {
    const first = found.get(kind)![0]!
    if (kind === 'write') return `writing where the sandbox allows no writes (${first})`
    if (kind === 'read') return `reading a path hidden from it (${first})`
    return domains.length
      ? `network access to ${domains.join(', ')} (not in sandbox.network)`
      : `network access (${first})`
  })
  return {
    kinds,
    summary: parts.join('; '),
    evidence: kinds.flatMap((kind) => found.get(kind) ?? []).slice(0, 3),
    ...(domains.length ? { domains } : {}),
  }
}

/** Absolute paths in a line (as programs quote them: bare, or in '…', "…", `…`). */
function absolutePaths(line: string): string[] {
  return [...line.matchAll(/(?:^|[\s'"`(:=])(\/[^\s'"`:),]+)/g)].map((match) => match[1]!)
}

/** Whether a line names `path` itself or something inside it (not merely a path that starts alike). */
function mentions(line: string, path: string): boolean {
  let from = 0
  for (;;) {
    const at = line.indexOf(path, from)
    if (at === -1) return false
    const after = line[at + path.length]
    if (after === undefined || !/[\w.-]/.test(after)) return true
    from = at + 1
  }
}

function clip(line: string): string {
  return line.length > 200 ? `${line.slice(0, 197)}…` : line
}
