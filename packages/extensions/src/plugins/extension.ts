/** One loaded plugin (or a folder of custom tool files) as an engine extension. */
import type {
  ChatParams,
  EngineEvent,
  EngineExtension,
  ExtensionContext,
  PermissionRequest,
  ToolCallInfo,
  ToolCallResultInfo,
  ToolCallVerdict,
  ToolResultVerdict,
} from '@penguin-ai/engine'
import type { Tool } from '@penguin-ai/tools'
import type { PenguinPlugin } from './types.js'

export class PluginExtension implements EngineExtension {
  readonly name: string
  private readonly plugin: PenguinPlugin
  private readonly offered: readonly Tool[]

  constructor(name: string, plugin: PenguinPlugin) {
    this.name = `plugin ${name}`
    this.plugin = plugin
    this.offered = plugin.tools ?? []
  }

  tools(): readonly Tool[] {
    return this.offered
  }

  async beforeToolCall(ctx: ExtensionContext, call: ToolCallInfo): Promise<ToolCallVerdict | undefined> {
    const hook = this.plugin['tool.before']
    if (!hook) return undefined
    const out = await hook({
      tool: call.tool,
      args: call.args,
      callId: call.callId,
      sessionId: ctx.sessionId,
      readOnly: call.readOnly,
    })
    if (!out) return undefined
    return {
      ...(typeof out.block === 'string' ? { block: out.block || `Blocked by ${this.name}.` } : {}),
      ...(out.args !== undefined ? { args: out.args } : {}),
    }
  }

  async afterToolCall(
    ctx: ExtensionContext,
    call: ToolCallResultInfo,
  ): Promise<ToolResultVerdict | undefined> {
    const hook = this.plugin['tool.after']
    if (!hook) return undefined
    const out = await hook({
      tool: call.tool,
      args: call.args,
      callId: call.callId,
      sessionId: ctx.sessionId,
      readOnly: call.readOnly,
      result: { output: call.result.output, isError: call.result.isError ?? false },
    })
    if (!out) return undefined
    return {
      ...(typeof out.output === 'string' ? { output: out.output } : {}),
      ...(typeof out.isError === 'boolean' ? { isError: out.isError } : {}),
    }
  }

  async permission(ctx: ExtensionContext, request: PermissionRequest): Promise<'allow' | 'deny' | undefined> {
    const hook = this.plugin['permission.ask']
    if (!hook) return undefined
    const answer = await hook({ ...request, sessionId: ctx.sessionId })
    return answer === 'allow' || answer === 'deny' ? answer : undefined
  }

  async chatParams(_ctx: ExtensionContext, params: ChatParams): Promise<Partial<ChatParams> | undefined> {
    const hook = this.plugin['chat.params']
    if (!hook) return undefined
    return (await hook({ ...params })) ?? undefined
  }

  event(event: EngineEvent): void {
    this.plugin.event?.(event)
  }
}
