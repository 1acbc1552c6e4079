/**
 * Leaving the chat UI with Ctrl-D, as documented: on an empty prompt it exits, even while a turn
 * runs (the turn is stopped first). It used to be ignored until the turn had ended, so a person —
 * or a script — pressing it right after the answer appeared could be left with a chat that stayed.
 */
import { createGate } from '@penguin-ai/mock-llm'
import { within } from '@penguin-ai/testkit'
import { expect, test } from 'vitest'
import { makeRepo } from './cli-helpers.js'
import { useChatUi } from './tui-chat-setup.js'
import { KEYS } from './tui-terminal.js'

const ui = useChatUi()

test('Ctrl-D on an empty prompt mid-turn stops the turn and exits 0; with text it deletes', async () => {
  const gate = createGate()
  const mock = await ui.start({
    script: [{ text: 'Half of an answer that never ends.', holdUntil: gate.promise, holdAfterChunks: 2 }],
  })
  const repo = await makeRepo({})
  const t = await ui.terminal(['--model', 'openai/gpt-4o', '--base-url', mock.url, '--cwd', repo], {
    env: { OPENAI_API_KEY: 'sk-test', NO_COLOR: undefined },
  })
  await t.waitFor('shift+tab: mode')
  t.type(`go${KEYS.enter}`)
  await mock.waitForRequests(1)
  await t.waitFor(/(thinking|responding) \d+s/)
  // With text in the prompt Ctrl-D deletes under the cursor, as in any line editor: nothing ends.
  t.type(`abc${KEYS.ctrlD}`)
  await t.waitFor('› abc')
  // (Ctrl-C would interrupt the turn rather than clear the prompt: backspaces empty it.)
  t.type(`\u007f\u007f\u007f${KEYS.ctrlD}`)
  expect(await within(t.exited, 'penguin to exit on Ctrl-D', 60_000)).toBe(0)
  gate.open()
  expect(mock.requests).toHaveLength(1)
})
