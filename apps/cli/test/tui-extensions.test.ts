/**
 * Issue 14 in the chat UI: the configured MCP servers and hooks are loaded in interactive chat too
 * (real `penguin` in a pseudo-terminal, a real server-everything over stdio).
 */
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, test } from 'vitest'
import { makeRepo } from './cli-helpers.js'
import { useChatUi } from './tui-chat-setup.js'
import { KEYS } from './tui-terminal.js'

const EVERYTHING = fileURLToPath(
  new URL('../node_modules/@modelcontextprotocol/server-everything/dist/index.js', import.meta.url),
)

const ui = useChatUi()

describe('penguin chat UI with extensions', () => {
  test('calls an MCP tool; a UserPromptSubmit hook adds context; Ctrl-D stops the servers and exits', async () => {
    const mock = await ui.start({
      script: [
        { toolCalls: [{ name: 'mcp__everything__echo', arguments: { message: 'from the chat' } }] },
        { text: 'Echoed in chat.' },
      ],
    })
    const xdg = await mkdtemp(join(tmpdir(), 'penguin-xdg-'))
    await mkdir(join(xdg, 'penguin'), { recursive: true })
    await writeFile(
      join(xdg, 'penguin', 'config.json'),
      JSON.stringify({
        mcpServers: { everything: { command: process.execPath, args: [EVERYTHING, 'stdio'] } },
        permissions: [{ tool: 'mcp__everything__*', action: 'allow' }],
        hooks: {
          UserPromptSubmit: [{ hooks: [{ type: 'command', command: 'echo "The user likes penguins."' }] }],
        },
      }),
    )
    const repo = await makeRepo({})
    const session = await ui.terminal(['--model', 'openai/gpt-4o', '--base-url', mock.url, '--cwd', repo], {
      env: { OPENAI_API_KEY: 'sk-test', XDG_CONFIG_HOME: xdg },
    })
    await session.waitFor('shift+tab: mode')
    session.type(`echo please${KEYS.enter}`)
    await session.waitFor('Echoed in chat.')
    const body = mock.requests[1]?.body as { messages: Array<{ role: string; content: unknown }> }
    const tool = body.messages.find((message) => message.role === 'tool')
    expect(JSON.stringify(tool?.content)).toContain('Echo: from the chat')
    expect(JSON.stringify(mock.requests[0]?.body)).toContain('The user likes penguins.')
    session.type(KEYS.ctrlD)
    expect(await session.exited).toBe(0)
  })
})
