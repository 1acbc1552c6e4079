/**
 * `penguin project run` says before starting that tasks run without asking, and at a terminal asks
 * to go ahead unless --yes.
 */
import { existsSync } from 'node:fs'
import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'
import { makeRepo, runPenguin } from './cli-helpers.js'
import { useChatUi } from './tui-chat-setup.js'
import { KEYS } from './tui-terminal.js'

const ui = useChatUi()

async function project() {
  const db = join(await mkdtemp(join(tmpdir(), 'penguin-db-')), 'penguin.db')
  const repo = await makeRepo({ 'README.md': '# tiny\n' })
  const env = { PENGUIN_DB: db, OPENAI_API_KEY: 'sk-test' }
  const penguin = (...args: string[]) => runPenguin(args, { env, cwd: repo })
  expect((await penguin('project', 'create', 'site', '--workspace', repo)).code).toBe(0)
  expect((await penguin('task', 'add', 'site', 'Write a.txt')).code).toBe(0)
  const mock = await ui.start({
    script: [
      { toolCalls: [{ name: 'write_file', arguments: { path: 'a.txt', content: 'a\n' } }] },
      { text: 'Wrote a.txt.' },
    ],
  })
  const args = ['project', 'run', 'site', '--model', 'openai/gpt-4o', '--base-url', mock.url]
  return { repo, env, penguin, args, mock }
}

describe('penguin project run confirmation', () => {
  test('at a terminal: says tasks run without asking and asks first; no runs nothing', async () => {
    const { repo, env, args, mock } = await project()
    const t = await ui.terminal(args, { env })
    await t.waitFor('[y/N]')
    expect(t.text()).toContain('Tasks run without asking')
    expect(t.text()).toContain('the sandbox and your deny rules are the limits')
    t.type(`n${KEYS.enter}`)
    expect(await t.exited).toBe(1)
    expect(t.text()).toContain('Nothing was run.')
    expect(mock.requests).toHaveLength(0)
    expect(existsSync(join(repo, 'a.txt'))).toBe(false)

    const yes = await ui.terminal(args, { env })
    await yes.waitFor('[y/N]')
    yes.type(`y${KEYS.enter}`)
    expect(await yes.exited).toBe(0)
    expect(existsSync(join(repo, 'a.txt'))).toBe(true)
  })

  test('--yes starts at once; without a terminal the notice is printed and the run starts', async () => {
    const first = await project()
    const t = await ui.terminal([...first.args, '--yes'], { env: first.env })
    expect(await t.exited).toBe(0)
    expect(t.text()).toContain('Tasks run without asking')
    expect(t.text()).not.toContain('[y/N]')
    expect(existsSync(join(first.repo, 'a.txt'))).toBe(true)

    const second = await project()
    const piped = await second.penguin(...second.args)
    expect(piped.code, piped.stderr).toBe(0)
    expect(piped.stderr).toContain('Tasks run without asking')
    expect(existsSync(join(second.repo, 'a.txt'))).toBe(true)
  })
})
