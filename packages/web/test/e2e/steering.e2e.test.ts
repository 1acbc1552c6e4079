/**
 * Steering in the browser: while a run works, the composer stays open — Enter steers it, "Queue
 * follow-up" queues a follow-up — and both wait beside the composer until the run reads them, then
 * show in the conversation where the model read them. Debian's Chromium against a real server with
 * the mock model, which holds the run's first answer until both messages are accepted.
 */
import { createGate, type MockTurn, type RecordedRequest, type WireMessage } from '@penguin-ai/mock-llm'
import { afterAll, describe, expect, it } from 'vitest'
import { screenshot } from '../support/browser.js'
import { createSession, uiFixture } from '../support/ui-fixture.js'

const PROMPT = 'Work through the README'
const STEER = 'Only the README, nothing else'
const FOLLOW = 'Then summarise it in one line'

/** Opened once the page shows both messages accepted: the run then reads them. */
const firstAnswer = createGate()

function textOf(message: WireMessage | undefined): string {
  if (typeof message?.content === 'string') return message.content
  if (!Array.isArray(message?.content)) return ''
  return message.content
    .map((part) => (typeof part === 'object' && part !== null && 'text' in part ? String(part.text) : ''))
    .join('')
}

function script(request: RecordedRequest): MockTurn {
  const messages = request.body?.messages ?? []
  const lastUser = textOf(messages.findLast((message) => message.role === 'user'))
  if (lastUser.startsWith(STEER)) return { text: 'Steered: the README only.' }
  if (lastUser.startsWith(FOLLOW)) return { text: 'Followed up: a one-line summary.' }
  if (lastUser.startsWith(PROMPT))
    return {
      toolCalls: [{ name: 'read_file', arguments: { path: 'README.md' } }],
      holdUntil: firstAnswer.promise,
    }
  return { text: 'Hello from the mock model.' }
}

const ui = uiFixture(script)
// A failed test must not leave the mock holding its answer while the server closes.
afterAll(() => firstAnswer.open())

describe('steering a run in the web UI', () => {
  it('steers with Enter and queues a follow-up while the run works; each shows where the model read it', async () => {
    const page = await ui.newPage()
    await createSession(page, ui.penguin)

    const box = page.getByLabel('Message')
    await box.fill(PROMPT)
    await box.press('Enter')
    // The run works (its first answer is held): the composer stays open, to steer it.
    await page.getByRole('button', { name: 'Steer' }).waitFor()
    expect(await box.isEnabled()).toBe(true)
    await box.fill(STEER)
    await box.press('Enter')
    await box.fill(FOLLOW)
    await page.getByRole('button', { name: 'Queue follow-up' }).click()
    const waiting = page.getByRole('list', { name: 'Waiting for the agent' })
    await waiting.getByRole('listitem').filter({ hasText: STEER }).filter({ hasText: 'waiting' }).waitFor()
    await waiting.getByRole('listitem').filter({ hasText: FOLLOW }).filter({ hasText: 'waiting' }).waitFor()
    expect(await waiting.getByRole('listitem').allTextContents()).toEqual([
      `steering ${STEER} waiting — read before its next step`,
      `follow-up ${FOLLOW} waiting — read when it would stop`,
    ])
    // Not in the conversation yet: the run has not read them.
    expect(await page.locator('.message.user').allTextContents()).toEqual([expect.stringContaining(PROMPT)])
    await screenshot(page, 'chat-steering')

    firstAnswer.open()
    await page.locator('.message.assistant', { hasText: 'Followed up: a one-line summary.' }).waitFor()
    await page.getByRole('button', { name: 'Send' }).waitFor()
    await waiting.waitFor({ state: 'detached' })
    const users = await page.locator('.message.user').allTextContents()
    expect(users).toEqual([
      expect.stringContaining(PROMPT),
      expect.stringContaining(STEER),
      expect.stringContaining(FOLLOW),
    ])
    // Where the model read them: the steer after the tool call, the follow-up after its answer.
    const order = await page
      .locator('.message.user, .message.assistant, .tool-card')
      .evaluateAll((nodes) =>
        nodes.map((node) =>
          node.classList.contains('tool-card')
            ? 'tool'
            : node.classList.contains('user')
              ? 'user'
              : 'assistant',
        ),
      )
    expect(order).toEqual(['user', 'tool', 'user', 'assistant', 'user', 'assistant'])
    const requests = ui.penguin.mock.requests.filter((request) => request.body)
    expect(requests).toHaveLength(3)
    expect(textOf(requests[1]?.body?.messages.at(-1))).toContain(STEER)
    expect(textOf(requests[2]?.body?.messages.at(-1))).toContain(FOLLOW)
  })
})
