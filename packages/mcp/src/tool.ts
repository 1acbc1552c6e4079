/**
 * An MCP server's tool as a Penguin tool: the server's JSON Schema goes to the model as is (the
 * server validates the arguments), calls are judged like commands (they ask by default; rules
 * match the `mcp__<server>__<tool>` name), and the result becomes text for the model, images for
 * models that take them, and `mcp` details for the CLI and web UI.
 */
import {
  capOutput,
  type McpContent,
  oneLine,
  type PermissionSubject,
  parseArgumentText,
  type Tool,
  type ToolImage,
  type ToolResult,
} from '@penguin-ai/tools'
import type { CallToolResult, McpToolInfo } from './sdk.js'

/** Images kept in `details` up to this size (base64 characters); the model gets them regardless. */
const DETAILS_IMAGE_LIMIT = 64 * 1024
const TITLE_LIMIT = 100
const IMAGE_TYPES = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp'])

export type CallFn = (
  tool: string,
  args: Record<string, unknown>,
  signal: AbortSignal,
) => Promise<CallToolResult>

export function mcpTool(server: string, info: McpToolInfo, name: string, call: CallFn): Tool {
  const { $schema: _ignored, ...schema } = info.inputSchema as Record<string, unknown>
  const title = (args: unknown) => {
    const shown =
      args && typeof args === 'object' && Object.keys(args).length ? ` ${JSON.stringify(args)}` : ''
    const line = oneLine(`${server} · ${info.name}${shown}`)
    return line.length > TITLE_LIMIT ? `${line.slice(0, TITLE_LIMIT - 1)}…` : line
  }
  const description = info.description?.trim() || info.title || `The ${info.name} tool.`
  return {
    name,
    description: `${description}\n\n(MCP server "${server}", tool "${info.name}")`,
    readOnly: false,
    jsonSchema: { type: 'object', ...schema },
    parse(raw) {
      // The server validates against its schema; the text is parsed (and bounded) as for any tool.
      const text = parseArgumentText(name, raw)
      if (!text.ok) return text
      const { json } = text
      if (!json || typeof json !== 'object' || Array.isArray(json)) {
        return { ok: false, error: `The arguments for ${name} must be a JSON object.` }
      }
      return { ok: true, args: json }
    },
    // Judged like a command with no command line: asks unless a rule on the tool's name allows it.
    permission: (): PermissionSubject => ({ access: 'execute', subject: '' }),
    title,
    async preview(args) {
      return { ok: true, preview: { kind: 'mcp', summary: title(args), server, tool: info.name, args } }
    },
    async run(args, ctx): Promise<ToolResult> {
      const input = (args && typeof args === 'object' ? args : {}) as Record<string, unknown>
      let result: CallToolResult
      try {
        result = await call(info.name, input, ctx.signal)
      } catch (error) {
        const message = ctx.signal.aborted
          ? `${name} was aborted.`
          : `${name} failed: ${(error as Error).message ?? String(error)}`
        return {
          output: message,
          isError: true,
          details: { kind: 'mcp', summary: oneLine(message), server, tool: info.name, content: [] },
        }
      }
      return toResult(server, info.name, result)
    },
  }
}

/** What the model reads and the UIs show of a tool's result. */
export function toResult(server: string, tool: string, result: CallToolResult): ToolResult {
  const texts: string[] = []
  const images: ToolImage[] = []
  const content: McpContent[] = []
  for (const block of result.content ?? []) {
    switch (block.type) {
      case 'text':
        texts.push(block.text)
        content.push({ type: 'text', text: block.text })
        break
      case 'image':
        if (IMAGE_TYPES.has(block.mimeType))
          images.push({ mediaType: block.mimeType as ToolImage['mediaType'], data: block.data })
        else texts.push(`[an image of type ${block.mimeType}, which models cannot read]`)
        content.push({
          type: 'image',
          mimeType: block.mimeType,
          ...(block.data.length <= DETAILS_IMAGE_LIMIT ? { data: block.data } : {}),
        })
        break
      case 'audio':
        texts.push(`[audio of type ${block.mimeType}, which models cannot hear]`)
        content.push({ type: 'audio', mimeType: block.mimeType })
        break
      case 'resource': {
        const resource = block.resource
        const text = 'text' in resource && typeof resource.text === 'string' ? resource.text : undefined
        texts.push(
          text !== undefined ? `Resource ${resource.uri}:\n${text}` : `[binary resource ${resource.uri}]`,
        )
        content.push({
          type: 'resource',
          uri: resource.uri,
          ...(resource.mimeType ? { mimeType: resource.mimeType } : {}),
          ...(text !== undefined ? { text } : {}),
        })
        break
      }
      case 'resource_link':
        texts.push(`Resource link: ${block.uri}${block.description ? ` (${block.description})` : ''}`)
        content.push({
          type: 'resource',
          uri: block.uri,
          ...(block.mimeType ? { mimeType: block.mimeType } : {}),
        })
        break
    }
  }
  // A tool that answers only with structured content still says something to the model.
  if (texts.length === 0 && result.structuredContent !== undefined) {
    const json = JSON.stringify(result.structuredContent, null, 2)
    texts.push(json)
    content.push({ type: 'text', text: json })
  }
  const isError = result.isError === true
  const output = capOutput(
    texts.join('\n') || (isError ? `${tool} failed without a message.` : '(no output)'),
  )
  const first = oneLine(output.split('\n').find((line) => line.trim()) ?? '')
  const summary = `${server} · ${tool}${first ? ` — ${first}` : ''}`
  return {
    output,
    ...(isError ? { isError } : {}),
    ...(images.length ? { images } : {}),
    details: {
      kind: 'mcp',
      summary: summary.length > 200 ? `${summary.slice(0, 199)}…` : summary,
      server,
      tool,
      content,
    },
  }
}
