// The SDK driving a Penguin server: open a session in a workspace, send a prompt, stream the run,
// then read back the stored conversation.
//
//   penguin token create --name me            # once; prints the token
//   penguin serve --root ~/work &             # the server
//   PENGUIN_SERVER=http://127.0.0.1:8787 PENGUIN_TOKEN=… node examples/sdk/drive-server.mjs ~/work/repo "fix the failing test"
//
// (CI starts a server against Penguin's mock model: tooling/repo-checks/test/examples.test.ts.)
import { PenguinClient } from '@penguin-ai/sdk'

const [workspace, prompt = 'Summarise this repository in one sentence.'] = process.argv.slice(2)
if (!workspace) {
  console.error('usage: node drive-server.mjs WORKSPACE [PROMPT]')
  process.exit(2)
}

const client = new PenguinClient({
  baseUrl: process.env.PENGUIN_SERVER ?? 'http://127.0.0.1:8787',
  ...(process.env.PENGUIN_TOKEN ? { token: process.env.PENGUIN_TOKEN } : {}),
})

const session = await client.sessions.create({ workspace, auto_approve: true, title: 'from the SDK example' })
const result = await client.sessions.run(session.id, prompt, {
  onEvent: (event) => {
    if (event.type === 'text.delta') process.stdout.write(event.delta)
    if (event.type === 'tool.finished') console.error(`${event.isError ? '✗' : '✓'} ${event.tool}`)
  },
})
process.stdout.write('\n')
const { items } = await client.sessions.messages(session.id)
console.error(`session ${session.id}: ${result.status}, ${items.length} messages stored`)
process.exitCode = result.status === 'completed' ? 0 : 1
