// Penguin as a library: an agent that works in a directory, streams what it does, and asks you
// (here: this script) before it writes. Successive runs continue one conversation.
//
//   OPENAI_API_KEY=… node examples/library/agent.mjs path/to/repo "add a README"
//
// PENGUIN_MODEL picks the model (default openai/gpt-4o); PENGUIN_BASE_URL any OpenAI-compatible
// endpoint (CI points it at Penguin's mock model, tooling/repo-checks/test/examples.test.ts).
import { PenguinAgent } from 'penguin-ai'

const [workspace = process.cwd(), task = 'Write a one-line README.md for this project.'] =
  process.argv.slice(2)

const agent = new PenguinAgent({
  model: process.env.PENGUIN_MODEL ?? 'openai/gpt-4o',
  ...(process.env.PENGUIN_BASE_URL ? { baseUrl: process.env.PENGUIN_BASE_URL } : {}),
  workspace,
  // Reads run; anything else is asked here. This one allows file writes and refuses commands.
  askPermission: async (request) => {
    const allow = request.tool === 'write_file' || request.tool === 'edit_file'
    console.error(`${allow ? 'allowing' : 'refusing'} ${request.tool}`)
    return allow ? 'once' : 'reject'
  },
})

agent.on((event) => {
  if (event.type === 'text.delta') process.stdout.write(event.delta)
  if (event.type === 'tool.finished') console.error(`${event.isError ? '✗' : '✓'} ${event.tool}`)
})

const first = await agent.run(task)
process.stdout.write('\n')
const followUp = await agent.run('In one sentence: what did you change?')
process.stdout.write('\n')
console.error(
  `${first.status}, then ${followUp.status}; ${followUp.usage.totalTokens} tokens in the second run`,
)
process.exitCode = first.status === 'completed' && followUp.status === 'completed' ? 0 : 1
