/**
 * The set-up of the chat UI tests: the mock model (started by each test with its script), the real
 * `penguin` in a pseudo-terminal against it, and what the model was sent. `useChatUi()` registers
 * the clean-up (terminals killed, mocks closed) after each test; the run, project and extension
 * terminal tests use it too.
 */
import { type MockServer, type MockServerOptions, startMockServer } from '@penguin-ai/mock-llm'
import { afterEach } from 'vitest'
import { startTerminal, type TerminalSession } from './tui-terminal.js'

export const KEY = { OPENAI_API_KEY: 'sk-test' }

type Messages = { messages: Array<{ role: string; content: unknown }> }

export interface ChatUi {
  /** Starts this test's mock model (`chat` uses the last one started; each is closed after the test). */
  start(options: MockServerOptions): Promise<MockServer>
  /** `penguin` on `repo` with the mock as its model, once its prompt is up. */
  chat(
    repo: string,
    env?: Record<string, string | undefined>,
    extra?: string[],
    size?: { columns?: number; rows?: number },
  ): Promise<TerminalSession>
  /** Any `penguin` in a terminal, killed after the test. */
  terminal(...args: Parameters<typeof startTerminal>): Promise<TerminalSession>
  /** The user messages the model received in request `index`, as text. */
  userTexts(index: number): string[]
  /** The tool results the model received in request `index`. */
  toolResults(index: number): string[]
}

export function useChatUi(): ChatUi {
  let mock: MockServer | undefined
  const mocks: MockServer[] = []
  const sessions: TerminalSession[] = []
  afterEach(async () => {
    for (const session of sessions.splice(0)) session.kill()
    for (const server of mocks.splice(0)) await server.close()
    mock = undefined
  })
  const body = (index: number) => mock?.requests[index]?.body as Messages
  const terminal = async (...args: Parameters<typeof startTerminal>) => {
    const session = await startTerminal(...args)
    sessions.push(session)
    return session
  }
  return {
    async start(options) {
      mock = await startMockServer(options)
      mocks.push(mock)
      return mock
    },
    terminal,
    async chat(repo, env = {}, extra = [], size = {}) {
      if (!mock) throw new Error('start the mock first')
      const session = await terminal(
        ['--model', 'openai/gpt-4o', '--base-url', mock.url, '--cwd', repo, ...extra],
        { env: { ...KEY, NO_COLOR: undefined, ...env }, ...size },
      )
      await session.waitFor((size.columns ?? 80) < 60 ? 'ask before edits' : 'shift+tab: mode')
      return session
    },
    userTexts(index) {
      return body(index)
        .messages.filter((message) => message.role === 'user')
        .map((message) =>
          typeof message.content === 'string'
            ? message.content
            : (message.content as Array<{ text?: string }>).map((part) => part.text ?? '').join(''),
        )
    },
    toolResults(index) {
      return body(index)
        .messages.filter((message) => message.role === 'tool')
        .map((message) => String(message.content))
    },
  }
}
