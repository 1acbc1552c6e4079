/**
 * `penguin run` at a terminal asks a question (here: re-run a command the sandbox refused outside
 * it) and the person sees where to answer. The live view used to keep redrawing while paused for
 * the question, every 100 ms: each redraw erased the line the prompt `[y]es / [n]o:` stood on and
 * hid the cursor, so the question showed no choices and the answer was typed blind.
 */
import { existsSync } from 'node:fs'
import { mkdir, mkdtemp, realpath, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { type MockServer, startMockServer } from '@penguin-ai/mock-llm'
import { initRepo, within } from '@penguin-ai/testkit'
import { afterEach, expect, test } from 'vitest'
import { KEYS, startTerminal, type TerminalSession } from './tui-terminal.js'

let mock: MockServer | undefined
let session: TerminalSession | undefined
let base: string | undefined
afterEach(async () => {
  session?.kill()
  session = undefined
  await mock?.close()
  mock = undefined
  if (base) await rm(base, { recursive: true, force: true })
  base = undefined
})

test('the re-run question shows its choices on screen, and the typed answer next to them', async () => {
  // Under /var/tmp, which the sandbox shows as it is (its /tmp is its own).
  base = await realpath(await mkdtemp('/var/tmp/penguin-run-ask-'))
  const repo = join(base, 'repo')
  const outside = join(base, 'outside')
  await mkdir(outside)
  initRepo(repo, { 'README.md': '# demo\n' })
  mock = await startMockServer({
    script: [
      { toolCalls: [{ name: 'run_command', arguments: { command: `echo yes > ${outside}/asked.txt` } }] },
      { text: 'done' },
    ],
  })
  const t = await startTerminal(
    ['run', '--model', 'openai/gpt-4o', '--base-url', mock.url, '--cwd', repo, 'write outside'],
    { env: { OPENAI_API_KEY: 'sk-test' }, columns: 120 },
  )
  session = t
  await t.waitFor('outside the sandbox?')
  await t.waitFor('[y]es / [n]o:')
  t.type('y')
  // The answer is echoed after the choices, on the same row: the prompt is still there.
  await t.until(
    () => t.screen().some((row) => row.trimEnd().endsWith('[y]es / [n]o: y')),
    'the answer typed after "[y]es / [n]o:"',
  )
  t.type(KEYS.enter)
  await t.waitFor('ran outside the sandbox')
  expect(await within(t.exited, 'penguin run to exit', 60_000)).toBe(0)
  expect(t.text()).toMatch(/\[y\]es \/ \[n\]o: y\n/)
  expect(existsSync(join(outside, 'asked.txt'))).toBe(true)
})
