import { describe, expect, test } from 'vitest'
import { runPenguin } from './cli-helpers.js'
import { useRemoteServer } from './remote-server.js'

const world = useRemoteServer('penguin-chat-backends-')

const SUMMARY = 'SUMMARY-OF-THE-OLDER-TURNS'
/** Four turns (one more than compaction keeps verbatim), /compact, and a fifth turn. */
const SCRIPT = [
  { text: 'answer-one' },
  { text: 'answer-two' },
  { text: 'answer-three' },
  { text: 'answer-four' },
  { text: SUMMARY },
  { text: 'answer-five' },
]
const STDIN = 'prompt-one\nprompt-two\nprompt-three\nprompt-four\n/compact\nprompt-five\n/exit\n'

const BACKENDS = {
  local: (dir: string) => ['--model', 'openai/gpt-4o', '--base-url', world.mock.url, '--cwd', dir],
  remote: (dir: string) => ['--server', world.server.url, '--cwd', dir],
}

describe.each(Object.keys(BACKENDS) as (keyof typeof BACKENDS)[])('chat /compact (%s)', (backend) => {
  test('summarises the older turns; the next request starts from the summary', async () => {
    const dir = await world.workspace()
    const before = world.mock.requests.length
    world.mock.push(...SCRIPT)
    const result = await runPenguin(BACKENDS[backend](dir), {
      env: { OPENAI_API_KEY: 'sk-test' },
      stdin: STDIN,
    })
    expect(result.code, result.stderr).toBe(0)
    expect(result.stdout).toMatch(/Compacted: [\d.,k]+ → [\d.,k]+ tokens of context\./)
    expect(result.stdout).toContain('answer-five')
    const requests = world.mock.requests.slice(before).map((request) => JSON.stringify(request.body))
    expect(requests).toHaveLength(6)
    // The summary request reads the oldest turn; the turn after it sends the summary instead.
    expect(requests[4]).toContain('prompt-one')
    expect(requests[5]).toContain(SUMMARY)
    expect(requests[5]).not.toContain('prompt-one')
    expect(requests[5]).toContain('prompt-four')
  })
})

describe('chat commands on a server', () => {
  test('/model ID says why not; /agent NAME switches the session with the next prompt', async () => {
    const dir = await world.workspace()
    world.mock.push({ text: 'planned.' })
    const result = await runPenguin(['--server', world.server.url, '--cwd', dir], {
      stdin: '/model openai/gpt-4o-mini\n/agent nosuch\n/agent plan\n/agent\nmake a plan\n/model\n/exit\n',
    })
    expect(result.code, result.stderr).toBe(0)
    expect(result.stdout).toContain(
      '/model is not available here: a session on a server keeps the model it was created with',
    )
    expect(result.stdout).toMatch(/no agent "nosuch" in this workspace on the server\. Available: .*build/)
    expect(result.stdout).toMatch(/Agent: plan, model openai\/gpt-4o \(tools: [a-z_, ]+\)/)
    expect(result.stdout).toMatch(/Agent: plan\. Available: .*\*plan/)
    expect(result.stdout).toContain('planned.')
    expect(result.stdout).toContain('Model: openai/gpt-4o')
    const { items } = await world.client.sessions.list({ workspace: dir })
    expect(items).toHaveLength(1)
    expect(items[0]!.agent).toBe('plan')
  })

  test('/compact with nothing older to summarise says so, and asks the model nothing', async () => {
    const dir = await world.workspace()
    world.mock.push({ text: 'only answer.' })
    const before = world.mock.requests.length
    const result = await runPenguin(['--server', world.server.url, '--cwd', dir], {
      stdin: 'hello\n/compact\n/exit\n',
    })
    expect(result.code, result.stderr).toBe(0)
    expect(result.stdout).toContain('Nothing to compact yet.')
    expect(world.mock.requests.length - before).toBe(1)
  })
})
