/**
 * An MCP server entry of the config (`AgentSetup.extensions.mcpServers`), resolved into what to
 * start or reach: `${VAR}`s expanded, a relative `cwd` taken from the workspace, the transport
 * decided, defaults applied.
 */
import { isAbsolute, resolve } from 'node:path'
import type { ExtensionOrigin, McpServerEntry } from '@penguin-ai/config'
import { expandRecord, expandVariables } from './expand.js'

/** How long a server may take to start and answer `initialize` and `tools/list`. */
export const DEFAULT_HANDSHAKE_MS = 30_000
/** How long one tool call may take. */
export const DEFAULT_CALL_MS = 600_000

interface Common {
  name: string
  enabled: boolean
  include?: string[]
  exclude?: string[]
  handshakeMs: number
  callMs: number
  origin: ExtensionOrigin
  source: string
}

export interface StdioSpec extends Common {
  transport: 'stdio'
  command: string
  args: string[]
  /** Only the server's own variables; the credential-free base environment is added at start. */
  env: Record<string, string>
  cwd: string
}

export interface HttpSpec extends Common {
  /** `http`: streamable HTTP, falling back to SSE; `sse`: SSE only. */
  transport: 'http' | 'sse'
  url: string
  headers: Record<string, string>
}

export type ServerSpec = StdioSpec | HttpSpec

/** A spec, or why the entry cannot be used (a variable that is not set, a bad URL). */
export type SpecOutcome = { ok: true; spec: ServerSpec } | { ok: false; name: string; error: string }

export function serverSpec(
  entry: McpServerEntry,
  options: { env: Record<string, string | undefined>; workspace: string },
): SpecOutcome {
  const { config, name } = entry
  const missing: string[] = []
  const expand = (text: string) => {
    const expansion = expandVariables(text, options.env)
    missing.push(...expansion.missing)
    return expansion.text
  }
  const timeout = config.timeout_ms
  const common: Common = {
    name,
    enabled: config.enabled !== false && config.disabled !== true,
    ...(config.include ? { include: config.include } : {}),
    ...(config.exclude ? { exclude: config.exclude } : {}),
    handshakeMs: timeout ?? DEFAULT_HANDSHAKE_MS,
    callMs: timeout ?? DEFAULT_CALL_MS,
    origin: entry.origin,
    source: entry.source,
  }
  let spec: ServerSpec
  if (config.command !== undefined) {
    const cwd = config.cwd ? expand(config.cwd) : options.workspace
    spec = {
      ...common,
      transport: 'stdio',
      command: expand(config.command),
      args: (config.args ?? []).map(expand),
      env: expandRecord(config.env, options.env, missing),
      cwd: isAbsolute(cwd) ? cwd : resolve(options.workspace, cwd),
    }
  } else {
    const url = expand(config.url ?? '')
    try {
      const parsed = new URL(url)
      if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new Error('not http(s)')
    } catch {
      return { ok: false, name, error: `"${url}" is not an http(s) URL (in ${entry.source})` }
    }
    spec = {
      ...common,
      transport: config.type === 'sse' ? 'sse' : 'http',
      url,
      headers: expandRecord(config.headers, options.env, missing),
    }
  }
  if (missing.length) {
    const names = [...new Set(missing)].map((variable) => `\${${variable}}`).join(', ')
    return { ok: false, name, error: `it needs ${names}, which is not set (in ${entry.source})` }
  }
  return { ok: true, spec }
}
