/**
 * The chat UI over a server session (`penguin --server URL` at a terminal): the real binary in a
 * pseudo-terminal, a Penguin server in this process on a real port, the mock model behind it over
 * HTTP. The same UI as a local chat; what a server cannot do says why.
 */
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { createGate } from '@penguin-ai/mock-llm'
import { afterEach, describe, expect, test } from 'vitest'
import { toolNames } from './agent-fixtures.js'
import { useRemoteServer } from './remote-server.js'
import { KEYS, startTerminal, type TerminalSession } from './tui-terminal.js'

const world = useRemoteServer('penguin-tui-remote-')

let session: TerminalSession | undefined
afterEach(() => {
  session?.kill()
  session = undefined
})

async function remoteChat(dir: string): Promise<TerminalSession> {
  session = await startTerminal(['--server', world.server.url, '--cwd', dir], {
    env: { NO_COLOR: undefined },
    // Wide enough that the long lines checked below are not wrapped.
    columns: 200,
  })
  await session.waitFor('shift+tab: mode')
  return session
}

describe('penguin --server URL at a terminal', () => {
  test("a turn on the server: the edit's diff is shown, approved in the UI, and the answer rendered", async () => {
    const dir = await world.workspace({ 'notes.txt': 'one\n' })
    world.mock.push(
      {
        text: 'Updating.\n',
        toolCalls: [{ name: 'write_file', arguments: { path: 'notes.txt', content: 'two\n' } }],
      },
      { text: 'The notes now say **two**.' },
    )
    const t = await remoteChat(dir)
    expect(t.text()).toContain(`Penguin · openai/gpt-4o · ${dir} · ${world.server.url}`)
    expect(t.text()).toContain('Commands run on the server')
    t.type(`update @notes.txt${KEYS.enter}`)
    // @path attaches the file from this machine, before the prompt goes to the server.
    await t.waitFor('⎿ attached notes.txt (4 bytes)')
    // How the server runs commands, from its run: the in-process server's default sandbox.
    await t.waitFor(/The server runs commands in its sandbox: workspace-write/)
    await t.waitFor('Allow?')
    const asked = t.text()
    expect(asked).toMatch(/1 - one/)
    expect(asked).toMatch(/1 \+ two/)
    expect(asked).toContain('always (this session)')
    // The server's workspace config is not this client's to write.
    expect(asked).not.toContain('always in this workspace')
    t.type('y')
    await t.waitFor('✓ done')
    expect(t.text()).toContain('The notes now say two.')
    expect(t.text()).not.toContain('**two**')
    expect(await readFile(join(dir, 'notes.txt'), 'utf8')).toBe('two\n')
    // The server got the attached file with the prompt.
    expect(JSON.stringify(world.mock.requests.at(-2)?.body)).toContain(
      '<file path=\\"notes.txt\\">\\none\\n</file>',
    )
    t.type(KEYS.ctrlD)
    expect(await t.exited).toBe(0)
  })

  test("slash commands work or say why not; plan mode runs prompts as the server's read-only plan agent", async () => {
    const dir = await world.workspace()
    const t = await remoteChat(dir)
    t.type(`/agent${KEYS.enter}`)
    await t.waitFor(/Agent: build\. Available: .*plan/)
    t.type(`/model openai/gpt-4o-mini${KEYS.enter}`)
    await t.waitFor('/model is not available here: a session on a server keeps the model it was created with')
    t.type(`!ls${KEYS.enter}`)
    await t.waitFor("!command is not available here: the agent works in the server's copy of the workspace")

    world.mock.push({ text: '1. Read the code. 2. Change it.' }, { text: 'Built it.' })
    const before = world.mock.requests.length
    t.type(KEYS.shiftTab + KEYS.shiftTab)
    await t.waitFor('plan mode')
    t.type(`make a plan${KEYS.enter}`)
    await t.waitFor('Accept this plan and start building?')
    expect(toolNames(world.mock, before)).not.toContain('write_file')
    expect(toolNames(world.mock, before)).toContain('read_file')
    t.type('y')
    await t.waitFor('Built it.')
    // Building is the agent chosen before plan mode again, with every tool.
    expect(toolNames(world.mock, before + 1)).toContain('write_file')
    const { items } = await world.client.sessions.list({ workspace: dir })
    expect(items[0]?.agent).toBe('build')
    t.type(`/exit${KEYS.enter}`)
    expect(await t.exited).toBe(0)
  })

  test('a "no" with a message reaches the agent with the next prompt; Esc stops a turn on the server', async () => {
    const dir = await world.workspace()
    const gate = createGate()
    world.mock.push(
      { toolCalls: [{ name: 'write_file', arguments: { path: 'x.txt', content: 'x\n' } }] },
      { text: 'Not writing it.' },
      {
        text: 'This answer is long and never finishes on its own.',
        holdUntil: gate.promise,
        holdAfterChunks: 2,
      },
      { text: 'Still here.' },
    )
    const before = world.mock.requests.length
    const t = await remoteChat(dir)
    t.type(`write x${KEYS.enter}`)
    await t.waitFor('Allow?')
    t.type('n')
    await t.waitFor('Tell the agent why')
    t.type(`use y.txt instead${KEYS.enter}`)
    await t.waitFor('the agent sees this with your next message: use y.txt instead')
    await t.waitFor('Not writing it.')
    t.type(`go on${KEYS.enter}`)
    const requests = await world.mock.waitForRequests(before + 3)
    expect(JSON.stringify(requests[before + 2]?.body)).toContain('I declined and said: use y.txt instead')
    await t.waitFor(/(thinking|responding) \d+s/)
    t.type(KEYS.esc)
    await t.waitFor('■ interrupted')
    gate.open()
    // The run on the server was cancelled, not left busy: the next prompt runs.
    t.type(`again${KEYS.enter}`)
    await t.waitFor('Still here.')
    t.type(KEYS.ctrlD)
    expect(await t.exited).toBe(0)
  })

  test('Enter during a turn on the server steers the run there: the next model request carries it', async () => {
    const dir = await world.workspace({ 'README.md': '# r\n' })
    const gate = createGate()
    world.mock.push(
      { toolCalls: [{ name: 'read_file', arguments: { path: 'README.md' } }], holdUntil: gate.promise },
      { text: 'Read it; counted the lines too.' },
    )
    const before = world.mock.requests.length
    const t = await remoteChat(dir)
    t.type(`read the readme${KEYS.enter}`)
    await world.mock.waitForRequests(before + 1)
    await t.waitFor(/thinking \d+s/)
    t.type(`count its lines too${KEYS.enter}`)
    await t.waitFor('↳ steering: count its lines too')
    gate.open()
    await t.waitFor('Read it; counted the lines too.')
    const requests = await world.mock.waitForRequests(before + 2)
    const body = requests[before + 1]?.body as { messages: { role: string; content: unknown }[] } | undefined
    const sent = body?.messages ?? []
    expect(sent.map((message) => message.role).slice(-3)).toEqual(['assistant', 'tool', 'user'])
    expect(JSON.stringify(sent.at(-1)?.content)).toContain('count its lines too')
    expect(t.text()).toContain('› count its lines too · read before its next step')
    t.type(KEYS.ctrlD)
    expect(await t.exited).toBe(0)
  })
})
