/**
 * A session's MCP servers as one engine extension. All start in parallel when the session opens;
 * the first model request waits for each one's handshake at most until its timeout. A server that
 * fails to start, or dies later, is reported once (a `notice`) and its tools are absent from then
 * on; the run goes on. `close` stops them all (children are killed with the session).
 */
import type { McpServerEntry } from '@penguin-ai/config'
import type { EngineExtension, ExtensionContext, NoticeLevel } from '@penguin-ai/engine'
import type { Tool } from '@penguin-ai/tools'
import { type ConnectOptions, connectServer, type McpConnection } from './connect.js'
import { matchesAny, toolNames } from './names.js'
import type { McpToolInfo } from './sdk.js'
import { type ServerSpec, serverSpec } from './spec.js'
import { mcpTool } from './tool.js'

export type ServerState = 'disabled' | 'starting' | 'connected' | 'failed' | 'closed'

export interface ServerStatus {
  name: string
  state: ServerState
  transport?: 'stdio' | 'http' | 'sse'
  /** Why it failed or ended. */
  error?: string
  /** The tools the model gets (after include / exclude), by Penguin name and server name. */
  tools: { name: string; tool: string; description?: string }[]
  /** The config file that names it, and whether that is the user's or the workspace's. */
  source: string
  origin: 'user' | 'workspace'
  serverInfo?: { name: string; version: string }
}

export interface McpServersOptions {
  workspace: string
  /** Where `${VAR}` is read from (default process.env). */
  env?: Record<string, string | undefined>
  /** What stdio servers' environments start from (already without credentials). */
  baseEnv: Record<string, string>
  launch?: ConnectOptions['launch']
  clientInfo?: ConnectOptions['clientInfo']
}

interface Entry {
  name: string
  spec?: ServerSpec
  state: ServerState
  error?: string
  connection?: McpConnection
  ready?: Promise<void>
  source: string
  origin: 'user' | 'workspace'
}

export class McpServers implements EngineExtension {
  readonly name = 'mcp'
  private readonly entries: Entry[]
  private readonly options: McpServersOptions
  private readonly controller = new AbortController()
  /** Notices not yet shown (a failure before any run, a server that died between requests). */
  private readonly pending: { level: NoticeLevel; message: string }[] = []
  /** Penguin names, stable for the session: `server\0tool` → name. */
  private readonly names = new Map<string, string>()
  private readonly taken = new Set<string>()
  private readonly listeners = new Set<() => void>()

  constructor(servers: readonly McpServerEntry[], options: McpServersOptions) {
    this.options = options
    this.entries = servers.map((server) => {
      const outcome = serverSpec(server, { env: options.env ?? process.env, workspace: options.workspace })
      const base = { name: server.name, source: server.source, origin: server.origin }
      if (!outcome.ok) {
        this.pending.push({
          level: 'error',
          message: `MCP server "${server.name}" was not started: ${outcome.error}`,
        })
        return { ...base, state: 'failed' as const, error: outcome.error }
      }
      return { ...base, spec: outcome.spec, state: outcome.spec.enabled ? 'starting' : 'disabled' }
    })
  }

  /** Starts every enabled server (in parallel); idempotent. */
  start(): this {
    for (const entry of this.entries) {
      if (entry.state !== 'starting' || entry.ready || !entry.spec) continue
      entry.ready = this.connect(entry, entry.spec)
    }
    return this
  }

  /** Resolves once every server connected or failed (each bounded by its handshake timeout). */
  async ready(): Promise<void> {
    this.start()
    await Promise.all(this.entries.map((entry) => entry.ready))
  }

  /**
   * Calls `listener` after any server's state changes (connected, failed, died, closed) — for a
   * status view that updates live. Returns the function that stops it.
   */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  status(): ServerStatus[] {
    return this.entries.map((entry) => ({
      name: entry.name,
      state: entry.state,
      ...(entry.connection ? { transport: entry.connection.transport } : {}),
      ...(entry.error ? { error: entry.error } : {}),
      ...(entry.connection?.serverInfo ? { serverInfo: entry.connection.serverInfo } : {}),
      tools:
        entry.state === 'connected'
          ? this.offered(entry).map(({ name, info }) => ({
              name,
              tool: info.name,
              ...(info.description ? { description: info.description } : {}),
            }))
          : [],
      source: entry.source,
      origin: entry.origin,
    }))
  }

  async tools(ctx: ExtensionContext): Promise<readonly Tool[]> {
    this.start()
    const waiting = this.entries.flatMap((entry) =>
      entry.state === 'starting' && entry.ready ? [entry.ready] : [],
    )
    if (waiting.length) await raceAbort(Promise.all(waiting), ctx.signal)
    for (const notice of this.pending.splice(0)) ctx.notify(notice.level, notice.message)
    const tools: Tool[] = []
    for (const entry of this.entries) {
      const connection = entry.connection
      if (entry.state !== 'connected' || !connection) continue
      for (const { name, info } of this.offered(entry)) {
        tools.push(
          mcpTool(entry.name, info, name, (tool, args, signal) => connection.call(tool, args, signal)),
        )
      }
    }
    return tools
  }

  async close(): Promise<void> {
    this.controller.abort()
    await Promise.all(
      this.entries.map(async (entry) => {
        const connection = entry.connection
        if (entry.state === 'connected' || entry.state === 'starting') {
          entry.state = 'closed'
          this.changed()
        }
        await connection?.close()
      }),
    )
  }

  private async connect(entry: Entry, spec: ServerSpec): Promise<void> {
    // The whole start (spawn, initialize, tools/list) is bounded by the handshake timeout.
    const deadline = AbortSignal.timeout(spec.handshakeMs)
    const signal = AbortSignal.any([deadline, this.controller.signal])
    try {
      const connection = await connectServer(spec, {
        baseEnv: this.options.baseEnv,
        signal,
        ...(this.options.launch ? { launch: this.options.launch } : {}),
        ...(this.options.clientInfo ? { clientInfo: this.options.clientInfo } : {}),
      })
      if (this.controller.signal.aborted) {
        await connection.close()
        return
      }
      entry.connection = connection
      entry.state = 'connected'
      this.changed()
      connection.onClose((why) => {
        if (entry.state !== 'connected') return
        entry.state = 'failed'
        entry.error = why
        this.pending.push({
          level: 'error',
          message: `MCP server "${entry.name}" stopped (${why}); its tools are no longer available.`,
        })
        this.changed()
      })
    } catch (error) {
      if (this.controller.signal.aborted) {
        entry.state = 'closed'
        this.changed()
        return
      }
      const why = deadline.aborted
        ? `it did not finish its handshake within ${spec.handshakeMs / 1000}s`
        : describeError(error)
      entry.state = 'failed'
      entry.error = why
      this.pending.push({ level: 'error', message: `MCP server "${entry.name}" failed to start: ${why}` })
      this.changed()
    }
  }

  private changed(): void {
    for (const listener of [...this.listeners]) listener()
  }

  /** A connected server's tools after include / exclude, with their Penguin names. */
  private offered(entry: Entry): { name: string; info: McpToolInfo }[] {
    const spec = entry.spec
    const listed = entry.connection?.tools() ?? []
    const kept = listed.filter((info) => {
      const names = [info.name, `mcp__${entry.name}__${info.name}`]
      if (spec?.include && !names.some((name) => matchesAny(name, spec.include ?? []))) return false
      if (spec?.exclude && names.some((name) => matchesAny(name, spec.exclude ?? []))) return false
      return true
    })
    const fresh = kept.filter((info) => !this.names.has(`${entry.name}\u0000${info.name}`))
    const named = toolNames(
      entry.name,
      fresh.map((info) => info.name),
      this.taken,
    )
    for (const [i, info] of fresh.entries())
      this.names.set(`${entry.name}\u0000${info.name}`, named[i] as string)
    return kept.map((info) => ({ name: this.names.get(`${entry.name}\u0000${info.name}`) as string, info }))
  }
}

/** Resolves when `promise` settles or `signal` aborts, whichever is first. */
async function raceAbort(promise: Promise<unknown>, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return
  let onAbort: (() => void) | undefined
  const aborted = new Promise<void>((resolve) => {
    onAbort = () => resolve()
    signal.addEventListener('abort', onAbort, { once: true })
  })
  try {
    await Promise.race([promise.then(() => undefined), aborted])
  } finally {
    if (onAbort) signal.removeEventListener('abort', onAbort)
  }
}

/** An error's message, with its cause when that says more (`fetch failed` → `… (ECONNREFUSED …)`). */
function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error)
  const cause = error.cause instanceof Error ? error.cause.message : undefined
  return cause && !error.message.includes(cause) ? `${error.message} (${cause})` : error.message
}
