/**
 * Sub-agents in the browser: a session started as an agent picked in the form, and a parent whose
 * model delegates to two agents at once — their nested panels shown live, and again from the stored
 * sessions after a reload. Debian's Chromium against a real server with the mock model.
 */
import type { MockTurn, RecordedRequest, WireMessage } from '@penguin-ai/mock-llm'
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { screenshot } from '../support/browser.js'
import { createSession, uiFixture } from '../support/ui-fixture.js'

const DELEGATE = 'Look around with two helpers'

function systemText(request: RecordedRequest): string {
  const first = request.body?.messages[0] as WireMessage | undefined
  return typeof first?.content === 'string' ? first.content : ''
}
const agentOf = (request: RecordedRequest) => /<agent name="([^"]+)">/.exec(systemText(request))?.[1]
const toolResults = (request: RecordedRequest) =>
  (request.body?.messages ?? []).filter((message) => message.role === 'tool').length

/** The parent asks explore and review at once; each child lists files, then answers. */
function script(request: RecordedRequest): MockTurn {
  const agent = agentOf(request)
  if (agent === 'explore' || agent === 'review') {
    if (toolResults(request) === 0)
      return { toolCalls: [{ name: 'list_files', arguments: { path: agent === 'explore' ? 'src' : '.' } }] }
    return { text: agent === 'explore' ? 'The code is in src/app.js.' : 'Approve: nothing to change.' }
  }
  if (agent === 'plan') return { text: 'A plan, as the plan agent.' }
  if (toolResults(request) === 0)
    return {
      toolCalls: [
        {
          name: 'task',
          arguments: { agent: 'explore', prompt: 'Where is the code?', description: 'find code' },
        },
        { name: 'task', arguments: { agent: 'review', prompt: 'Review the README', description: 'review' } },
      ],
    }
  return { text: 'Both helpers reported back.' }
}

const ui = uiFixture(script)
let page: Page

async function send(text: string): Promise<void> {
  const box = page.getByLabel('Message')
  await box.fill(text)
  await box.press('Enter')
}

describe('agents in the web UI', () => {
  it('creates a session as the agent picked in the form', async () => {
    page = await ui.newPage()
    await createSession(page, ui.penguin, 'plan')
    await page.locator('.agent-name', { hasText: 'agent plan' }).waitFor()
    await send('Plan it')
    await page.locator('.message.assistant', { hasText: 'A plan, as the plan agent.' }).waitFor()
    const id = new URL(page.url()).pathname.split('/').at(-1) ?? ''
    expect(ui.penguin.store.requireSession(id).agent).toBe('plan')
  })

  it("shows two sub-agents' panels live and, after a reload, from their stored sessions", async () => {
    page = await ui.newPage()
    await createSession(page, ui.penguin)
    await send(DELEGATE)
    await page.locator('.message.assistant', { hasText: 'Both helpers reported back.' }).waitFor()
    const panels = async () =>
      page.locator('.item-subagent').evaluateAll((nodes) =>
        nodes.map((node) => ({
          agent: node.getAttribute('data-agent'),
          status: node.querySelector('.subagent-status')?.textContent,
          prompt: node.querySelector('.subagent-prompt')?.textContent,
        })),
      )
    const nestedCalls = async () =>
      page
        .locator('.item-tool.nested')
        .evaluateAll((nodes) => nodes.map((node) => node.getAttribute('data-agent')).sort())
    const expected = [
      { agent: 'explore', status: 'done', prompt: 'Where is the code?' },
      { agent: 'review', status: 'done', prompt: 'Review the README' },
    ]
    const byAgent = (list: Awaited<ReturnType<typeof panels>>) =>
      [...list].sort((a, b) => String(a.agent).localeCompare(String(b.agent)))
    expect(byAgent(await panels())).toEqual(expected)
    expect(await nestedCalls()).toEqual(['explore', 'review'])
    await screenshot(page, 'subagents-live')

    await page.reload()
    await page.locator('.message.assistant', { hasText: 'Both helpers reported back.' }).waitFor()
    await page.locator('.item-subagent').nth(1).waitFor()
    expect(byAgent(await panels())).toEqual(expected)
    expect(await nestedCalls()).toEqual(['explore', 'review'])
    // Each panel sits right under its task call, its call after it.
    const order = await page
      .locator('.messages > .item')
      .evaluateAll((nodes) =>
        nodes.map(
          (node) =>
            `${node.className.includes('nested') ? '  ' : ''}${node.getAttribute('data-agent') ?? node.className.replace(/^item item-/, '').split(' ')[0]}`,
        ),
      )
    expect(order).toEqual([
      'user',
      'tool',
      '  explore',
      '  explore',
      'tool',
      '  review',
      '  review',
      'assistant',
    ])
    await page.locator('.subagent-answer summary').first().click()
    await page.getByText('The code is in src/app.js.').waitFor()
    await screenshot(page, 'subagents-stored')
  })
})
