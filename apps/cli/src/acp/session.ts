/**
 * One ACP session = one stored Penguin session (`AgentSession` via the CLI's own `prepareAgent` /
 * `openAgent`, so it is listed by `penguin sessions`, resumable and checkpointed). Engine events
 * become `session/update` notifications; permission asks become `session/request_permission`.
 */
import { randomUUID } from 'node:crypto'
import type * as acp from '@agentclientprotocol/sdk'
import { engineOptions } from '@penguin-ai/config'
import {
  type EngineEvent,
  type EngineOptions,
  environmentPrompt,
  type PermissionReply,
  type PermissionRequest,
  type RunResult,
} from '@penguin-ai/engine'
import { type ImageBlock, sniffImage } from '@penguin-ai/llm'
import type { AgentFlags } from '../args.js'
import { loadExtensions } from '../extensions.js'
import { type OpenedAgent, openAgent } from '../session/open.js'
import { prepareAgent } from '../setup.js'
import { PLAN_ACCEPTED, planModeExtension } from '../tui/modes.js'
import { type EditorFileClient, editorFiles } from './files.js'
import { editorMcpServers, withEditorServers } from './mcp.js'
import { acceptedMode, isMode, type Mode, modeAllows, modeState, planAcceptance, planCall } from './modes.js'
import { promptInput } from './prompt.js'
import { replayUpdates } from './replay.js'
import {
  argumentLocations,
  finishedCall,
  previewContent,
  readText,
  type TextReader,
  tail,
  toolKind,
} from './tool-calls.js'

export interface SessionPeer extends EditorFileClient {
  update(update: acp.SessionNotification): Promise<void>
  requestPermission(request: acp.RequestPermissionRequest): Promise<acp.RequestPermissionResponse>
  warn(line: string): void
  /** What the client said it can do in `initialize` (its file system, above all). */
  capabilities: acp.ClientCapabilities | undefined
}

const ALLOW_ONCE = 'allow_once'
const ALLOW_ALWAYS = 'allow_always'
const REJECT = 'reject_once'

/** The question's options: "always" only where Penguin would honour it. */
export function permissionOptions(request: PermissionRequest): acp.PermissionOption[] {
  return [
    { optionId: ALLOW_ONCE, name: 'Allow once', kind: 'allow_once' },
    ...(request.reason || request.outsideSandbox
      ? []
      : [
          {
            optionId: ALLOW_ALWAYS,
            name: `Always allow ${request.tool} this session`,
            kind: 'allow_always' as const,
          },
        ]),
    { optionId: REJECT, name: 'Reject', kind: 'reject_once' },
  ]
}

export function permissionReply(response: acp.RequestPermissionResponse): PermissionReply {
  if (response.outcome.outcome !== 'selected') return 'reject'
  if (response.outcome.optionId === ALLOW_ONCE) return 'once'
  if (response.outcome.optionId === ALLOW_ALWAYS) return 'always'
  return 'reject'
}

export function stopReason(result: RunResult): acp.StopReason {
  switch (result.status) {
    case 'completed':
      return 'end_turn'
    case 'aborted':
      return 'cancelled'
    case 'max_iterations':
    case 'budget_exceeded':
      return 'max_turn_requests'
    default:
      return 'end_turn'
  }
}

export class AcpSession {
  private controller: AbortController | undefined
  /** The session mode (`session/set_mode`); a new or loaded session starts in `ask`. */
  private mode: Mode = 'ask'
  /** Updates go out strictly in order, and all of a turn's before its response. */
  private sent: Promise<void> = Promise.resolve()
  /** Live command output per call, for the running tool call's content. */
  private readonly output = new Map<string, string>()

  private constructor(
    private readonly opened: OpenedAgent,
    private readonly peer: SessionPeer,
    readonly workspace: string,
    private readonly release: () => Promise<void>,
    /** A file's text as the editor has it (through its file system when it lends it), for diffs. */
    private readonly read: TextReader,
  ) {}

  get id(): string {
    return this.opened.agent.session.id
  }

  /** Opens a new session in `cwd`, or resumes the stored one `sessionId`. */
  static async open(
    flags: AgentFlags,
    peer: SessionPeer,
    where: { cwd: string; sessionId?: string; mcpServers?: readonly acp.McpServer[] },
  ): Promise<AcpSession> {
    const sessionFlags: AgentFlags = {
      ...flags,
      cwd: where.cwd,
      continue: false,
      ...(where.sessionId ? { session: where.sessionId } : {}),
    }
    const prepared = await prepareAgent(sessionFlags, { warn: peer.warn })
    const editorServers = editorMcpServers(where.mcpServers)
    for (const name of editorServers.skipped)
      peer.warn(`MCP server "${name}" from the editor uses a transport Penguin does not speak; left out.`)
    const setup = {
      ...prepared,
      extensions: withEditorServers(prepared.extensions, editorServers.entries),
    }
    const loaded = await loadExtensions(setup, { autoApprove: flags.yes, warn: peer.warn })
    let session: AcpSession | undefined
    // Asked only during a prompt, when the session (and its id) exists.
    const files = editorFiles(peer.capabilities?.fs, peer, () => session?.id ?? '')
    const options: EngineOptions = engineOptions(setup, {
      ...(files ? { files } : {}),
      // --yes answers what the rules would ask; protected writes still reach the editor.
      autoApprove: flags.yes,
      // Plan mode refuses every call that is not read-only, whatever answers the asks.
      extensions: [...(loaded?.extensions ?? []), planModeExtension(() => session?.mode ?? 'ask')],
      askPermission: (request, signal) => {
        if (!session) return Promise.resolve('reject')
        return session.ask(request, signal)
      },
    })
    options.systemPrompt ??= environmentPrompt(options)
    const opened = await openAgent(setup, sessionFlags, options, (text) => peer.warn(text.trimEnd()))
    const release = async () => {
      await loaded?.close('other')
      await setup.sandbox.instance?.close()
    }
    if (!opened) {
      await release()
      throw new Error('ACP sessions are stored sessions, and the session database could not be opened.')
    }
    const read: TextReader = files ? (path) => files.readText(path, {}).catch(() => readText(path)) : readText
    session = new AcpSession(opened, peer, setup.workspace.root, release, read)
    return session
  }

  /** Runs one prompt turn to its end, streaming what happens. */
  async prompt(blocks: acp.ContentBlock[]): Promise<acp.StopReason> {
    if (this.controller) throw new Error('This session is already running a prompt.')
    const controller = new AbortController()
    this.controller = controller
    const input = promptInput(blocks)
    const images: ImageBlock[] = []
    for (const image of input.images) {
      const sniffed = sniffImage(Buffer.from(image.data, 'base64'))
      if (sniffed) images.push({ type: 'image', mediaType: sniffed.mediaType, data: image.data })
      else this.peer.warn(`An image (${image.mediaType}) was left out: not PNG, JPEG, GIF or WebP.`)
    }
    try {
      let result = await this.run(input.text, images, controller.signal)
      // A plan done: build it in the mode the user picks (the agent switches and says so), or not.
      while (this.mode === 'plan' && result.status === 'completed' && !controller.signal.aborted) {
        const build = await this.askToBuild(result.text, controller.signal)
        if (!build) break
        this.setMode(build)
        this.send({ sessionUpdate: 'current_mode_update', currentModeId: build })
        result = await this.run(PLAN_ACCEPTED, [], controller.signal)
      }
      await this.sent
      if (result.status === 'failed') {
        throw new Error(result.error?.message ?? 'The run failed.')
      }
      return stopReason(result)
    } finally {
      await this.sent
      this.output.clear()
      this.controller = undefined
    }
  }

  private run(text: string, images: ImageBlock[], signal: AbortSignal): Promise<RunResult> {
    return this.opened.agent.run(text, { signal, images, onEvent: (event) => this.observe(event) })
  }

  /** The modes offered and the current one, for `session/new` and `session/load`. */
  get modes(): acp.SessionModeState {
    return modeState(this.mode)
  }

  /** `session/set_mode`; false for a mode Penguin does not have. Applies from the next tool call. */
  setMode(id: string): boolean {
    if (!isMode(id)) return false
    this.mode = id
    return true
  }

  /** After a plan: the mode to build it in, or undefined to keep planning (or when cancelled). */
  private async askToBuild(plan: string, signal: AbortSignal): Promise<Mode | undefined> {
    await this.sent
    const toolCallId = `plan-${randomUUID()}`
    const call = planCall(toolCallId, plan)
    this.send({ sessionUpdate: 'tool_call', ...call })
    await this.sent
    const cancelled = new Promise<undefined>((resolve) => {
      if (signal.aborted) resolve(undefined)
      signal.addEventListener('abort', () => resolve(undefined), { once: true })
    })
    const question = this.peer
      .requestPermission(planAcceptance(this.id, call))
      .then(acceptedMode, () => undefined)
    const mode = await Promise.race([question, cancelled])
    this.send({
      sessionUpdate: 'tool_call_update',
      toolCallId,
      status: mode ? 'completed' : 'failed',
    })
    return mode
  }

  /** Sends the stored conversation as updates (`session/load`), all before the response. */
  async replay(): Promise<void> {
    for (const update of replayUpdates(this.opened.store.listMessages(this.id), this.workspace))
      this.send(update)
    await this.sent
  }

  cancel(): void {
    this.controller?.abort()
  }

  async close(): Promise<void> {
    this.cancel()
    await this.opened.close()
    await this.release()
  }

  private send(update: acp.SessionUpdate | (() => Promise<acp.SessionUpdate | undefined>)): void {
    this.sent = this.sent
      .then(async () => {
        const resolved = typeof update === 'function' ? await update() : update
        if (resolved) await this.peer.update({ sessionId: this.id, update: resolved })
      })
      .catch((error: unknown) => this.peer.warn(`could not send an update: ${String(error)}`))
  }

  private observe(event: EngineEvent): void {
    switch (event.type) {
      case 'text.delta':
        this.send({ sessionUpdate: 'agent_message_chunk', content: { type: 'text', text: event.delta } })
        return
      case 'reasoning.delta':
        this.send({ sessionUpdate: 'agent_thought_chunk', content: { type: 'text', text: event.delta } })
        return
      case 'tool.started':
        this.send({
          sessionUpdate: 'tool_call',
          toolCallId: event.callId,
          title: event.title,
          kind: toolKind(event.tool),
          status: 'in_progress',
          rawInput: event.args as Record<string, unknown>,
          locations: argumentLocations(this.workspace, event.args),
        })
        return
      case 'tool.output': {
        const text = tail((this.output.get(event.callId) ?? '') + event.text)
        this.output.set(event.callId, text)
        this.send({
          sessionUpdate: 'tool_call_update',
          toolCallId: event.callId,
          content: [{ type: 'content', content: { type: 'text', text: `\`\`\`\n${text}\n\`\`\`` } }],
        })
        return
      }
      case 'tool.finished': {
        const streamed = this.output.get(event.callId)
        this.output.delete(event.callId)
        if (event.details.kind === 'todo') {
          this.send({
            sessionUpdate: 'plan',
            entries: event.details.todos.map((todo) => ({
              content: todo.content,
              status: todo.status,
              priority: 'medium',
            })),
          })
        }
        this.send(async () => ({
          sessionUpdate: 'tool_call_update',
          toolCallId: event.callId,
          status: event.isError ? 'failed' : 'completed',
          rawOutput: { output: event.output },
          ...(await finishedCall(this.workspace, event.details, event.output, streamed, this.read)),
        }))
        return
      }
      default:
        return
    }
  }

  private async ask(request: PermissionRequest, signal: AbortSignal): Promise<PermissionReply> {
    if (modeAllows(this.mode, request)) return 'once'
    // The tool call itself must reach the client before a question about it.
    await this.sent
    const shown = await previewContent(this.workspace, request.preview, this.read)
    const question = this.peer.requestPermission({
      sessionId: this.id,
      toolCall: {
        toolCallId: request.callId,
        title: request.reason
          ? `${request.tool}: ${request.reason}`
          : request.preview.kind === 'command'
            ? request.preview.command
            : request.tool,
        kind: toolKind(request.tool),
        status: 'pending',
        rawInput: request.args as Record<string, unknown>,
        content: shown.content,
        locations: shown.locations,
      },
      options: permissionOptions(request),
    })
    const cancelled = new Promise<PermissionReply>((resolve) => {
      if (signal.aborted) resolve('reject')
      signal.addEventListener('abort', () => resolve('reject'), { once: true })
    })
    return Promise.race([question.then(permissionReply), cancelled])
  }
}
