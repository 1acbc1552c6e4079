/**
 * `penguin acp` session modes (issue 19): `ask`, `auto-edit` and `plan` offered in `session/new`,
 * switched with `session/set_mode`, and the agent's own switch after an accepted plan announced with
 * `current_mode_update` — through the official ACP SDK's client side against the real CLI, with the
 * mock model over real HTTP.
 */
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import type * as acp from '@agentclientprotocol/sdk'
import type { MockServer, MockTurn } from '@penguin-ai/mock-llm'
import { describe, expect, test } from 'vitest'
import {
  type AcpPeer,
  initializeClient,
  startAcp,
  startMock,
  tempDatabase,
  useAcpCleanup,
} from './acp-client.js'
import { makeRepo } from './cli-helpers.js'

let mock: MockServer | undefined
let peer: AcpPeer | undefined
useAcpCleanup()

async function start(script: MockTurn[], answer?: (r: acp.RequestPermissionRequest) => string) {
  const repo = await makeRepo({ 'a.txt': 'alpha\n' })
  mock = await startMock({ script })
  peer = await startAcp(['--model', 'openai/gpt-4o', '--base-url', mock.url, '--sandbox', 'off'], {
    env: {
      OPENAI_API_KEY: 'sk-test',
      PENGUIN_DB: await tempDatabase(),
    },
    ...(answer
      ? { answer: (request) => ({ outcome: { outcome: 'selected', optionId: answer(request) } }) }
      : {}),
  })
  await initializeClient(peer.connection)
  const session = await peer.connection.newSession({ cwd: repo, mcpServers: [] })
  return { repo, session, peer, mock }
}

const EDIT = { name: 'edit_file', arguments: { path: 'a.txt', old_string: 'alpha', new_string: 'omega' } }
const COMMAND = { name: 'run_command', arguments: { command: 'touch ran.txt' } }

describe('penguin acp session modes', () => {
  test('session/new offers ask, auto-edit and plan, starting in ask; an unknown mode is an error', async () => {
    const { session, peer } = await start([])
    expect(session.modes?.currentModeId).toBe('ask')
    expect(session.modes?.availableModes.map((mode) => mode.id)).toEqual(['ask', 'auto-edit', 'plan'])
    await expect(
      peer.connection.setSessionMode({ sessionId: session.sessionId, modeId: 'yolo' }),
    ).rejects.toMatchObject({ message: expect.stringMatching(/No mode "yolo"/) })
  })

  test('auto-edit: edits go ahead without a question, commands are still asked about', async () => {
    const { repo, session, peer } = await start(
      [{ toolCalls: [EDIT] }, { toolCalls: [COMMAND] }, { text: 'Done.' }],
      (request) => request.options.find((option) => option.kind === 'reject_once')!.optionId,
    )
    await peer.connection.setSessionMode({ sessionId: session.sessionId, modeId: 'auto-edit' })
    const { stopReason } = await peer.connection.prompt({
      sessionId: session.sessionId,
      prompt: [{ type: 'text', text: 'edit and run' }],
    })
    expect(stopReason).toBe('end_turn')
    expect(readFileSync(join(repo, 'a.txt'), 'utf8')).toBe('omega\n')
    expect(peer.questions.map((question) => question.toolCall.kind)).toEqual(['execute'])
    expect(existsSync(join(repo, 'ran.txt'))).toBe(false)
  })

  test('plan: only read-only tools run; an accepted plan switches the mode (current_mode_update) and the agent builds it', async () => {
    const { repo, session, peer, mock } = await start(
      [
        { toolCalls: [{ id: 'read', name: 'read_file', arguments: { path: 'a.txt' } }] },
        { toolCalls: [{ id: 'early-edit', ...EDIT }] },
        { text: '1. Rename alpha to omega in a.txt.' },
        { toolCalls: [EDIT] },
        { text: 'Built.' },
      ],
      (request) =>
        request.toolCall.kind === 'switch_mode'
          ? request.options.find((option) => option.kind === 'allow_always')!.optionId
          : request.options.find((option) => option.kind === 'reject_once')!.optionId,
    )
    await peer.connection.setSessionMode({ sessionId: session.sessionId, modeId: 'plan' })
    const { stopReason } = await peer.connection.prompt({
      sessionId: session.sessionId,
      prompt: [{ type: 'text', text: 'rename alpha' }],
    })
    expect(stopReason).toBe('end_turn')

    // While planning: the read ran, the edit was refused by plan mode, not asked about.
    const second = mock.requests[2]!.json as {
      messages: Array<{ role: string; tool_call_id?: string; content: unknown }>
    }
    const refusal = second.messages.find((m) => m.role === 'tool' && m.tool_call_id === 'early-edit')
    expect(JSON.stringify(refusal?.content)).toContain('plan mode is on')
    // The plan, as a switch_mode question with the plan's text; then the mode switch, announced.
    const [planQuestion] = peer.questions
    expect(planQuestion!.toolCall).toMatchObject({
      kind: 'switch_mode',
      content: [{ type: 'content', content: { type: 'text', text: '1. Rename alpha to omega in a.txt.' } }],
    })
    expect(peer.questions).toHaveLength(1)
    expect(
      peer.updates.map((n) => n.update).filter((u) => u.sessionUpdate === 'current_mode_update'),
    ).toEqual([{ sessionUpdate: 'current_mode_update', currentModeId: 'auto-edit' }])
    // Building: the model was told, and its edit went ahead in auto-edit without a question.
    const build = mock.requests[3]!.json as { messages: Array<{ role: string; content: unknown }> }
    expect(JSON.stringify(build.messages.at(-1)?.content)).toContain('The user accepted the plan')
    expect(readFileSync(join(repo, 'a.txt'), 'utf8')).toBe('omega\n')
  })

  test('plan: "keep planning" leaves the mode and the files as they were', async () => {
    const { repo, session, peer } = await start(
      [{ text: '1. Rename alpha.' }],
      (request) => request.options.find((option) => option.kind === 'reject_once')!.optionId,
    )
    await peer.connection.setSessionMode({ sessionId: session.sessionId, modeId: 'plan' })
    const { stopReason } = await peer.connection.prompt({
      sessionId: session.sessionId,
      prompt: [{ type: 'text', text: 'plan it' }],
    })
    expect(stopReason).toBe('end_turn')
    expect(peer.questions.map((question) => question.toolCall.kind)).toEqual(['switch_mode'])
    expect(peer.updates.some((n) => n.update.sessionUpdate === 'current_mode_update')).toBe(false)
    expect(readFileSync(join(repo, 'a.txt'), 'utf8')).toBe('alpha\n')
  })
})
