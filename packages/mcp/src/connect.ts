/**
 * One live connection to an MCP server over stdio, streamable HTTP or SSE (streamable HTTP falls
 * back to SSE when the endpoint answers it with a 4xx, as older servers do). Every wait is bounded
 * by the server's handshake or call timeout and by the caller's signal.
 */
import { trackChildProcess } from '@penguin-ai/tools'
import {
  type CallToolResult,
  CallToolResultSchema,
  Client,
  type McpToolInfo,
  SSEClientTransport,
  StdioClientTransport,
  StreamableHTTPClientTransport,
  StreamableHTTPError,
  ToolListChangedNotificationSchema,
  type Transport,
} from './sdk.js'
import type { HttpSpec, ServerSpec, StdioSpec } from './spec.js'

/** How a program named by settings is started (the sandbox seam of @penguin-ai/extensions). */
export type ProgramLauncher = (
  spec: { command: string; args: string[]; cwd: string; env: Record<string, string> },
  origin: ServerSpec['origin'],
  kind: 'mcp-server',
) => Promise<{ command: string; args: string[]; cwd: string; env: Record<string, string> }>

export interface ConnectOptions {
  /** What a stdio server's environment starts from (already without credentials). */
  baseEnv: Record<string, string>
  launch?: ProgramLauncher
  signal?: AbortSignal
  /** Penguin's name and version, sent in `initialize`. */
  clientInfo?: { name: string; version: string }
}

export interface McpConnection {
  readonly spec: ServerSpec
  /** `stdio`, `http` or `sse`: the transport in use (after any fallback). */
  readonly transport: 'stdio' | 'http' | 'sse'
  readonly serverInfo: { name: string; version: string } | undefined
  /** The server's tools as last listed. */
  tools(): readonly McpToolInfo[]
  call(tool: string, args: Record<string, unknown>, signal: AbortSignal): Promise<CallToolResult>
  /** Called once when the connection ends by itself (the process died, the server went away). */
  onClose(listener: (why: string) => void): void
  close(): Promise<void>
}

/** The last bytes a stdio server wrote to stderr: the reason it died is usually there. */
const STDERR_TAIL = 2_000

export async function connectServer(spec: ServerSpec, options: ConnectOptions): Promise<McpConnection> {
  const client = new Client(options.clientInfo ?? { name: 'penguin', version: '0.0.0' })
  const stderr = { text: '' }
  const { transport, kind } =
    spec.transport === 'stdio'
      ? { transport: await stdioTransport(spec, options, stderr), kind: 'stdio' as const }
      : await httpConnect(client, spec, options)
  if (kind === 'stdio') {
    try {
      await client.connect(transport, { timeout: spec.handshakeMs, ...signalOf(options) })
    } catch (error) {
      await client.close().catch(() => {})
      throw withStderr(error, stderr.text)
    }
  }
  let tools: McpToolInfo[]
  try {
    tools = await listAll(client, spec.handshakeMs, options.signal)
  } catch (error) {
    await client.close().catch(() => {})
    throw withStderr(error, stderr.text)
  }
  let closing = false
  const listeners: ((why: string) => void)[] = []
  client.onclose = () => {
    if (closing) return
    closing = true
    const tail = stderr.text.trim()
    const why = tail
      ? `it exited; its last output: ${tail.split('\n').slice(-3).join(' | ')}`
      : 'it went away'
    for (const listener of listeners) listener(why)
  }
  client.setNotificationHandler(ToolListChangedNotificationSchema, async () => {
    tools = await listAll(client, spec.handshakeMs).catch(() => tools)
  })
  return {
    spec,
    transport: kind,
    serverInfo: client.getServerVersion(),
    tools: () => tools,
    async call(tool, args, signal) {
      const result = await client.callTool({ name: tool, arguments: args }, CallToolResultSchema, {
        timeout: spec.callMs,
        signal,
      })
      return result as CallToolResult
    },
    onClose(listener) {
      listeners.push(listener)
    },
    async close() {
      closing = true
      await client.close().catch(() => {})
    },
  }
}

async function stdioTransport(
  spec: StdioSpec,
  options: ConnectOptions,
  stderr: { text: string },
): Promise<Transport> {
  const launch = options.launch ?? (async (program) => program)
  const program = await launch(
    { command: spec.command, args: spec.args, cwd: spec.cwd, env: { ...options.baseEnv, ...spec.env } },
    spec.origin,
    'mcp-server',
  )
  const transport = new TrackedStdioTransport({ ...program, stderr: 'pipe' })
  transport.stderr?.on('data', (chunk: Buffer) => {
    stderr.text = (stderr.text + chunk.toString('utf8')).slice(-STDERR_TAIL)
  })
  return transport
}

/**
 * A stdio transport whose server is SIGKILLed if Penguin exits first. The SDK's close() ends stdin
 * and then waits on unref'd timers before it signals the child, so a command that exits meanwhile
 * (`penguin mcp list` after a failed handshake, a run interrupted while servers start) would leave it
 * running — "children are killed with the session".
 */
class TrackedStdioTransport extends StdioClientTransport {
  override async start(): Promise<void> {
    await super.start()
    const pid = this.pid
    if (pid === null) return
    const forget = trackChildProcess(pid)
    // The client has set onclose by now; it fires when the process has exited (its 'close').
    const onclose = this.onclose
    this.onclose = () => {
      forget()
      onclose?.()
    }
  }
}

/** Streamable HTTP first; SSE when the endpoint refuses it with a 4xx (an SSE-only server). */
async function httpConnect(
  client: Client,
  spec: HttpSpec,
  options: ConnectOptions,
): Promise<{ transport: Transport; kind: 'http' | 'sse' }> {
  const url = new URL(spec.url)
  const requestInit = { headers: spec.headers }
  const connect = async (transport: Transport) =>
    client.connect(transport, { timeout: spec.handshakeMs, ...signalOf(options) })
  if (spec.transport === 'http') {
    const transport = new StreamableHTTPClientTransport(url, { requestInit })
    try {
      await connect(transport)
      return { transport, kind: 'http' }
    } catch (error) {
      await transport.close().catch(() => {})
      const code = error instanceof StreamableHTTPError ? error.code : undefined
      if (code === undefined || code < 400 || code >= 500 || code === 401 || code === 403) throw error
    }
  }
  const transport = new SSEClientTransport(url, {
    requestInit,
    // The SSE stream is opened with EventSource, whose headers come from here.
    eventSourceInit: {
      fetch: (input, init) => fetch(input, { ...init, headers: { ...init?.headers, ...spec.headers } }),
    },
  })
  await connect(transport)
  return { transport, kind: 'sse' }
}

async function listAll(client: Client, timeout: number, signal?: AbortSignal): Promise<McpToolInfo[]> {
  if (!client.getServerCapabilities()?.tools) return []
  const tools: McpToolInfo[] = []
  let cursor: string | undefined
  // Bounded: a server that pages forever cannot keep a session from starting.
  for (let page = 0; page < 100; page++) {
    const listed = await client.listTools(cursor ? { cursor } : {}, {
      timeout,
      ...(signal ? { signal } : {}),
    })
    tools.push(...listed.tools)
    cursor = listed.nextCursor
    if (!cursor) break
  }
  return tools
}

function signalOf(options: ConnectOptions): { signal?: AbortSignal } {
  return options.signal ? { signal: options.signal } : {}
}

function withStderr(error: unknown, stderr: string): Error {
  const message = error instanceof Error ? error.message : String(error)
  const tail = stderr.trim()
  return new Error(tail ? `${message}; its output: ${tail.split('\n').slice(-3).join(' | ')}` : message)
}
