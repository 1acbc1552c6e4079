/**
 * Penguin as an ACP agent: the handlers behind `initialize`, `session/new`, `session/load`,
 * `session/prompt` and `session/cancel`. Each session is an `AcpSession` (a stored Penguin session).
 */
import * as acp from '@agentclientprotocol/sdk'
import type { AgentFlags } from '../args.js'
import { CliError } from '../cli-error.js'
import { version } from '../version.js'
import { MCP_CAPABILITIES } from './mcp.js'
import { AcpSession } from './session.js'

export class PenguinAcpAgent implements acp.Agent {
  private readonly sessions = new Map<string, AcpSession>()
  /** What the client can do (its file system): told once, in `initialize`. */
  private clientCapabilities: acp.ClientCapabilities | undefined

  constructor(
    private readonly connection: acp.AgentSideConnection,
    private readonly flags: AgentFlags,
    private readonly log: (line: string) => void,
  ) {}

  async initialize(params: acp.InitializeRequest): Promise<acp.InitializeResponse> {
    this.clientCapabilities = params.clientCapabilities
    return {
      protocolVersion: acp.PROTOCOL_VERSION,
      agentCapabilities: {
        loadSession: true,
        promptCapabilities: { image: true, embeddedContext: true },
        mcpCapabilities: MCP_CAPABILITIES,
      },
      agentInfo: { name: 'penguin', title: 'Penguin', version: version() },
      authMethods: [],
    }
  }

  async authenticate(_params: acp.AuthenticateRequest): Promise<acp.AuthenticateResponse> {
    return {}
  }

  async newSession(params: acp.NewSessionRequest): Promise<acp.NewSessionResponse> {
    const session = await this.open({ cwd: params.cwd, mcpServers: params.mcpServers })
    return { sessionId: session.id, modes: session.modes }
  }

  async loadSession(params: acp.LoadSessionRequest): Promise<acp.LoadSessionResponse> {
    // Loaded again on this connection: start from the stored state, not the old engine's.
    await this.sessions.get(params.sessionId)?.close()
    this.sessions.delete(params.sessionId)
    const session = await this.open({
      cwd: params.cwd,
      sessionId: params.sessionId,
      mcpServers: params.mcpServers,
    })
    await session.replay()
    return { modes: session.modes }
  }

  async prompt(params: acp.PromptRequest): Promise<acp.PromptResponse> {
    const session = this.session(params.sessionId)
    try {
      return { stopReason: await session.prompt(params.prompt) }
    } catch (error) {
      throw acp.RequestError.internalError(undefined, messageOf(error))
    }
  }

  async setSessionMode(params: acp.SetSessionModeRequest): Promise<acp.SetSessionModeResponse> {
    if (!this.session(params.sessionId).setMode(params.modeId))
      throw acp.RequestError.invalidParams(
        undefined,
        `No mode "${params.modeId}". Penguin's modes: ask, auto-edit, plan.`,
      )
    return {}
  }

  async cancel(params: acp.CancelNotification): Promise<void> {
    this.sessions.get(params.sessionId)?.cancel()
  }

  /** Closes every session (the client went away). */
  async close(): Promise<void> {
    await Promise.allSettled([...this.sessions.values()].map((session) => session.close()))
    this.sessions.clear()
  }

  private async open(where: {
    cwd: string
    sessionId?: string
    mcpServers?: acp.McpServer[]
  }): Promise<AcpSession> {
    try {
      const session = await AcpSession.open(
        this.flags,
        {
          update: (notification) => this.connection.sessionUpdate(notification),
          requestPermission: (request) => this.connection.requestPermission(request),
          readTextFile: (request) => this.connection.readTextFile(request),
          writeTextFile: (request) => this.connection.writeTextFile(request),
          warn: (line) => this.log(line),
          capabilities: this.clientCapabilities,
        },
        where,
      )
      this.sessions.set(session.id, session)
      return session
    } catch (error) {
      // Bad cwd, config or database: the client shows the message; nothing else is wrong.
      if (error instanceof CliError) throw acp.RequestError.invalidParams(undefined, error.message)
      throw acp.RequestError.internalError(undefined, messageOf(error))
    }
  }

  private session(id: string): AcpSession {
    const session = this.sessions.get(id)
    if (!session) throw acp.RequestError.invalidParams(undefined, `No session ${id} on this connection.`)
    return session
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}
