/**
 * Penguin as an MCP server (`penguin mcp serve`): other agents get two tools, `penguin_run {prompt,
 * cwd, model?}` (a whole Penguin run; answers its final text and a `session_id`) and `penguin_reply
 * {session_id, prompt}` (continues that session). How a run happens — config, permissions, storage —
 * is the caller's `runner`: this module is only the protocol side.
 */
import { z } from 'zod'
import { type CallToolResult, McpServer, StdioServerTransport } from './sdk.js'

export interface PenguinRunInput {
  prompt: string
  cwd: string
  model?: string
}

export interface PenguinReplyInput {
  sessionId: string
  prompt: string
}

export interface PenguinRunOutcome {
  /** The final answer, with anything the caller must know (denied calls) appended. */
  text: string
  sessionId: string
  /** `completed`, `failed`, `cancelled`, … (the run's status). */
  status: string
  /** Calls that were refused (permission asks are denied in this mode). */
  denied: string[]
}

export interface PenguinRunner {
  run(input: PenguinRunInput, signal: AbortSignal): Promise<PenguinRunOutcome>
  reply(input: PenguinReplyInput, signal: AbortSignal): Promise<PenguinRunOutcome>
}

export const PENGUIN_RUN_TOOL = 'penguin_run'
export const PENGUIN_REPLY_TOOL = 'penguin_reply'

export function penguinMcpServer(
  runner: PenguinRunner,
  info: { version: string; allowWrites: boolean },
): McpServer {
  const server = new McpServer({ name: 'penguin', version: info.version })
  const mode = info.allowWrites
    ? 'It may edit files and run commands in cwd; anything that would need a person to approve it is refused.'
    : 'This server was started read-only: Penguin reads and searches but never writes files or runs commands.'
  server.registerTool(
    PENGUIN_RUN_TOOL,
    {
      title: 'Run Penguin',
      description: `Give Penguin, an AI software-engineering agent, a task in a directory; it works until done and answers with its final text and a session_id (continue with ${PENGUIN_REPLY_TOOL}). ${mode}`,
      inputSchema: {
        prompt: z.string().min(1).describe('The task, in plain words'),
        cwd: z.string().min(1).describe('The absolute path of the directory (repository) to work in'),
        model: z.string().optional().describe('A model such as openai/gpt-4o; default: the configured one'),
      },
      outputSchema: OutputShape,
      annotations: { readOnlyHint: !info.allowWrites, openWorldHint: true },
    },
    async (args, extra) => outcome(await runner.run(args, extra.signal)),
  )
  server.registerTool(
    PENGUIN_REPLY_TOOL,
    {
      title: 'Reply to a Penguin session',
      description: `Continue a Penguin session started by ${PENGUIN_RUN_TOOL} with a follow-up prompt.`,
      inputSchema: {
        session_id: z.string().min(1).describe(`The session_id ${PENGUIN_RUN_TOOL} answered`),
        prompt: z.string().min(1).describe('The follow-up'),
      },
      outputSchema: OutputShape,
      annotations: { readOnlyHint: !info.allowWrites, openWorldHint: true },
    },
    async (args, extra) =>
      outcome(await runner.reply({ sessionId: args.session_id, prompt: args.prompt }, extra.signal)),
  )
  return server
}

/** What both tools answer besides the text (clients that read structured content get it typed). */
const OutputShape = {
  session_id: z.string().describe('Continue this session with penguin_reply'),
  status: z.string().describe('completed, failed, aborted, max_iterations or budget_exceeded'),
  denied: z.array(z.string()).describe('Calls that were refused'),
}

function outcome(result: PenguinRunOutcome): CallToolResult {
  return {
    // The session id also as text, for clients that show only text content.
    content: [
      { type: 'text', text: result.text },
      { type: 'text', text: JSON.stringify({ session_id: result.sessionId }) },
    ],
    structuredContent: { session_id: result.sessionId, status: result.status, denied: result.denied },
    ...(result.status === 'completed' ? {} : { isError: true }),
  }
}

/** Serves over stdio until the client goes away; resolves then. */
export async function servePenguinOverStdio(server: McpServer): Promise<void> {
  const transport = new StdioServerTransport()
  const closed = new Promise<void>((resolve) => {
    server.server.onclose = () => resolve()
  })
  await server.connect(transport)
  // The client closing stdin ends the session.
  process.stdin.once('end', () => void server.close())
  await closed
}
