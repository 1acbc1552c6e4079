import { execFile, execFileSync } from 'node:child_process'
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  type BareRemote,
  createBareRemote,
  FAKE_TOKEN,
  type FakeGitHub,
  GIT_ENV,
  startFakeGitHub,
} from '@penguin-ai/fake-github'
import { type MockServer, startMockServer } from '@penguin-ai/mock-llm'
import { afterEach, describe, expect, test } from 'vitest'
import { parse } from 'yaml'
import { baseEnv, PENGUIN_BIN } from './cli-helpers.js'
import { BUGGY } from './github-fixtures.js'

interface Step {
  id?: string
  uses?: string
  shell?: string
  run?: string
  env?: Record<string, string>
}
interface Action {
  runs: { using: string; steps: Step[] }
  inputs: Record<string, { default?: string }>
  outputs: Record<string, { value: string }>
}

const ACTION = new URL('../../../action.yml', import.meta.url)

let github: FakeGitHub | undefined
let remote: BareRemote | undefined
let mock: MockServer | undefined
let work: string | undefined
afterEach(async () => {
  await mock?.close()
  await github?.close()
  await remote?.remove()
  if (work) await rm(work, { recursive: true, force: true })
})

describe('action.yml', () => {
  test('is a composite action whose scripts take inputs only through the environment', async () => {
    const action = parse(await readFile(ACTION, 'utf8')) as Action
    expect(action.runs.using).toBe('composite')
    for (const step of action.runs.steps.filter((s) => s.run)) {
      expect(step.shell).toBe('bash')
      // `${{ … }}` inside a script would splice issue text or inputs into shell code.
      expect(step.run).not.toContain('${{')
    }
    // Actions expressions, not template literals.
    const expression = (text: string) => `$${'{{'} ${text} }}`
    expect(action.inputs.token?.default).toBe(expression('github.token'))
    expect(action.outputs['pull-request']?.value).toBe(expression('steps.run.outputs.pull-request'))
  })

  test("its run step, in a workflow's checkout, opens the pull request and sets the output", async () => {
    const action = parse(await readFile(ACTION, 'utf8')) as Action
    const step = action.runs.steps.find((s) => s.id === 'run')!
    github = await startFakeGitHub()
    remote = await createBareRemote(BUGGY)
    const repo = github.addRepo('acme', 'calc', remote)
    const issue = repo.addIssue({ title: 'add() subtracts', body: 'Please fix add().' })
    mock = await startMockServer({
      script: [
        {
          toolCalls: [
            {
              name: 'edit_file',
              arguments: { path: 'src/add.js', old_string: 'a - b', new_string: 'a + b' },
            },
          ],
        },
        { text: 'add() adds now.' },
      ],
    })
    work = await mkdtemp(join(tmpdir(), 'penguin-action-'))
    // What actions/checkout leaves: the repository checked out, origin = its clone URL.
    const checkout = join(work, 'checkout')
    execFileSync('git', ['clone', '--quiet', remote.url, checkout], { env: GIT_ENV })
    // `penguin` on PATH, as `npm install --global penguin-ai` puts it.
    const bin = join(work, 'bin')
    await mkdir(bin)
    await writeFile(join(bin, 'penguin'), `#!/bin/sh\nexec "${process.execPath}" "${PENGUIN_BIN}" "$@"\n`)
    await chmod(join(bin, 'penguin'), 0o755)
    const output = join(work, 'github-output')
    await writeFile(output, '')
    const home = join(work, 'home')
    await mkdir(home)
    // The step's env as the runner fills it from the inputs, plus what Actions itself sets.
    const env: Record<string, string> = {
      ...baseEnv(home),
      ...GIT_ENV_WITHOUT_IDENTITY,
      PATH: `${bin}:${process.env.PATH}`,
      GITHUB_REPOSITORY: 'acme/calc',
      GITHUB_API_URL: github.url,
      GITHUB_OUTPUT: output,
      GITHUB_TOKEN: FAKE_TOKEN,
      PENGUIN_ISSUE: String(issue.number),
      PENGUIN_VERIFY: 'node --test',
      PENGUIN_MODEL_INPUT: 'openai/gpt-4o',
      PENGUIN_ATTEMPTS: action.inputs.attempts!.default!,
      PENGUIN_SANDBOX_INPUT: action.inputs.sandbox!.default!,
      PENGUIN_ARGS: `--base-url ${mock.url} --db ${join(work, 'penguin.db')}`,
      OPENAI_API_KEY: 'sk-test-123',
    }
    expect(Object.keys(step.env ?? {}).every((name) => name in env)).toBe(true)
    const result = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      execFile('bash', ['-c', step.run!], { cwd: checkout, env, timeout: 100_000 }, (error, stdout, stderr) =>
        resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
      )
    })
    expect(result.stderr).not.toMatch(/\n\s+at /)
    expect(result.code, result.stderr).toBe(0)
    const pull = repo.pulls()[0]!
    expect(await readFile(output, 'utf8')).toBe(
      `pull-request=https://github.com/acme/calc/pull/${pull.number}\n`,
    )
    // It worked in the checkout it was given (no clone of its own) and left it on the branch.
    expect(result.stderr).toContain(`working in ${checkout}`)
    expect(
      execFileSync('git', ['branch', '--show-current'], { cwd: checkout, encoding: 'utf8' }).trim(),
    ).toBe(`penguin/issue-${issue.number}`)
    expect(await remote.read(`penguin/issue-${issue.number}`, 'src/add.js')).toContain('a + b')
    // A runner has no git identity: the commit is Penguin's.
    const author = execFileSync('git', ['log', '-1', '--format=%an'], {
      cwd: checkout,
      encoding: 'utf8',
    }).trim()
    expect(author).toBe('penguin-ai[bot]')
  })
})

/** No user or system git config (a fresh runner), and no identity either. */
const GIT_ENV_WITHOUT_IDENTITY = { GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null' }
